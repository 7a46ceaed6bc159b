"""The KPI rules: colour against the target, direction of travel, position against comparators.

Plain functions on numbers so that the models, the scorecard, the board pack and the tests share
one definition. Every rule takes the indicator's polarity; an indicator where neither direction is
better gets no colour and no judgement, only the fact that it went up or down.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither (context only)"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_10K = "rate_10k", "Rate per 10,000 children"
    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"
    RATIO = "ratio", "Ratio"


class Basis(models.TextChoices):
    IN_MONTH = "in_month", "In month"
    END_OF_MONTH = "end_of_month", "End of month"
    ROLLING_12 = "rolling_12", "Rolling 12 months"


class KpiRag(models.TextChoices):
    """KPI colours use the same words and CSS classes as action RAG, but only these three."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"

    @property
    def meaning(self) -> str:
        return KPI_RAG_MEANINGS[self]

    @property
    def words(self) -> str:
        return f"{self.label} – {self.meaning}"


KPI_RAG_MEANINGS = {
    KpiRag.GREEN: "on target",
    KpiRag.AMBER: "close to target",
    KpiRag.RED: "off target",
}


def rag_for_value(
    value: Decimal | None, *, target: Decimal | None, tolerance: Decimal | None, polarity: str
) -> KpiRag | None:
    """Green when the value meets the target, Amber when it misses by no more than the tolerance, else Red.

    The tolerance is in the indicator's unit (percentage points for percentages). No target, no value
    or no better direction: no colour.
    """
    if value is None or target is None or polarity == Polarity.NEITHER:
        return None
    tolerance = tolerance or Decimal(0)
    shortfall = target - value if polarity == Polarity.HIGHER else value - target
    if shortfall <= 0:
        return KpiRag.GREEN
    if shortfall <= tolerance:
        return KpiRag.AMBER
    return KpiRag.RED


class Trend(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    SAME = "same", "No change"
    # Neither direction is better: say which way it went, judge nothing.
    UP = "up", "Up"
    DOWN = "down", "Down"


@dataclass(frozen=True)
class Travel:
    """Which way a value moved since a comparison period, and whether that is good."""

    trend: Trend
    went_up: bool | None  # None: no change

    @property
    def arrow(self) -> str:
        if self.went_up is None:
            return "►"
        return "▲" if self.went_up else "▼"

    @property
    def words(self) -> str:
        if self.trend in (Trend.UP, Trend.DOWN, Trend.SAME):
            return self.trend.label
        return f"{'Up' if self.went_up else 'Down'}, {self.trend.label.lower()}"


def travel(current: Decimal | None, previous: Decimal | None, *, polarity: str) -> Travel | None:
    """Direction of travel from `previous` to `current`; None when either is missing."""
    if current is None or previous is None:
        return None
    if current == previous:
        return Travel(Trend.SAME, None)
    went_up = current > previous
    if polarity == Polarity.NEITHER:
        return Travel(Trend.UP if went_up else Trend.DOWN, went_up)
    better = went_up if polarity == Polarity.HIGHER else not went_up
    return Travel(Trend.IMPROVING if better else Trend.WORSENING, went_up)


class Position(models.TextChoices):
    BETTER = "better", "Better"
    SIMILAR = "similar", "Similar"
    WORSE = "worse", "Worse"
    HIGHER = "higher", "Higher"
    LOWER = "lower", "Lower"


# Within 5% of the comparator's figure counts as similar: yearly national figures are rounded,
# and boards ask "are we in line with our neighbours", not "are we 0.3 points apart".
SIMILAR_WITHIN = Decimal("0.05")


def position(ours: Decimal | None, theirs: Decimal | None, *, polarity: str) -> Position | None:
    """Where our figure stands against a comparator's: better, similar or worse (higher/lower if neither)."""
    if ours is None or theirs is None:
        return None
    if abs(ours - theirs) <= abs(theirs) * SIMILAR_WITHIN:
        return Position.SIMILAR
    higher = ours > theirs
    if polarity == Polarity.NEITHER:
        return Position.HIGHER if higher else Position.LOWER
    better = higher if polarity == Polarity.HIGHER else not higher
    return Position.BETTER if better else Position.WORSE


def month_start(date: dt.date) -> dt.date:
    return date.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last` inclusive, as first-of-month dates."""
    months = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def value_problem(number: Decimal, *, unit: str) -> str | None:
    """Why a number cannot be a value of this unit, in words for the person who typed it; None if fine."""
    if unit == Unit.PERCENT and number > 100:
        return "is a percentage above 100"
    if number < 0:
        return "is below zero"
    return None


# Words performance teams write where a figure will come later; anything else in a value cell is a mistake.
_MISSING = re.compile(
    r"^(data\b.*|n/?a|not (yet )?(available|applicable|collected|reported|known)\b.*|no data\b.*"
    r"|under (review|development)\b.*|awaiting (data|figures)\b.*|to follow|tbc)$",
    re.IGNORECASE,
)


def is_missing_reason(text: str) -> bool:
    """Whether words in a value cell say why there is no figure ("Data under development")."""
    return bool(_MISSING.match(" ".join(text.split())))
