"""Indicators read their own colour, travel and comparator position from prefetched rows; targets step."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis.models import Indicator, Target
from kpis.rules import KpiRag, Polarity, Position, Trend

from .factories import BenchmarkFactory, ComparatorGroupFactory, IndicatorFactory, TargetFactory, ValueFactory

D = Decimal
M = dt.date


@pytest.fixture
def trajectory(db):
    """35% by March 2015, 50% by September 2015, 80% by March 2016, then 80% until further notice."""
    indicator = IndicatorFactory(name="% of work judged good or better", polarity=Polarity.HIGHER)
    TargetFactory(indicator=indicator, period_start=None, period_end=M(2015, 3, 1), value=D(35), amber_tolerance=D(5))
    TargetFactory(
        indicator=indicator, period_start=M(2015, 4, 1), period_end=M(2015, 9, 1), value=D(50), amber_tolerance=D(5)
    )
    TargetFactory(indicator=indicator, period_start=M(2015, 10, 1), value=D(80), amber_tolerance=D(5))
    return indicator


@pytest.mark.parametrize(
    ("month", "value", "target", "rag"),
    [
        (M(2015, 1, 1), D(36), D(35), KpiRag.GREEN),
        (M(2015, 3, 1), D(31), D(35), KpiRag.AMBER),  # last month of the first step
        (M(2015, 4, 1), D(36), D(50), KpiRag.RED),  # the same figure a month later misses the next step
        (M(2015, 9, 1), D(46), D(50), KpiRag.AMBER),
        (M(2015, 10, 1), D(60), D(80), KpiRag.RED),
        (M(2016, 3, 1), D(80), D(80), KpiRag.GREEN),
        (M(2019, 3, 1), D(76), D(80), KpiRag.AMBER),  # the last step stays in force
    ],
)
def test_rag_uses_the_target_in_force_that_month(trajectory, month, value, target, rag):
    ValueFactory(indicator=trajectory, period=month, value=value)
    indicator = Indicator.objects.with_everything().get(pk=trajectory.pk)
    assert indicator.target_for(month).value == target
    assert indicator.rag(month) == rag


def test_words_as_target_give_no_colour(db):
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, value=None, text="No Target")
    ValueFactory(indicator=indicator, period=M(2018, 7, 1), value=D(26))
    indicator = Indicator.objects.with_everything().get(pk=indicator.pk)
    assert indicator.target_for(M(2018, 7, 1)).display == "No target"  # as every page spells it
    assert indicator.rag(M(2018, 7, 1)) is None


def test_no_target_no_colour_but_still_a_trend(db):
    indicator = IndicatorFactory(polarity=Polarity.LOWER)
    ValueFactory(indicator=indicator, period=M(2018, 7, 1), value=D(15))
    ValueFactory(indicator=indicator, period=M(2018, 8, 1), value=D(16))
    ValueFactory(indicator=indicator, period=M(2017, 8, 1), value=D(20))
    indicator = Indicator.objects.with_everything().get(pk=indicator.pk)
    assert indicator.rag(M(2018, 8, 1)) is None
    assert indicator.travel_since_previous(M(2018, 8, 1)).trend == Trend.WORSENING
    assert indicator.travel_since_last_year(M(2018, 8, 1)).trend == Trend.IMPROVING
    assert indicator.travel_since_previous(M(2018, 7, 1)) is None  # no June figure


def test_overlapping_targets_are_refused(trajectory):
    target = Target(indicator=trajectory, period_start=M(2015, 6, 1), value=D(60))
    with pytest.raises(ValidationError, match="covers some of the same months"):
        target.full_clean()


def test_a_target_needs_a_number_or_words(db):
    with pytest.raises(ValidationError, match="No Target"):
        Target(indicator=IndicatorFactory(), value=None, text="").full_clean()


def test_positions_compare_our_own_outturn_for_the_same_year(db):
    indicator = IndicatorFactory(name="% Re-referrals", polarity=Polarity.LOWER)
    own = ComparatorGroupFactory(name="Lewisham", is_own=True, position=0)
    neighbours = ComparatorGroupFactory(name="Statistical neighbours", position=1)
    england = ComparatorGroupFactory(name="England", position=2)
    BenchmarkFactory(indicator=indicator, group=own, year=2017, value=D(15))
    BenchmarkFactory(indicator=indicator, group=neighbours, year=2017, value=D("15.5"))
    BenchmarkFactory(indicator=indicator, group=england, year=2016, value=D(30))
    BenchmarkFactory(indicator=indicator, group=england, year=2017, value=D(22))
    ValueFactory(indicator=indicator, period=M(2018, 11, 1), value=D(40))
    indicator = Indicator.objects.with_everything().get(pk=indicator.pk)
    positions = [(p.group.name, p.year, p.position) for p in indicator.benchmark_positions(M(2018, 11, 1))]
    assert positions == [
        ("Lewisham", 2017, None),
        ("Statistical neighbours", 2017, Position.SIMILAR),
        ("England", 2017, Position.BETTER),
    ]


def test_positions_use_the_latest_value_when_there_is_no_own_outturn(db):
    indicator = IndicatorFactory(polarity=Polarity.HIGHER)
    BenchmarkFactory(indicator=indicator, group=ComparatorGroupFactory(name="England"), year=2017, value=D(83))
    ValueFactory(indicator=indicator, period=M(2018, 11, 1), value=D(70))
    indicator = Indicator.objects.with_everything().get(pk=indicator.pk)
    assert [p.position for p in indicator.benchmark_positions(M(2018, 11, 1))] == [Position.WORSE]


@pytest.mark.parametrize(
    ("unit", "places", "number", "text"),
    [
        ("percent", 0, D("26.0"), "26%"),
        ("percent", 1, D("100"), "100.0%"),
        ("rate_10k", 1, D("476.2"), "476.2"),
        ("count", 0, D("1786"), "1,786"),
    ],
)
def test_numbers_read_as_the_report_writes_them(unit, places, number, text):
    assert Indicator(unit=unit, decimal_places=places).format_number(number) == text


def test_the_summary_counts_colours_and_travel(db):
    month, previous = M(2018, 11, 1), M(2018, 10, 1)
    rows = [
        # (polarity, target, October, November)
        (Polarity.HIGHER, D(85), D(80), D(90)),  # on target, improving
        (Polarity.HIGHER, D(85), D(86), D(82)),  # close, worsening
        (Polarity.LOWER, D(10), D(20), D(30)),  # off target, worsening
        (Polarity.NEITHER, None, D(5), D(5)),  # no target, no change
    ]
    for polarity, target, before, now in rows:
        indicator = IndicatorFactory(polarity=polarity)
        if target is not None:
            TargetFactory(indicator=indicator, value=target, amber_tolerance=D(5))
        ValueFactory(indicator=indicator, period=previous, value=before)
        ValueFactory(indicator=indicator, period=month, value=now)
    summary = Indicator.objects.summary(M(2018, 12, 15))
    assert summary.month == month
    assert (summary.on_target, summary.close_to_target, summary.off_target, summary.no_target) == (1, 1, 1, 1)
    assert (summary.improving, summary.worsening, summary.no_change) == (1, 2, 1)
