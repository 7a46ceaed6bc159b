"""Where a plan stands on a date and what moved since an earlier one: the board's dashboard and pack read this."""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models

from .models import Action, Area
from .rag import RAG, RAG_ORDER

DEFAULT_MOVEMENT_DAYS = 30
MILESTONE_HORIZONS = (30, 60)

# From worst to best, to say whether a change of colour is good news. Grey ("not started or timing
# to be confirmed") sits below Green: an action going from Green to Grey has lost its footing.
_RAG_RANK = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREY: 2, RAG.GREEN: 3, RAG.BLUE: 4}


class Attention(models.TextChoices):
    """Why the board should challenge an action; an action can need attention for several reasons."""

    OVERDUE = "overdue", "Overdue"
    AT_RISK = "at_risk", "At risk"
    NO_TARGET = "no_target", "No target date"
    SLIPPED = "slipped", "Target moved"
    STALE = "stale", "No recent update"


def read_as_of(actions, as_of):
    """Give each action its colour, latest update and slippage as known on `as_of` (load them with_history_on)."""
    for action in actions:
        action.rag_as_of = action.rag(as_of)
        action.latest_update_as_of = action.latest_update(as_of)
        action.slippage_as_of = action.slippage(as_of)
        action.stale_as_of = action.is_stale(as_of)
        target = action.slippage_as_of.target_date
        action.days_overdue = (as_of - target).days if target and as_of > target else 0
    return actions


def needs_attention(action):
    """The reasons an action read with `read_as_of` needs the board's attention."""
    reasons = set()
    if action.rag_as_of == RAG.RED:
        reasons.add(Attention.OVERDUE)
    if action.rag_as_of == RAG.AMBER:
        reasons.add(Attention.AT_RISK)
    if action.slippage_as_of.target_date is None and action.rag_as_of != RAG.BLUE:
        reasons.add(Attention.NO_TARGET)
    if action.slippage_as_of.times_moved:
        reasons.add(Attention.SLIPPED)
    if action.stale_as_of:
        reasons.add(Attention.STALE)
    return reasons


def has_moved(action, since):
    """Whether an action read with `read_as_of` has changed colour since `since` (loaded with_history_on both)."""
    return action.rag(since) != action.rag_as_of


@dataclass(frozen=True)
class Movement:
    action: Action
    before: RAG | None
    after: RAG

    @property
    def direction(self):
        if self.before is None:
            return "new"
        return "better" if _RAG_RANK[self.after] > _RAG_RANK[self.before] else "worse"


@dataclass
class AreaSummary:
    area: Area
    actions: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: dict.fromkeys(RAG_ORDER, 0))

    @property
    def total(self):
        return len(self.actions)


@dataclass
class PlanSummary:
    plan: object
    as_of: dt.date
    since: dt.date
    counts: dict
    areas: list
    overdue: list
    at_risk: list
    no_target: list
    stale: list
    recently_completed: list
    slipped: list  # (Action, Slippage), furthest moved first
    milestones_due: list
    movement: list

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def worsened(self):
        return [move for move in self.movement if move.direction == "worse"]

    @property
    def improved(self):
        return [move for move in self.movement if move.direction in ("better", "new")]

    def milestones_due_within(self, days):
        return [m for m in self.milestones_due if m.target_date <= self.as_of + dt.timedelta(days=days)]

    @cached_property
    def milestones_due_soon(self):
        """Due within 30 days of the as-of date."""
        return self.milestones_due_within(MILESTONE_HORIZONS[0])

    @cached_property
    def milestones_due_later(self):
        """Due in 31 to 60 days."""
        return self.milestones_due[len(self.milestones_due_soon) :]


def plan_summary(plan, *, as_of, since=None, previous_rags=None):
    """The plan's RAG counts, exceptions and movement as known on `as_of`.

    Movement compares each action's colour on `as_of` with its colour on `since` (30 days earlier
    unless given), both worked out from the update history; `previous_rags` ({action id: RAG}, as
    recorded by an issued board pack) replaces the history for the earlier side when given, so a
    pack shows movement against exactly what the board was last shown.
    """
    since = since or as_of - dt.timedelta(days=DEFAULT_MOVEMENT_DAYS)
    # The plan's own manager sets action.plan without a join; sponsors are left to who shows them.
    actions = list(
        plan.actions.select_related("area", "lead_user").with_milestones().with_updates_known_on(as_of, since)
    )
    areas = {}
    counts = dict.fromkeys(RAG_ORDER, 0)
    movement = []
    for action in read_as_of(actions, as_of):
        action.attention = needs_attention(action)
        counts[action.rag_as_of] += 1
        area = areas.setdefault(action.area_id, AreaSummary(area=action.area))
        area.actions.append(action)
        area.counts[action.rag_as_of] += 1
        before = action.rag(since) if previous_rags is None else previous_rags.get(action.pk)
        if before != action.rag_as_of:
            movement.append(Movement(action=action, before=before, after=action.rag_as_of))

    def needing(reason):
        return [action for action in actions if reason in action.attention]

    recently_completed = [move.action for move in movement if move.after == RAG.BLUE]
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
            needing(Attention.OVERDUE), key=lambda action: (action.slippage_as_of.target_date, action.position)
        ),
        at_risk=needing(Attention.AT_RISK),
        no_target=needing(Attention.NO_TARGET),
        stale=needing(Attention.STALE),
        recently_completed=recently_completed,
        slipped=[
            (action, action.slippage_as_of)
            for action in sorted(needing(Attention.SLIPPED), key=lambda action: -action.slippage_as_of.days)
        ],
        milestones_due=milestones_due,
        movement=sorted(movement, key=lambda move: (_RAG_RANK[move.after], move.action.position)),
    )
