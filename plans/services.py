"""Writes to the plans domain that do more than save one row: updates, target date changes and a plan's life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.bulk import creation_history_copied, rows_inserted

from . import notifications
from .models import Action, ActionUpdate, Milestone, Plan, PlanStatusChange, TargetDateChange
from .rag import RAG, ActionState, OpenMilestone, Status, rag_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# What a person may write in one update: enough for a month's story; the board pack prints it for every action.
COMMENTARY_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 1000
TEXT_TOO_LONG = "Keep this to {limit:,} characters; it is {length:,}. Link longer evidence instead."
AT_RISK_NEEDS_REASON = "Say why the action is at risk."
COMMENTARY_REQUIRED = "Add a commentary: the board reads it for every action that is {rag}."
COMMENTARY_REQUIRED_TO_COMPLETE = "Add a commentary saying what was delivered: the board reads it for every completion."
ACTION_CHANGED_SINCE_OPENED = "Someone else updated this action after you opened it."
NOT_ALLOWED_TO_UPDATE = "You may update only the actions you lead or sponsor."
NOT_ALLOWED_TO_DECIDE = "Only an admin or a sponsor of the action may approve a new target date."
TARGET_CHANGE_ALREADY_DECIDED = "This request has already been decided."
TARGET_CHANGE_NEEDS_REASON = "Say why the target date needs to move."
TARGET_CHANGE_SAME_DATE = "The new target date is the same as the current one."
TARGET_CHANGE_ALREADY_PENDING = "A request to move this target to {date:%-d %b %Y} is already waiting for a decision."
TARGET_CHANGE_OUT_OF_DATE = (
    "The target date has changed since this request was made; ask again from the current target."
)
PLAN_IS_CLOSED = "{plan} is closed: its actions are kept as they were and can no longer be changed."
NOT_ALLOWED_TO_CHANGE_PLAN_STATUS = "Only an admin may make a plan active, close it or take it back to draft."
PLAN_STATUS_NOT_ALLOWED = "A {current} plan cannot be made {wanted}: a plan goes from draft to active to closed."
PLAN_BACK_TO_DRAFT_NEEDS_REASON = "Say why the plan goes back to draft: the board reads it in the plan's history."
# A plan's life: draft, active, closed; back to draft (with a reason) when it was made active or closed by mistake.
PLAN_STEPS = {
    Plan.Status.DRAFT: [Plan.Status.ACTIVE],
    Plan.Status.ACTIVE: [Plan.Status.CLOSED, Plan.Status.DRAFT],
    Plan.Status.CLOSED: [Plan.Status.DRAFT],
}


def refuse_if_closed(plan: Plan) -> None:
    """Every write to a plan's actions asks this first: a closed plan is the record of what was done."""
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(PLAN_IS_CLOSED.format(plan=plan.title))


@transaction.atomic
def plan_status_change(
    *, plan: Plan, to: str, changed_by: AbstractBaseUser | None, reason: str = "", at: dt.datetime | None = None
) -> PlanStatusChange:
    """Move a plan one step in its life and record who did it, when and (back to draft) why."""
    if changed_by is not None and not changed_by.has_perm("plans.change_plan"):
        raise PermissionDenied(NOT_ALLOWED_TO_CHANGE_PLAN_STATUS)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    current, wanted = Plan.Status(plan.status), Plan.Status(to)
    if wanted not in PLAN_STEPS[current]:
        raise ValidationError(
            PLAN_STATUS_NOT_ALLOWED.format(current=current.label.lower(), wanted=wanted.label.lower())
        )
    reason = reason.strip()
    if wanted == Plan.Status.DRAFT and not reason:
        raise ValidationError({"reason": PLAN_BACK_TO_DRAFT_NEEDS_REASON})
    plan.status = wanted
    plan.save(update_fields=["status", "updated_at"])
    change = PlanStatusChange(
        plan=plan, from_status=current, to_status=wanted, reason=reason, changed_by=changed_by,
        changed_at=at or timezone.now(),
    )  # fmt: skip
    change.full_clean()
    change.save()
    return change


