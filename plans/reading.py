"""The board's reading of an action on a date: one value that pages, packs, exports and reminders share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import models

from .models import Action, ActionUpdate, Dependency, Slippage
from .rag import RAG, ActionState, Status, rag_for, reasons_for


class Attention(models.TextChoices):
    """Why the board should challenge an action; an action can need attention for several reasons."""

    OVERDUE = "overdue", "Overdue"
    AT_RISK = "at_risk", "At risk"
    NO_TARGET = "no_target", "No target date"
    SLIPPED = "slipped", "Target moved"
    STALE = "stale", "No recent update"
    REPORTED_DIFFERS = "reported_differs", "Reported colour differs"
    PREREQUISITE_LATE = "prerequisite_late", "Waiting on a late prerequisite"


@dataclass(frozen=True)
class ActionReading:
    """What the board reads about `action` on `as_of`, all from the history known that day."""

    action: Action
    as_of: dt.date
    state: ActionState
    rag: RAG
    latest_update: ActionUpdate | None
    slippage: Slippage
    stale: bool
    days_overdue: int
    # Why it is Red or Amber, in the words recorded: the at-risk reason, the overdue milestone by name.
    reasons: tuple[str, ...]
    # The colour the owner or the file reported with the latest update, evidence beside the rule's.
    reported_rag: RAG | None
    # The actions this one depends on that are late, with why (set by `with_late_prerequisites`).
    late_prerequisites: tuple[LatePrerequisite, ...] = ()

    @property
    def days_to_target(self) -> int | None:
        """Days from `as_of` to the target in force that day (negative once passed); None with no target."""
        target = self.slippage.target_date
        return (target - self.as_of).days if target else None

    @property
    def reported_differs(self) -> bool:
        return self.reported_rag is not None and self.reported_rag != self.rag

    @property
    def attention(self) -> frozenset[Attention]:
        reasons = set()
        if self.rag == RAG.RED:
            reasons.add(Attention.OVERDUE)
        if self.rag == RAG.AMBER:
            reasons.add(Attention.AT_RISK)
        if self.slippage.target_date is None and not self.state.cadence and self.rag != RAG.BLUE:
            reasons.add(Attention.NO_TARGET)
        if self.slippage.times_moved:
            reasons.add(Attention.SLIPPED)
        if self.stale:
            reasons.add(Attention.STALE)
        if self.reported_differs:
            reasons.add(Attention.REPORTED_DIFFERS)
        if self.late_prerequisites:
            reasons.add(Attention.PREREQUISITE_LATE)
        return frozenset(reasons)


def read_action(action: Action, as_of: dt.date) -> ActionReading:
    """The board's reading of `action` on `as_of` (load actions `with_history_on(as_of)` for many)."""
    state, latest, slippage = action.known_on(as_of)
    rag = rag_for(state, as_of)
    target = slippage.target_date
    return ActionReading(
        action=action,
        as_of=as_of,
        state=state,
        rag=rag,
        latest_update=latest,
        slippage=slippage,
        stale=state.is_stale(as_of),
        days_overdue=(as_of - target).days if rag == RAG.RED and target and as_of > target else 0,
        reasons=tuple(reasons_for(state, as_of)) if rag in (RAG.RED, RAG.AMBER) else (),
        reported_rag=latest.reported_colour if latest else None,
    )


def read_actions(actions: Iterable[Action], as_of: dt.date) -> list[ActionReading]:
    return with_late_prerequisites([read_action(action, as_of) for action in actions], as_of)


@dataclass(frozen=True)
class LatePrerequisite:
    """A prerequisite that holds its dependent action up: overdue, or due to finish after the dependent's target."""

    reading: ActionReading
    why: str

    @property
    def action(self) -> Action:
        return self.reading.action


def prerequisite_lateness(prerequisite: ActionReading, dependent: ActionReading) -> str:
    """Why `prerequisite` is late for `dependent`, or "" when it is not."""
    if prerequisite.state.status == Status.COMPLETED:
        return ""
    if prerequisite.rag == RAG.RED:
        return f"{prerequisite.action.ref} is overdue by {prerequisite.days_overdue} days"
    before, after = prerequisite.slippage.target_date, dependent.slippage.target_date
    if before and after and before > after:
        return f"{prerequisite.action.ref} is due {before:%-d %b %Y}, after this action's target"
    return ""


def with_late_prerequisites(readings: list[ActionReading], as_of: dt.date) -> list[ActionReading]:
    """The readings, each with the prerequisites that hold it up; one query for the links, and one read of the
    prerequisites outside `readings` (load many actions `with_history_on(as_of)`)."""
    by_pk = {reading.action.pk: reading for reading in readings}
    if not by_pk:
        return readings
    # By plan, not by a list of thousands of ids (a slow query), then kept to the readings' actions.
    plans = {reading.action.plan_id for reading in readings}
    links = [
        (action_id, prerequisite_id)
        for action_id, prerequisite_id in Dependency.objects.filter(action__plan__in=plans).values_list(
            "action_id", "prerequisite_id"
        )
        if action_id in by_pk
    ]
    if not links:
        return readings
    missing = {prerequisite for _action, prerequisite in links} - by_pk.keys()
    others = {}
    if missing:
        for action in Action.objects.filter(pk__in=missing).with_history_on(as_of):
            others[action.pk] = read_action(action, as_of)
    late: dict[int, list[LatePrerequisite]] = {}
    for action_id, prerequisite_id in links:
        if by_pk[action_id].state.status == Status.COMPLETED:
            continue  # done work waits for nothing
        prerequisite = by_pk.get(prerequisite_id) or others[prerequisite_id]
        if why := prerequisite_lateness(prerequisite, by_pk[action_id]):
            late.setdefault(action_id, []).append(LatePrerequisite(reading=prerequisite, why=why))
    return [
        replace(reading, late_prerequisites=tuple(late[reading.action.pk])) if reading.action.pk in late else reading
        for reading in readings
    ]
