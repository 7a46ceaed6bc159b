"""Where a plan stands on a date and what moved since an earlier one: the board's dashboard and pack read this."""

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from common.heap import collector_paused

from .models import Action, Area, Milestone, Plan, TargetDateChange
from .rag import RAG, RAG_ORDER, RAG_RANK
from .reading import ActionReading, Attention, read_action, with_late_prerequisites

DEFAULT_MOVEMENT_DAYS = 30
MILESTONE_HORIZONS = (30, 60)


@dataclass(frozen=True)
class Movement:
    reading: ActionReading
    before: RAG | None

    @property
    def action(self) -> Action:
        return self.reading.action

    @property
    def after(self) -> RAG:
        return self.reading.rag

    @property
    def direction(self) -> Literal["new", "better", "worse"]:
        if self.before is None:
            return "new"
        return "better" if RAG_RANK[self.after] > RAG_RANK[self.before] else "worse"


@dataclass
class AreaSummary:
    area: Area
    readings: list[ActionReading] = field(default_factory=list)
    counts: dict[RAG, int] = field(default_factory=lambda: dict.fromkeys(RAG_ORDER, 0))

    @property
    def total(self) -> int:
        return len(self.readings)


@dataclass
class PlanSummary:
    """Lists of ActionReading, each as the board reads the action on `as_of`."""

    plan: Plan
    as_of: dt.date
    since: dt.date
    counts: dict[RAG, int]
    areas: list[AreaSummary]
    overdue: list[ActionReading]
    at_risk: list[ActionReading]
    no_target: list[ActionReading]
    stale: list[ActionReading]
    reported_differs: list[ActionReading]
    prerequisite_late: list[ActionReading]  # waiting on a prerequisite that is late
    recently_completed: list[ActionReading]
    slipped: list[ActionReading]  # furthest moved first
    milestones_due: list[Milestone]
    movement: list[Movement]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def worsened(self) -> list[Movement]:
        return [move for move in self.movement if move.direction == "worse"]

    @property
    def improved(self) -> list[Movement]:
        return [move for move in self.movement if move.direction in ("better", "new")]

    def milestones_due_within(self, days: int) -> list[Milestone]:
        return [m for m in self.milestones_due if m.target_date <= self.as_of + dt.timedelta(days=days)]

    @cached_property
    def milestones_due_soon(self) -> list[Milestone]:
        """Due within 30 days of the as-of date."""
        return self.milestones_due_within(MILESTONE_HORIZONS[0])

    @cached_property
    def milestones_due_later(self) -> list[Milestone]:
        """Due in 31 to 60 days."""
        return self.milestones_due[len(self.milestones_due_soon) :]


def actions_read_on(plan: Plan, *dates: dt.date, area_ids: Collection[int] | None = None) -> list[Action]:
    """The plan's actions (or those of `area_ids` only) with what reading them on each of `dates` needs: area,
    leads, milestones, the latest update known on each date and the target date changes; sponsors are left to
    whoever shows them.

    The same rows as `with_updates_known_on(*dates)` with the area, leads and users, in seven queries, but
    attached here rather than by prefetch_related: Django's prefetch builds a manager and a queryset per action
    and relation and sets each row's link back through the descriptor, which cost more than reading the rows
    (issue 20: a 2,000-action dashboard spent most of its time there). Each area is one instance, not one per row.
    """
    # The plan's own manager sets action.plan without a join.
    chosen = plan.actions.all() if area_ids is None else plan.actions.filter(area_id__in=area_ids)
    in_chosen = {} if area_ids is None else {"action__area_id__in": area_ids}
    actions = list(chosen)
    by_pk = {action.pk: action for action in actions}
    areas = {area.pk: area for area in plan.areas.all()}
    lists = {relation: {pk: [] for pk in by_pk} for relation in ("milestones", "updates", "target_changes", "leads")}
    querysets = {
        # Ordered as Meta.ordering within each action, without its join through actions to plans.
        "milestones": Milestone.objects.filter(action__plan=plan, **in_chosen).order_by("action_id", "position", "pk"),
        "updates": chosen.updates_known_on(*dates),
        "target_changes": TargetDateChange.objects.filter(action__plan=plan, **in_chosen),
    }
    read = {relation: list(queryset) for relation, queryset in querysets.items()}
    for relation, rows in read.items():
        for row in rows:
            row._state.fields_cache["action"] = by_pk[row.action_id]
            lists[relation][row.action_id].append(row)
    # A few people write thousands of updates: each is read once rather than joined to every row (issue 20).
    _attach_people([(read["updates"], ("author",)), (read["target_changes"], ("requested_by", "decided_by"))])
    leads = Action.leads.through.objects.filter(action__plan=plan, **in_chosen).select_related("person")
    for link in leads.order_by(Lower("person__name"), "person__pk"):
        lists["leads"][link.action_id].append(link.person)
    for action in actions:
        action._state.fields_cache["area"] = areas[action.area_id]
        for relation, by_action in lists.items():
            action.__dict__[f"prefetched_{relation}"] = by_action[action.pk]
    return actions