def _check_length(**texts: tuple[str, int]) -> None:
    """ValidationError on each field whose text is longer than its limit: {field: (text, limit)}."""
    errors = {
        field: TEXT_TOO_LONG.format(limit=limit, length=len(text))
        for field, (text, limit) in texts.items()
        if len(text) > limit
    }
    if errors:
        raise ValidationError(errors)


class StaleActionError(Exception):
    """The action changed after the editor loaded it; carries the update that got there first."""

    def __init__(self, action: Action) -> None:
        super().__init__(ACTION_CHANGED_SINCE_OPENED)
        self.action = action


@transaction.atomic
def action_update(
    *,
    action: Action,
    author: AbstractBaseUser | None,
    status: str,
    at_risk: bool = False,
    at_risk_reason: str = "",
    commentary: str = "",
    evidence_url: str = "",
    milestones_done: Iterable[Milestone] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    reported_rag: str = "",
    source: str = "",
) -> ActionUpdate:
    """Record an update to an action and bring the action's current state in line with it.

    `milestones_done` are the milestones ticked as done in this update. When
    `expected_version` is given and the action has moved on since, nothing is written.
    `reported_rag` is the colour the person reported, kept as evidence beside the rule's.
    An update dated before the action's latest (`at`) is added to the history on its own
    date without overwriting the newer current state.
    """
    refuse_if_closed(action.plan)
    if author is not None and not action.can_be_updated_by(author):
        raise PermissionDenied(NOT_ALLOWED_TO_UPDATE)
    at = at or timezone.now()
    on_date = timezone.localdate(at)
    if status == Status.COMPLETED:
        at_risk = False  # finished work is no longer at risk
    at_risk_reason = at_risk_reason.strip() if at_risk else ""
    commentary = commentary.strip()
    if at_risk and not at_risk_reason:
        raise ValidationError({"at_risk_reason": AT_RISK_NEEDS_REASON})
    _check_length(at_risk_reason=(at_risk_reason, REASON_MAX_LENGTH), commentary=(commentary, COMMENTARY_MAX_LENGTH))

    done_ids = {milestone.pk for milestone in milestones_done}
    milestones = list(Milestone.objects.filter(action=action))
    # An update recorded after the fact is coloured by what held on its own date.
    past = on_date < timezone.localdate()
    state = ActionState(
        status=status,
        target_date=action.target_date_as_of(on_date) if past else action.target_date,
        at_risk=at_risk,
        at_risk_reason=at_risk_reason,
        start_date=action.start_date,
        open_milestones=tuple(
            OpenMilestone(m.title, m.target_date)
            for m in milestones
            if m.target_date and (not m.done_on or m.done_on > on_date) and m.pk not in done_ids
        ),
        cadence=action.cadence,
        last_update_on=on_date,
    )
    rag = rag_for(state, on_date)
    if not commentary and status == Status.COMPLETED != action.status:
        raise ValidationError({"commentary": COMMENTARY_REQUIRED_TO_COMPLETE})
    if not commentary and rag in (RAG.AMBER, RAG.RED):
        raise ValidationError({"commentary": COMMENTARY_REQUIRED.format(rag=rag.label)})

    locked = Action.objects.filter(pk=action.pk)
    if expected_version is not None:
        locked = locked.filter(version=expected_version)
    if not locked.update(version=F("version") + 1):
        raise StaleActionError(Action.objects.get(pk=action.pk))

    Milestone.objects.filter(action=action, pk__in=done_ids, done_on__isnull=True).update(done_on=on_date)
    # An update recorded after the fact (an import of history) does not overwrite a newer one.
    if action.last_updated_at is None or at >= action.last_updated_at:
        action.status = status
        action.at_risk = at_risk
        action.at_risk_reason = at_risk_reason
        action.completed_on = (action.completed_on or on_date) if status == Status.COMPLETED else None
        action.last_updated_at = at
    action._history_user = author
    action.save(update_fields=["status", "at_risk", "at_risk_reason", "completed_on", "last_updated_at"])
    action.refresh_from_db(fields=["version"])
    update = ActionUpdate(
        action=action,
        author=author,
        created_at=at,
        status=status,
        at_risk=at_risk,
        at_risk_reason=at_risk_reason,
        rag=rag,
        reported_rag=reported_rag or "",
        commentary=commentary,
        evidence_url=evidence_url,
        source=source,
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def target_date_change_request(
    *,
    action: Action,
    requested_by: AbstractBaseUser | None,
    new_target_date: dt.date,
    reason: str,
    at: dt.datetime | None = None,
) -> TargetDateChange:
    refuse_if_closed(action.plan)
    if requested_by is not None and not action.can_be_updated_by(requested_by):
        raise PermissionDenied(NOT_ALLOWED_TO_UPDATE)
    action.refresh_from_db(fields=["target_date"])
    if not reason.strip():
        raise ValidationError({"reason": TARGET_CHANGE_NEEDS_REASON})
    _check_length(reason=(reason.strip(), REASON_MAX_LENGTH))
    if new_target_date == action.target_date:
        raise ValidationError({"new_target_date": TARGET_CHANGE_SAME_DATE})
    # The same question twice (a double click, a second device) would ask the approvers twice; the
    # action row is locked so that two requests at once cannot both pass this check.
    Action.objects.select_for_update().filter(pk=action.pk).first()
    pending = TargetDateChange.objects.filter(
        action=action, decision=TargetDateChange.Decision.PENDING, new_target_date=new_target_date
    )
    if pending.exists():
        raise ValidationError({"new_target_date": TARGET_CHANGE_ALREADY_PENDING.format(date=new_target_date)})
    change = TargetDateChange(
        action=action,
        previous_target_date=action.target_date,
        new_target_date=new_target_date,
        reason=reason.strip(),
        requested_by=requested_by,
        requested_at=at or timezone.now(),
    )
    change.full_clean()
    change.save()
    notifications.after_commit(notifications.target_date_requested, change.pk)
    return change


@transaction.atomic
def target_date_change_decide(
    *, change: TargetDateChange, decided_by: AbstractBaseUser | None, approve: bool, at: dt.datetime | None = None
) -> TargetDateChange:
    """Approve or reject a requested target date; only an approval moves the action's target."""
    change = TargetDateChange.objects.select_for_update().select_related("action__plan").get(pk=change.pk)
    refuse_if_closed(change.action.plan)
    if decided_by is not None and not change.can_be_decided_by(decided_by):
        raise PermissionDenied(NOT_ALLOWED_TO_DECIDE)
    if change.decision != TargetDateChange.Decision.PENDING:
        raise ValidationError(TARGET_CHANGE_ALREADY_DECIDED)
    if approve and change.previous_target_date != change.action.target_date:
        raise ValidationError(TARGET_CHANGE_OUT_OF_DATE)
    change.decision = TargetDateChange.Decision.APPROVED if approve else TargetDateChange.Decision.REJECTED
    change.decided_by = decided_by
    change.decided_at = at or timezone.now()
    change.save()
    if approve:
        action = change.action
        action.target_date = change.new_target_date
        action._history_user = decided_by
        action.save(update_fields=["target_date"])
        Action.objects.filter(pk=action.pk).update(version=F("version") + 1)
    notifications.after_commit(notifications.target_date_decided, change.pk)
    return change


@dataclass(frozen=True)
class ReportedPosition:
    """Where a file (a plan spreadsheet) says an action stands on its position date."""

    action: Action
    status: str
    at_risk: bool = False
    at_risk_reason: str = ""
    reported_rag: str = ""
    source: str = ""


@dataclass
class PositionsRecorded:
    recorded: list[ActionUpdate]
    # Actions updated in the tracker after the position date: the file's position joins their history
    # on its own date, but their current state stays the newer one.
    kept_newer: list[Action]
    unchanged: list[Action]


# Ids per query: well under SQLite's limit on query parameters.
_CHUNK = 2000


def _chunks(items: Sequence[int]) -> list[Sequence[int]]:
    return [items[start : start + _CHUNK] for start in range(0, len(items), _CHUNK)]


def _positions_known_on(at: dt.datetime, action_ids: Sequence[int]) -> dict[int, tuple[str, bool, str, str]]:
    known = {}
    for chunk in _chunks(action_ids):
        known |= ActionUpdate.objects.filter(action_id__in=chunk).positions_at(at)
    return known


@transaction.atomic
def action_positions_record(
    *,
    positions: list[ReportedPosition],
    author: AbstractBaseUser | None,
    at: dt.datetime,
    created: Sequence[Action] = (),
) -> PositionsRecorded:
    """Record many actions' positions as of `at` in one go: what an import of a plan's file does.

    The same door as `action_update` (history first, the action's current state kept in line with
    its newest update), in a fixed number of queries so that a 10,000-row plan imports quickly. A
    position that repeats the update recorded at the same moment is not recorded again, so importing
    the same file twice changes nothing. Load the actions `with_rag_data()`.

    `created` are actions the same write has just inserted in bulk without their audit row: each gets
    its one creation row here, holding the state its position gives, rather than a creation row and then
    a change row for the same moment. The updates are inserted without reading back their keys.
    """
    for plan in {position.action.plan for position in positions}:
        refuse_if_closed(plan)
    on_date = timezone.localdate(at)
    past = on_date < timezone.localdate()
    new = {action.pk for action in created}
    # An action created by this write has no history yet to repeat.
    known = _positions_known_on(at, [position.action.pk for position in positions if position.action.pk not in new])
    recorded, kept_newer, unchanged, moved = [], [], [], []
    for position in positions:
        action = position.action
        at_risk = position.at_risk and position.status != Status.COMPLETED
        reason = position.at_risk_reason.strip() if at_risk else ""
        # Only the same position on the same date repeats itself (the same file imported twice); next
        # month's file saying the same again is a new report, which keeps a monthly action's cadence.
        if known.get(action.pk) == (position.status, at_risk, reason, position.reported_rag or "", at):
            unchanged.append(action)
            continue
        # A file dated in the past is coloured by what held on its date (the actions come with their
        # target changes and milestones loaded).
        state = ActionState(
            status=position.status,
            target_date=action.target_date_as_of(on_date) if past else action.target_date,
            at_risk=at_risk,
            at_risk_reason=reason,
            start_date=action.start_date,
            open_milestones=action._open_milestones(on_date if past else None),
            cadence=action.cadence,
            last_update_on=on_date,
        )
        update = ActionUpdate(
            action=action,
            author=author,
            created_at=at,
            status=position.status,
            at_risk=at_risk,
            at_risk_reason=reason,
            rag=rag_for(state, on_date),
            reported_rag=position.reported_rag or "",
            source=position.source[:300],
        )
        recorded.append(update)
        if action.last_updated_at is not None and at < action.last_updated_at:
            kept_newer.append(action)
            continue
        action.status, action.at_risk, action.at_risk_reason = position.status, at_risk, reason
        action.completed_on = (action.completed_on or on_date) if position.status == Status.COMPLETED else None
        action.last_updated_at = at
        moved.append(action)
    rows_inserted(recorded)
    # One UPDATE per distinct new state: a plan's file has a handful of them, while bulk_update would
    # write a CASE per row and field (three times slower on a 10,000-row plan).
    by_state = {}
    for action in moved:
        key = (action.status, action.at_risk, action.at_risk_reason, action.completed_on)
        by_state.setdefault(key, []).append(action.pk)
    for (status, at_risk, reason, completed_on), pks in by_state.items():
        for chunk in _chunks(pks):
            Action.objects.filter(pk__in=chunk).update(
                status=status,
                at_risk=at_risk,
                at_risk_reason=reason,
                completed_on=completed_on,
                last_updated_at=at,
                version=F("version") + 1,
            )
    changed = [action for action in moved if action.pk not in new]
    Action.history.bulk_history_create(changed, batch_size=500, update=True, default_user=author)
    if created:
        # Each created action's creation row holds its state as just recorded: the database copies it
        # from the action's row (common.bulk), by whom bulk_history_create would sign it.
        user = author or Action.history.model.get_default_history_user(created[0])
        creation_history_copied(
            Action, [action.pk for action in created], user_id=user.pk if user else None, at=timezone.now()
        )
    return PositionsRecorded(recorded=recorded, kept_newer=kept_newer, unchanged=unchanged)


@transaction.atomic
def target_date_record(
    *,
    action: Action,
    new_target_date: dt.date | None,
    reason: str,
    decided_by: AbstractBaseUser | None,
    at: dt.datetime | None,
    new_target_text: str | None = None,
) -> TargetDateChange:
    """A target moved outside the tracker (a re-imported plan): recorded as an approved change on `at`,
    so that slippage and past views see it like one asked for here. A change dated before a newer
    approved one joins the history without moving the target in force. `new_target_date` None is a
    target withdrawn ("TBC")."""
    refuse_if_closed(action.plan)
    at = at or timezone.now()
    newer = action.target_changes.filter(decision=TargetDateChange.Decision.APPROVED, decided_at__gt=at).exists()
    change = TargetDateChange.objects.create(
        action=action,
        # The target in force on the change's own date: a back-dated move sits before newer approvals.
        previous_target_date=action.target_date_as_of(timezone.localdate(at)),
        new_target_date=new_target_date,
        reason=reason,
        requested_by=decided_by,
        requested_at=at,
        decision=TargetDateChange.Decision.APPROVED,
        decided_by=decided_by,
        decided_at=at,
    )
    action.forget_loaded_history()
    if not newer:
        action.target_date = new_target_date
        if new_target_text is not None:
            action.target_text = new_target_text
        action._history_user = decided_by
        action.save(update_fields=["target_date", "target_text"])
        Action.objects.filter(pk=action.pk).update(version=F("version") + 1)
    return change


MILESTONE_NEEDS_TITLE = "Say what the milestone is."
MILESTONE_DONE_IS_HISTORY = (
    "This milestone was done on {day:%-d %b %Y}: it is part of the action's record and cannot be changed or removed."
)


def _may_change_milestones(action: Action, by: AbstractBaseUser | None) -> None:
    if by is not None and not action.can_be_updated_by(by):
        raise PermissionDenied(NOT_ALLOWED_TO_UPDATE)


def _not_done(milestone: Milestone) -> None:
    # A done milestone is what the board was told was delivered; the update that ticked it says so.
    if milestone.done_on:
        raise ValidationError(MILESTONE_DONE_IS_HISTORY.format(day=milestone.done_on))


@transaction.atomic
def milestone_add(
    *, action: Action, by: AbstractBaseUser | None, title: str, target_date: dt.date | None = None
) -> Milestone:
    """A new milestone at the end of the action's list."""
    _may_change_milestones(action, by)
    if not title.strip():
        raise ValidationError({"title": MILESTONE_NEEDS_TITLE})
    last = action.milestones.order_by("-position").values_list("position", flat=True).first()
    milestone = Milestone(action=action, title=title.strip(), target_date=target_date,
                          position=0 if last is None else last + 1)  # fmt: skip
    milestone._history_user = by
    milestone.full_clean()
    milestone.save()
    action.forget_loaded_history()
    return milestone


@transaction.atomic
def milestone_edit(
    *, milestone: Milestone, by: AbstractBaseUser | None, title: str, target_date: dt.date | None
) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("action").get(pk=milestone.pk)
    _may_change_milestones(milestone.action, by)
    _not_done(milestone)
    if not title.strip():
        raise ValidationError({"title": MILESTONE_NEEDS_TITLE})
    if target_date != milestone.target_date:
        milestone.target_text = ""  # what the plan said no longer describes the date now agreed
    milestone.title, milestone.target_date = title.strip(), target_date
    milestone._history_user = by
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_move(*, milestone: Milestone, by: AbstractBaseUser | None, up: bool) -> None:
    """Swap the milestone with the one before it (`up`) or after it; the ends stay where they are."""
    _may_change_milestones(milestone.action, by)
    siblings = list(Milestone.objects.select_for_update().filter(action=milestone.action_id).order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == milestone.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumbered from 0: positions imported from a plan may repeat, which would make a swap do nothing.
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling._history_user = by
            sibling.save(update_fields=["position"])


@transaction.atomic
def milestone_remove(*, milestone: Milestone, by: AbstractBaseUser | None) -> None:
    milestone = Milestone.objects.select_for_update().select_related("action").get(pk=milestone.pk)
    _may_change_milestones(milestone.action, by)
    _not_done(milestone)
    milestone._history_user = by
    milestone.delete()
