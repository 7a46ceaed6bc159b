"""The one RAG rule: what colour an action is on a given date. Every page, export and board pack calls it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from common.charts import Series
from common.colours import RAG_COLOURS

if TYPE_CHECKING:
    from .models import Action


class RAG(models.TextChoices):
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"

    @property
    def meaning(self) -> str:
        return RAG_MEANINGS[self]

    @property
    def words(self) -> str:
        """The colour as every page, pack and export says it: "Red – overdue"."""
        return f"{self.label} – {self.meaning}"


# What each colour means, in the words every page, the pack and exports use (the tag, the legend, the xlsx).
RAG_MEANINGS = {
    RAG.BLUE: "completed",
    RAG.GREEN: "on track",
    RAG.AMBER: "at risk",
    RAG.RED: "overdue",
    RAG.GREY: "not started or timing to be confirmed",
}

# The one ordering of colours, worst first: packs and tables list them so, and movement towards the
# end of it is good news. Grey ("not started or timing to be confirmed") sits below Green: an action
# going from Green to Grey has lost its footing.
RAG_ORDER = [RAG.RED, RAG.AMBER, RAG.GREY, RAG.GREEN, RAG.BLUE]
RAG_RANK = {rag: rank for rank, rag in enumerate(RAG_ORDER)}
# How the colours look (common/colours.py), as the parts of a chart's bars, in board order.
RAG_SERIES = [Series(rag.value, rag.label, RAG_COLOURS[rag.value]) for rag in RAG_ORDER]

# What people write for a colour, in status cells and update forms: words, letters, Yellow for Amber.
_REPORTED_WORDS = {
    "b": RAG.BLUE, "blue": RAG.BLUE, "complete": RAG.BLUE, "completed": RAG.BLUE,
    "g": RAG.GREEN, "green": RAG.GREEN,
    "a": RAG.AMBER, "amber": RAG.AMBER, "y": RAG.AMBER, "yellow": RAG.AMBER,
    "r": RAG.RED, "red": RAG.RED,
    "grey": RAG.GREY, "gray": RAG.GREY,
}  # fmt: skip


def reported_rag_from_text(text: str | None) -> RAG | None:
    """The colour a person wrote ("Green", "Yellow", "R"), or None when the text names no colour."""
    return _REPORTED_WORDS.get(" ".join(str(text or "").lower().split()).strip(" .:-"))


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Cadence(models.TextChoices):
    """Work with no single target date: it goes on, and the board expects an update every so often."""

    ONGOING = "ongoing", "Ongoing"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


# Days without an update before an ongoing or recurring action is Amber: a month or a quarter, with a
# week's grace so that an update on the 3rd after one on the 28th is not a miss. Ongoing work is
# expected to be updated like any other action (settings.STALE_AFTER_DAYS).
CADENCE_GRACE_DAYS = 7
CADENCE_DAYS = {Cadence.MONTHLY: 31 + CADENCE_GRACE_DAYS, Cadence.QUARTERLY: 92 + CADENCE_GRACE_DAYS}


def cadence_days(cadence: str) -> int:
    return CADENCE_DAYS.get(cadence) or settings.STALE_AFTER_DAYS


@dataclass(frozen=True)
class OpenMilestone:
    title: str
    target_date: dt.date


@dataclass(frozen=True)
class ActionState:
    """What was known about an action on one day: enough to give it a colour and say why."""

    status: str
    target_date: dt.date | None
    at_risk: bool = False
    at_risk_reason: str = ""
    start_date: dt.date | None = None
    open_milestones: tuple[OpenMilestone, ...] = field(default_factory=tuple)
    cadence: str = ""
    last_update_on: dt.date | None = None

    def overdue_milestones(self, as_of: dt.date) -> list[OpenMilestone]:
        return [milestone for milestone in self.open_milestones if as_of > milestone.target_date]

    def is_stale(self, as_of: dt.date) -> bool:
        """No update for longer than the board tolerates (settings.STALE_AFTER_DAYS); done work never is."""
        if self.status == Status.COMPLETED:
            return False
        # A quarterly action is not stale for want of a monthly update.
        allowed = (
            max(settings.STALE_AFTER_DAYS, cadence_days(self.cadence)) if self.cadence else settings.STALE_AFTER_DAYS
        )
        return self.last_update_on is None or (as_of - self.last_update_on).days > allowed

    def update_missed(self, as_of: dt.date) -> bool:
        """An ongoing or recurring action whose expected update has not come."""
        if not self.cadence:
            return False
        return self.last_update_on is None or (as_of - self.last_update_on).days > cadence_days(self.cadence)


def rag_for(state: ActionState, as_of: dt.date) -> RAG:
    """The colour of an action in `state` on the date `as_of`.

    Blue when completed; Red when its target date has passed (a month-only target is held as
    the month's last day, so "Dec 18" turns Red on 1 January 2019); Amber when its manager
    flags it at risk or one of its milestones is overdue; Grey when it has no target date
    ("Timing tbc") or has not started; otherwise Green.

    Ongoing and recurring actions (monthly, quarterly) have no target to miss: never Red by date,
    Grey until started, Amber when at risk, a milestone is overdue or the expected update is missing,
    otherwise Green.
    """
    if state.status == Status.COMPLETED:
        return RAG.BLUE
    if state.cadence:
        if state.status == Status.NOT_STARTED or (state.start_date is not None and as_of < state.start_date):
            return RAG.GREY
        if state.at_risk or state.overdue_milestones(as_of) or state.update_missed(as_of):
            return RAG.AMBER
        return RAG.GREEN
    if state.target_date is not None and as_of > state.target_date:
        return RAG.RED
    if state.at_risk or state.overdue_milestones(as_of):
        return RAG.AMBER
    if state.target_date is None or state.status == Status.NOT_STARTED:
        return RAG.GREY
    return RAG.GREEN


def reasons_for(state: ActionState, as_of: dt.date) -> list[str]:
    """Why an action is Red or Amber on `as_of`, in the words recorded: never a guess."""
    if state.status == Status.COMPLETED:
        return []
    reasons = []
    if not state.cadence and state.target_date is not None and as_of > state.target_date:
        reasons.append(f"Past its target of {state.target_date:%-d %b %Y}")
    if state.at_risk and state.at_risk_reason:
        reasons.append(state.at_risk_reason)
    elif state.at_risk:
        reasons.append("Flagged at risk")
    reasons += [
        f"Milestone overdue: {milestone.title} (due {milestone.target_date:%-d %b %Y})"
        for milestone in state.overdue_milestones(as_of)
    ]
    if state.update_missed(as_of) and rag_for(state, as_of) != RAG.GREY:
        expected = Cadence(state.cadence).label.lower()
        since = f"since {state.last_update_on:%-d %b %Y}" if state.last_update_on else "yet"
        reasons.append(
            f"No update {since}: this {expected} action expects one every {cadence_days(state.cadence)} days"
        )
    return reasons


def count_by_rag(actions: Iterable[Action], as_of: dt.date) -> dict[RAG, int]:
    """{RAG: number of actions} in board order, every colour present even when zero."""
    counts = dict.fromkeys(RAG_ORDER, 0)
    for action in actions:
        counts[action.rag(as_of)] += 1
    return counts
