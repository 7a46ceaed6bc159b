"""The plans domain: plans, areas, sponsors, actions, milestones, updates, target date changes and imports."""

from .action import Action, ActionQuerySet, LoggedChange, Milestone, Slippage
from .history import ActionUpdate, ActionUpdateQuerySet, TargetDateChange
from .imports import PlanImport
from .plan import Area, Plan, PlanQuerySet, PlanStatusChange, Sponsor, SponsorQuerySet, Theme

__all__ = [
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "ActionUpdateQuerySet",
    "Area",
    "LoggedChange",
    "Milestone",
    "Plan",
    "PlanImport",
    "PlanQuerySet",
    "PlanStatusChange",
    "Slippage",
    "Sponsor",
    "SponsorQuerySet",
    "TargetDateChange",
    "Theme",
]
