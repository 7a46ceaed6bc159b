"""Importing a plan's workbook: `read_plan` reads it, `plan_preview` compares it, `plan_import` writes it.

Module by module: `sheets` chooses the sheet and its header, `rows` reads the rows under it, `actions` finishes
the actions, into the types of `preview`; `changes` says what an import would change, `sponsors` and
`positions` find the sponsors and the statuses a file reports, `writes` applies it; `messages` holds every text.
"""

from .changes import ActionChange, ImportChanges, plan_changes, plan_preview, plan_read
from .messages import ImportRefused
from .positions import check_position_date, kept_newer_message, position_moment
from .preview import ImportedAction, ImportedArea, ImportedMilestone, PlanPreview
from .reader import read_plan
from .writes import plan_import

__all__ = [
    "ActionChange",
    "ImportChanges",
    "ImportRefused",
    "ImportedAction",
    "ImportedArea",
    "ImportedMilestone",
    "PlanPreview",
    "check_position_date",
    "kept_newer_message",
    "plan_changes",
    "plan_import",
    "plan_preview",
    "plan_read",
    "position_moment",
    "read_plan",
]
