"""The one RAG rule: what colour an action is on a given date. Every page, export and board pack calls it."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models


class RAG(models.TextChoices):
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"

    @property
    def meaning(self):
        return RAG_MEANINGS[self]


RAG_MEANINGS = {
    RAG.BLUE: "Completed",
    RAG.GREEN: "On track",
    RAG.AMBER: "At risk",
    RAG.RED: "Overdue",
    RAG.GREY: "Not started or timing to be confirmed",
}

# Board packs list colours worst first.
RAG_ORDER = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.GREY, RAG.BLUE]


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


@dataclass(frozen=True)
class ActionState:
    """What was known about an action on one day: enough to give it a colour."""

    status: str
    target_date: dt.date | None
    at_risk: bool = False
    at_risk_reason: str = ""
    start_date: dt.date | None = None
    milestone_targets_open: tuple = field(default_factory=tuple)


def rag_for(state, as_of):
    """The colour of an action in `state` on the date `as_of`.

    Blue when completed; Red when its target date has passed (a month-only target is held as
    the month's last day, so "Dec 18" turns Red on 1 January 2019); Amber when its manager
    flags it at risk or one of its milestones is overdue; Grey when it has no target date
    ("Timing tbc") or has not started; otherwise Green.
    """
    if state.status == Status.COMPLETED:
        return RAG.BLUE
    if state.target_date is not None and as_of > state.target_date:
        return RAG.RED
    if state.at_risk or any(as_of > target for target in state.milestone_targets_open):
        return RAG.AMBER
    if state.target_date is None or state.status == Status.NOT_STARTED:
        return RAG.GREY
    return RAG.GREEN


def count_by_rag(actions, as_of):
    """{RAG: number of actions} in board order, every colour present even when zero."""
    counts = dict.fromkeys(RAG_ORDER, 0)
    for action in actions:
        counts[action.rag(as_of)] += 1
    return counts
