"""The scorecard and KPI summary as at a date: what the scorecard page, dashboard tile and board pack show.

Built from the indicators a queryset holds (kpis.models.IndicatorQuerySet calls these); this module reads the
database only through that queryset, so the models import it and not the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .rules import KpiRag, Travel, Trend, add_months, month_start, months_between

if TYPE_CHECKING:
    from .models import BenchmarkPosition, Indicator, IndicatorQuerySet, Section, Target, Value

SCORECARD_MONTHS = 6


@dataclass
class ScorecardRow:
    indicator: Indicator
    month: dt.date
    cells: list[tuple[dt.date, Value | None]]  # oldest first
    trend_values: list[tuple[dt.date, Value | None]]  # the last twelve months, for the sparkline
    target: Target | None
    rag: KpiRag | None
    since_previous: Travel | None
    since_last_year: Travel | None
    benchmarks: list[BenchmarkPosition]

    @property
    def latest(self) -> Value | None:
        return self.indicator.value_for(self.month)


@dataclass
class Scorecard:
    # The latest month with any figure on or before the as-of date; the as-of date's month when there is none.
    month: dt.date
    months: list[dt.date]
    sections: list[tuple[Section, list[ScorecardRow]]] = field(default_factory=list)

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for _section, rows in self.sections for row in rows]


def build_scorecard(indicators: IndicatorQuerySet, as_of: dt.date, *, benchmarks: bool = True) -> Scorecard:
    month = indicators.report_month(as_of) or month_start(as_of)
    months = [add_months(month, offset) for offset in range(1 - SCORECARD_MONTHS, 1)]
    # Thirteen months back covers the six shown, the previous month and the same month last year.
    loaded = indicators.with_months(add_months(month, -12), month, benchmarks=benchmarks)
    scorecard = Scorecard(month=month, months=months)
    current: tuple[Section, list[ScorecardRow]] | None = None
    for indicator in loaded:
        if current is None or current[0] != indicator.section:
            current = (indicator.section, [])
            scorecard.sections.append(current)
        current[1].append(
            ScorecardRow(
                indicator=indicator,
                month=month,
                cells=[(m, indicator.value_for(m)) for m in months],
                trend_values=[(m, indicator.value_for(m)) for m in months_between(add_months(month, -11), month)],
                target=indicator.target_for(month),
                rag=indicator.rag(month),
                since_previous=indicator.travel_since_previous(month),
                since_last_year=indicator.travel_since_last_year(month),
                benchmarks=indicator.benchmark_positions(month) if benchmarks else [],
            )
        )
    return scorecard


@dataclass(frozen=True)
class KpiSummary:
    month: dt.date
    indicators: int
    on_target: int
    close_to_target: int
    off_target: int
    no_target: int
    improving: int
    worsening: int
    no_change: int

    @property
    def by_colour(self) -> list[tuple[KpiRag, int]]:
        """[(KpiRag, number of indicators)], on target first: the tile and the pack say each by its meaning."""
        return [(KpiRag.GREEN, self.on_target), (KpiRag.AMBER, self.close_to_target), (KpiRag.RED, self.off_target)]


def kpi_summary(indicators: IndicatorQuerySet, as_of: dt.date) -> KpiSummary:
    """Counts for the dashboard tile and the board pack: colour against target, travel since the previous month.

    Four queries whatever the number of indicators; render it with templates/kpis/partials/summary_tile.html.
    """
    return summarise(build_scorecard(indicators, as_of, benchmarks=False))


def summarise(scorecard: Scorecard) -> KpiSummary:
    """The KpiSummary of a scorecard already built: what the board pack counts from the scorecard it prints."""
    rags = Counter(row.rag for row in scorecard.rows)
    trends = Counter(row.since_previous.trend if row.since_previous else None for row in scorecard.rows)
    return KpiSummary(
        month=scorecard.month,
        indicators=len(scorecard.rows),
        on_target=rags[KpiRag.GREEN],
        close_to_target=rags[KpiRag.AMBER],
        off_target=rags[KpiRag.RED],
        no_target=rags[None],
        improving=trends[Trend.IMPROVING],
        worsening=trends[Trend.WORSENING],
        no_change=trends[Trend.SAME],
    )


@dataclass(frozen=True)
class CellRun:
    """One cell of a scorecard row: a month's figure, or a missing-data reason said once for a run of months."""

    value: Value | None
    span: int
    latest: bool


@dataclass
class SectionTable:
    """How a section is drawn: only months that hold figures, travel and benchmark columns only where they hold some."""

    section: Section
    months: list[dt.date]
    rows: list[tuple[ScorecardRow, list[CellRun]]]
    since_previous: bool
    since_last_year: bool
    benchmarks: bool = True


def section_tables(scorecard: Scorecard) -> list[SectionTable]:
    """Each section of `scorecard` laid out for the page, without columns that would be empty all the way down."""
    tables = []
    for section, rows in scorecard.sections:
        # The report month stays even when empty: it is the month the scorecard is about.
        months = [
            month
            for index, month in enumerate(scorecard.months)
            if month == scorecard.month or any(row.cells[index][1] is not None for row in rows)
        ]
        tables.append(
            SectionTable(
                section=section,
                months=months,
                rows=[(row, _runs(row, months, scorecard.month)) for row in rows],
                since_previous=any(row.since_previous for row in rows),
                since_last_year=any(row.since_last_year for row in rows),
                benchmarks=any(row.benchmarks for row in rows),
            )
        )
    return tables


def _runs(row: ScorecardRow, months: list[dt.date], latest: dt.date) -> list[CellRun]:
    by_month = dict(row.cells)
    runs: list[CellRun] = []
    for month in months:
        value = by_month.get(month)
        previous = runs[-1] if runs else None
        reason = value.missing_reason if value is not None and value.value is None else ""
        if (
            previous
            and reason
            and previous.value is not None
            and previous.value.value is None
            and previous.value.missing_reason == reason
        ):
            runs[-1] = CellRun(value=previous.value, span=previous.span + 1, latest=previous.latest or month == latest)
        else:
            runs.append(CellRun(value=value, span=1, latest=month == latest))
    return runs