def _attach_people(rows_and_fields: list[tuple[list, tuple[str, ...]]]) -> None:
    """Set each row's user fields from one read of the users they name, as select_related would (None for none)."""
    ids = {getattr(row, f"{name}_id") for rows, names in rows_and_fields for row in rows for name in names}
    ids.discard(None)
    users = get_user_model()._default_manager.in_bulk(ids) if ids else {}
    for rows, names in rows_and_fields:
        for row in rows:
            for name in names:
                row._state.fields_cache[name] = users.get(getattr(row, f"{name}_id"))


@collector_paused()  # every row read stays alive until the summary is built (common.heap)
def plan_summary(
    plan: Plan,
    *,
    as_of: dt.date,
    since: dt.date | None = None,
    previous_rags: Mapping[int, RAG] | None = None,
    area_ids: Collection[int] | None = None,
) -> PlanSummary:
    """The plan's RAG counts, exceptions and movement as known on `as_of`.

    Movement compares each action's colour on `as_of` with its colour on `since` (30 days earlier
    unless given), both worked out from the update history; `previous_rags` ({action id: RAG}, as
    recorded by an issued board pack) replaces the history for the earlier side when given, so a
    pack shows movement against exactly what the board was last shown. `area_ids` keeps only those areas'
    actions (a pack for a committee that oversees some areas); None keeps every area.
    """
    since = since or as_of - dt.timedelta(days=DEFAULT_MOVEMENT_DAYS)
    # The history known on `since` is only read when no pack recorded what the board was shown then.
    dates = (as_of, since) if previous_rags is None else (as_of,)
    actions = actions_read_on(plan, *dates, area_ids=area_ids)
    areas = {}
    counts = dict.fromkeys(RAG_ORDER, 0)
    movement = []
    readings = []
    for reading in with_late_prerequisites([read_action(action, as_of) for action in actions], as_of):
        action = reading.action
        readings.append(reading)
        counts[reading.rag] += 1
        area = areas.setdefault(action.area_id, AreaSummary(area=action.area))
        area.readings.append(reading)
        area.counts[reading.rag] += 1
        before = action.rag(since) if previous_rags is None else previous_rags.get(action.pk)
        if before != reading.rag:
            movement.append(Movement(reading=reading, before=before))

    # Each reading's reasons worked out once, not once per list.
    needing = {reason: [] for reason in Attention}
    for reading in readings:
        for reason in reading.attention:
            needing[reason].append(reading)

    horizon = as_of + dt.timedelta(days=max(MILESTONE_HORIZONS))
    milestones_due = sorted(
        (
            milestone
            for action in actions
            for milestone in action.milestone_list
            if milestone.target_date
            and as_of <= milestone.target_date <= horizon
            and (milestone.done_on is None or milestone.done_on > as_of)
        ),
        key=lambda milestone: (milestone.target_date, milestone.action.position),
    )
    return PlanSummary(
        plan=plan,
        as_of=as_of,
        since=since,
        counts=counts,
        areas=sorted(areas.values(), key=lambda row: (row.area.position, row.area.pk)),
        overdue=sorted(
            needing[Attention.OVERDUE], key=lambda reading: (reading.slippage.target_date, reading.action.position)
        ),
        at_risk=needing[Attention.AT_RISK],
        no_target=needing[Attention.NO_TARGET],
        stale=needing[Attention.STALE],
        reported_differs=needing[Attention.REPORTED_DIFFERS],
        prerequisite_late=needing[Attention.PREREQUISITE_LATE],
        recently_completed=[move.reading for move in movement if move.after == RAG.BLUE],
        slipped=sorted(needing[Attention.SLIPPED], key=lambda reading: -reading.slippage.days),
        milestones_due=milestones_due,
        movement=sorted(movement, key=lambda move: (RAG_RANK[move.after], move.action.position)),
    )
