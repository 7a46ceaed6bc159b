"""The position a file reports for its actions: the date it stands on, and the status each action had then."""

import datetime as dt

from django.utils import timezone

from ..models import Action
from ..rag import Status
from ..services import ReportedPosition
from .messages import KEPT_NEWER, KEPT_NEWER_ONE, POSITION_DATE_IN_FUTURE, ImportRefused
from .preview import ImportedAction, PlanPreview

# (status, at risk, at-risk reason, reported colour): what plans.services records of an action's position.
Position = tuple[str, bool, str, str]
KnownPosition = tuple[str, bool, str, str, dt.datetime]


def position_moment(position_date: dt.date) -> dt.datetime:
    """When a file's position is recorded: the start of its day, local time.

    Never later than now for a date up to today, so a file dated today is the current state at once (noon
    would put a morning's import in the future, and every update made in the tracker before noon would
    count as older than the file's). The same date always gives the same moment, so the same file imported
    twice on one day repeats itself and records nothing, even after a manager's update that day; and it is
    the moment the history queries start a day at (plans.models._start_of_day). An update made in the
    tracker on the position date itself is newer than the file's: a file reports the position as the day began.
    """
    return timezone.make_aware(dt.datetime.combine(position_date, dt.time.min))


def check_position_date(position_date: dt.date) -> None:
    """ImportRefused when `position_date` is after today: history cannot be recorded ahead of now."""
    if position_date > timezone.localdate():
        raise ImportRefused(POSITION_DATE_IN_FUTURE.format(date=position_date))


def kept_newer_message(count: int, position_date: dt.date | None) -> str:
    if not count:
        return ""
    template = KEPT_NEWER_ONE if count == 1 else KEPT_NEWER
    return template.format(count=count, date=position_date)


def reported_position(imported: ImportedAction) -> Position | None:
    """The status, at-risk flag, reason and colour the file reports for an action, or None when it reports none."""
    status = imported.status
    if status is None or not status.understood:
        return None
    at_risk = status.at_risk and status.status != Status.COMPLETED
    reason = f'Marked "{imported.status_text or status.label}" in the plan' if at_risk else ""
    return status.status, at_risk, reason, status.reported_rag


def position_is_new(imported: ImportedAction, known: KnownPosition | None, at: dt.datetime) -> bool:
    """Whether the service will record the file's position (plans.services.action_positions_record skips
    one that repeats the update recorded at the same moment); the preview tells the admin before it does."""
    position = reported_position(imported)
    return position is not None and known != (*position, at)


def position_to_record(action: Action, imported: ImportedAction, preview: PlanPreview) -> ReportedPosition | None:
    """What plans.services records for `action` from the row `imported`, or None when the file reports nothing."""
    position = reported_position(imported)
    if position is None:
        return None
    status, at_risk, reason, reported_rag = position
    return ReportedPosition(
        action=action,
        status=status,
        at_risk=at_risk,
        at_risk_reason=reason,
        reported_rag=reported_rag,
        source=f"{preview.file_name}, {preview.sheet}!{imported.row}",
    )
