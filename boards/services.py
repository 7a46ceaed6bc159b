"""Writes for boards: a meeting's decisions and actions arising, turning one into a plan action, and sign-off."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from plans.models import Area, Person, Plan, PlanSignOff
from plans.new_actions import action_create
from plans.signoff import plan_sign_off

from .models import MANAGE_PERMISSION, Decision, FollowUp, Meeting

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

NOT_ALLOWED_TO_RECORD = "Only an admin or a member of {board} may record its meetings' decisions."
MEETING_CANCELLED = "This meeting was cancelled: it has no decisions to record."
MEETING_NOT_YET_HELD = "This meeting has not happened yet: record its decisions on or after {date:%-d %B %Y}."
DECISION_NEEDS_TEXT = "Say what was decided."
FOLLOW_UP_NEEDS_TEXT = "Say what is to be done."
FOLLOW_UP_ONE_OWNER = "Choose a person or an account as the owner, not both."
DECISION_OF_ANOTHER_MEETING = "This decision was made at another meeting."
PLAN_NOT_OVERSEEN = "{board} does not oversee {plan}."
AREA_OF_ANOTHER_PLAN = "This area belongs to another plan."
FOLLOW_UP_ALREADY_AN_ACTION = "This action arising is already action {ref} of {plan}."
FOLLOW_UP_NEEDS_AREA = "Choose the area of the plan the new action belongs to."
FOLLOW_UP_NOT_OPEN = "Only an open action arising can become an action of the plan."
NOT_ALLOWED_TO_SIGN_OFF = "Only an admin may record that a board signed off a plan."
ARISING_REASON = "Action arising from {board}, {date:%-d %b %Y}"


def _may_record(meeting: Meeting, user: AbstractBaseUser | None) -> None:
    if meeting.is_cancelled:
        raise ValidationError(MEETING_CANCELLED)
    if meeting.date > timezone.localdate():
        raise ValidationError(MEETING_NOT_YET_HELD.format(date=meeting.date))
    if user is not None and not meeting.decisions_recordable_by(user):
        raise PermissionDenied(NOT_ALLOWED_TO_RECORD.format(board=meeting.board))


@transaction.atomic
def decision_record(*, meeting: Meeting, text: str, recorded_by: AbstractBaseUser | None) -> Decision:
    """Add what the meeting decided, numbered after its decisions so far."""
    _may_record(meeting, recorded_by)
    text = text.strip()
    if not text:
        raise ValidationError({"text": DECISION_NEEDS_TEXT})
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # numbers are given one at a time
    number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
    decision = Decision(meeting=meeting, number=number, text=text, recorded_by=recorded_by)
    decision.full_clean()
    decision.save()
    return decision


def _check_place(meeting: Meeting, plan: Plan | None, area: Area | None) -> None:
    if plan is not None and not meeting.board.plans.filter(pk=plan.pk).exists():
        raise ValidationError({"plan": PLAN_NOT_OVERSEEN.format(board=meeting.board, plan=plan)})
    if area is not None and (plan is None or area.plan_id != plan.pk):
        raise ValidationError({"area": AREA_OF_ANOTHER_PLAN})


@transaction.atomic
def follow_up_add(
    *,
    meeting: Meeting,
    description: str,
    added_by: AbstractBaseUser | None,
    owner_person: Person | None = None,
    owner_user: AbstractBaseUser | None = None,
    due_date: dt.date | None = None,
    decision: Decision | None = None,
    plan: Plan | None = None,
    area: Area | None = None,
) -> FollowUp:
    """Record an action arising from the meeting: what, who owns it, by when, and where in a plan it belongs."""
    _may_record(meeting, added_by)
    description = " ".join(description.split())
    if not description:
        raise ValidationError({"description": FOLLOW_UP_NEEDS_TEXT})
    if owner_person is not None and owner_user is not None:
        raise ValidationError({"owner_person": FOLLOW_UP_ONE_OWNER})
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError({"decision": DECISION_OF_ANOTHER_MEETING})
    if area is not None and plan is None:
        plan = area.plan
    _check_place(meeting, plan, area)
    follow_up = FollowUp(
        meeting=meeting, decision=decision, description=description, owner_person=owner_person,
        owner_user=owner_user, due_date=due_date, plan=plan, area=area, created_by=added_by,
    )  # fmt: skip
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_set_state(*, follow_up: FollowUp, state: str, by: AbstractBaseUser | None) -> FollowUp:
    """Mark an action arising open, done or dropped (the next meeting's pack prints its state)."""
    meeting = follow_up.meeting
    if by is not None and not meeting.decisions_recordable_by(by):
        raise PermissionDenied(NOT_ALLOWED_TO_RECORD.format(board=meeting.board))
    follow_up.state = FollowUp.State(state)
    follow_up.state_changed_at = timezone.now()
    follow_up.save(update_fields=["state", "state_changed_at"])
    return follow_up


@transaction.atomic
def follow_up_to_action(*, follow_up: FollowUp, by: AbstractBaseUser | None, area: Area | None = None):
    """Make the action arising an action of its plan (plans.new_actions, which records who and why), linked to it."""
    # Only the action arising's own row is locked: PostgreSQL locks no row on the nullable side of an outer join.
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("meeting__board", "action__plan")
        .get(pk=follow_up.pk)
    )
    if follow_up.action_id is not None:
        raise ValidationError(FOLLOW_UP_ALREADY_AN_ACTION.format(ref=follow_up.action.ref, plan=follow_up.action.plan))
    if follow_up.state != FollowUp.State.OPEN:
        raise ValidationError(FOLLOW_UP_NOT_OPEN)
    area = area or follow_up.area
    if area is None:
        raise ValidationError({"area": FOLLOW_UP_NEEDS_AREA})
    meeting = follow_up.meeting
    _check_place(meeting, area.plan, area)
    owner = follow_up.owner_person
    if owner is None and follow_up.owner_user_id is not None:
        owner = Person.objects.filter(user_id=follow_up.owner_user_id).first()
    action = action_create(
        plan=area.plan,
        area=area,
        title=follow_up.description,
        target_date=follow_up.due_date,
        leads=[owner] if owner is not None else [],
        created_by=by,
        reason=ARISING_REASON.format(board=meeting.board, date=meeting.date),
    )
    follow_up.action, follow_up.plan, follow_up.area = action, area.plan, area
    follow_up.save(update_fields=["action", "plan", "area"])
    return action


@transaction.atomic
def meeting_sign_off(*, meeting: Meeting, plan: Plan, recorded_by: AbstractBaseUser | None) -> PlanSignOff:
    """Record that the meeting signed off the plan as it stands now (the plans app keeps the version agreed)."""
    if recorded_by is not None and not recorded_by.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(NOT_ALLOWED_TO_SIGN_OFF)
    if meeting.is_cancelled:
        raise ValidationError(MEETING_CANCELLED)
    _check_place(meeting, plan, None)
    sign_off = plan_sign_off(
        plan=plan, signed_off_by=meeting.board.name, signed_off_on=meeting.date, recorded_by=recorded_by
    )
    meeting.sign_offs.add(sign_off)
    return sign_off
