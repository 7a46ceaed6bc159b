"""What is asked of one person now, most urgent first: the "For you" page, the home of managers, the nav count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from plans.models import Action, Area, Plan, TargetDateChange
from plans.rag import RAG
from plans.reading import ActionReading, read_action
from plans.reminders import DUE_SOON_DAYS

from .models import WRITE_ANY_NARRATIVE, WRITE_OWN_NARRATIVES, PeriodNarrative

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


# What the count beside "For you" costs every page a manager or an admin opens (count_asked_of).
NAV_COUNT_QUERIES = 6


@dataclass
class AskedOf:
    """Each list most urgent first; an action needing an update is in one list only, its most urgent."""

    overdue: list[ActionReading] = field(default_factory=list)  # most days overdue first
    to_decide: list[TargetDateChange] = field(default_factory=list)  # oldest request first
    due_soon: list[ActionReading] = field(default_factory=list)  # nearest target first
    stale: list[ActionReading] = field(default_factory=list)  # longest without an update first
    narratives_due: list[Area] = field(default_factory=list)
    # Not a task: what the person asked for and waits on, so they know it has not been forgotten.
    my_requests: list[TargetDateChange] = field(default_factory=list)

    @property
    def updates_due(self) -> list[ActionReading]:
        return self.overdue + self.due_soon + self.stale

    @property
    def count(self) -> int:
        """What the person has to do: updates, decisions and narratives (their own requests wait on others)."""
        return len(self.updates_due) + len(self.to_decide) + len(self.narratives_due)


def asks_anything_of(user: AbstractBaseUser) -> bool:
    """Whether the person can be asked for updates or decisions at all; board members and viewers are not."""
    return user.has_perm("plans.update_own_action") or user.has_perm("plans.change_action")


def _needs_update(reading: ActionReading, today: dt.date) -> str | None:
    """Which list an action belongs in on `today`, if any: the same reasons the reminder emails give."""
    if reading.rag == RAG.BLUE:
        return None
    if reading.rag == RAG.RED:
        return "overdue"
    target = reading.state.target_date
    if target and not reading.state.cadence and target <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    if reading.stale or reading.state.update_missed(today):
        return "stale"
    return None


def _sort_updates_due(asked: AskedOf) -> None:
    never = dt.date.min
    asked.overdue.sort(key=lambda r: (-r.days_overdue, r.action.plan_id, r.action.position))
    asked.due_soon.sort(key=lambda r: (r.state.target_date, r.action.plan_id, r.action.position))
    asked.stale.sort(key=lambda r: (r.state.last_update_on or never, r.action.plan_id, r.action.position))


def _with_updates_due(asked: AskedOf, user: AbstractBaseUser, today: dt.date) -> AskedOf:
    """The person's actions needing an update, in four queries: the actions, milestones, updates, target changes."""
    # "Whose action" is one queryset's answer (Action.objects.led_or_sponsored_by), whatever leads become.
    theirs = Action.objects.filter(plan__status=Plan.Status.ACTIVE).led_or_sponsored_by(user).updatable_by(user)
    for action in theirs.select_related("plan").with_milestones().with_updates_known_on(today):
        reading = read_action(action, today)
        kind = _needs_update(reading, today)
        if kind:
            getattr(asked, kind).append(reading)
    _sort_updates_due(asked)
    return asked


def _pending() -> models.QuerySet[TargetDateChange]:
    return TargetDateChange.objects.pending().filter(action__plan__status=Plan.Status.ACTIVE)


def asked_of(user: AbstractBaseUser, today: dt.date) -> AskedOf:
    """Everything asked of `user` on `today`, in seven queries however many actions they hold."""
    asked = AskedOf()
    if not asks_anything_of(user):
        return asked
    _with_updates_due(asked, user, today)
    asked.to_decide = list(_pending().decidable_by(user).for_list())
    asked.my_requests = list(_pending().filter(requested_by=user).for_list())
    asked.narratives_due = list(_narratives_due(user, today))
    return asked


def count_asked_of(user: AbstractBaseUser, today: dt.date) -> int:
    """AskedOf.count for the navigation, in six queries (NAV_COUNT_QUERIES): the lists are counted, not read."""
    if not asks_anything_of(user):
        return 0
    asked = _with_updates_due(AskedOf(), user, today)
    return len(asked.updates_due) + _pending().decidable_by(user).count() + _narratives_due(user, today).count()


def _narratives_due(user: AbstractBaseUser, today: dt.date):
    """Areas of active plans where the person leads or sponsors actions and this month's narrative is unwritten."""
    if not (user.has_perm(WRITE_ANY_NARRATIVE) or user.has_perm(WRITE_OWN_NARRATIVES)):
        return Area.objects.none()
    theirs = Action.objects.led_or_sponsored_by(user).filter(plan__status=Plan.Status.ACTIVE).values("area_id")
    written = PeriodNarrative.objects.filter(area=OuterRef("pk"), period=today.replace(day=1)).exclude(
        Q(going_well="") & Q(for_improvement="")
    )
    return (
        Area.objects.filter(pk__in=theirs)
        .exclude(Exists(written))
        .select_related("plan")
        .order_by("plan__title", "position", "pk")
    )
