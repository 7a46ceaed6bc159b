"""Where a plan stands on a date and what moved since an earlier one: the board's dashboard and pack read this."""

import datetime as dt
from dataclasses import dataclass, field

from .models import Action, Area
from .rag import RAG, RAG_ORDER

DEFAULT_MOVEMENT_DAYS = 30
MILESTONE_HORIZONS = (30, 60)

# From worst to best, to say whether a change of colour is good news. Grey ("not started or timing
# to be confirmed") sits below Green: an action going from Green to Grey has lost its footing.
_RAG_RANK = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREY: 2, RAG.GREEN: 3, RAG.BLUE: 4}


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


def plan_summary(plan, *, as_of, since=None, previous_rags=None):
    """The plan's RAG counts, exceptions and movement as known on `as_of`.

    Movement compares each action's colour on `as_of` with its colour on `since` (30 days earlier
    unless given), both worked out from the update history; `previous_rags` ({action id: RAG}, as
    recorded by an issued board pack) replaces the history for the earlier side when given, so a
    pack shows movement against exactly what the board was last shown.
    """
    since = since or as_of - dt.timedelta(days=DEFAULT_MOVEMENT_DAYS)
    actions = list(Action.objects.filter(plan=plan).with_history_on(as_of, since))
    areas = {}
    counts = dict.fromkeys(RAG_ORDER, 0)
    movement = []
    for action in actions:
        action.rag_as_of = action.rag(as_of)
        action.latest_update_as_of = action.latest_update(as_of)
        action.slippage_as_of = action.slippage(as_of)
        counts[action.rag_as_of] += 1
        area = areas.setdefault(action.area_id, AreaSummary(area=action.area))
        area.actions.append(action)
        area.counts[action.rag_as_of] += 1
        before = action.rag(since) if previous_rags is None else previous_rags.get(action.pk)
        if before != action.rag_as_of:
            movement.append(Movement(action=action, before=before, after=action.rag_as_of))

    def where(rag):
        return [action for action in actions if action.rag_as_of == rag]

    recently_completed = [move.action for move in movement if move.after == RAG.BLUE]
    horizon = as_of + dt.timedelta(days=max(MILESTONE_HORIZONS))
    milestones_due = sorted(
        (
            milestone
            for action in actions
            for milestone in action.milestones.all()
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
        overdue=sorted(where(RAG.RED), key=lambda action: (action.slippage_as_of.target_date, action.position)),
        at_risk=where(RAG.AMBER),
        no_target=[
            action for action in actions if action.slippage_as_of.target_date is None and action.rag_as_of != RAG.BLUE
        ],
        stale=[action for action in actions if action.is_stale(as_of)],
        recently_completed=recently_completed,
        slipped=[
            (action, action.slippage_as_of)
            for action in sorted(actions, key=lambda a: -a.slippage_as_of.days)
            if action.slippage_as_of.times_moved
        ],
        milestones_due=milestones_due,
        movement=sorted(movement, key=lambda move: (_RAG_RANK[move.after], move.action.position)),
    )
