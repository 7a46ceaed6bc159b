"""The KPI rules: colour against target, direction of travel and comparator position, by polarity."""

from decimal import Decimal

import pytest

from kpis.rules import KpiRag, Polarity, Position, Trend, position, rag_for_value, travel, value_problem

D = Decimal
HIGHER, LOWER, NEITHER = Polarity.HIGHER, Polarity.LOWER, Polarity.NEITHER
G, A, R = KpiRag.GREEN, KpiRag.AMBER, KpiRag.RED


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "polarity", "expected"),
    [
        # Higher is better (% assessments within 45 days, target 85%, 5 points' tolerance).
        (D(90), D(85), D(5), HIGHER, G),
        (D(85), D(85), D(5), HIGHER, G),  # meeting the target exactly is on target
        (D("84.9"), D(85), D(5), HIGHER, A),
        (D(80), D(85), D(5), HIGHER, A),  # the edge of the tolerance is still Amber
        (D("79.9"), D(85), D(5), HIGHER, R),
        (D(84), D(85), D(0), HIGHER, R),  # no tolerance: any shortfall is Red
        (D(84), D(85), None, HIGHER, R),
        # Lower is better (% re-referrals, target 15%, 2 points' tolerance).
        (D(14), D(15), D(2), LOWER, G),
        (D(15), D(15), D(2), LOWER, G),
        (D(17), D(15), D(2), LOWER, A),
        (D("17.1"), D(15), D(2), LOWER, R),
        # Neither direction is better: no colour even with a target.
        (D(10), D(15), D(2), NEITHER, None),
        # No target or no value: no colour.
        (D(10), None, D(2), HIGHER, None),
        (None, D(15), D(2), HIGHER, None),
    ],
)
def test_rag_for_value(value, target, tolerance, polarity, expected):
    assert rag_for_value(value, target=target, tolerance=tolerance, polarity=polarity) == expected


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "trend", "words"),
    [
        (D(30), D(26), HIGHER, Trend.IMPROVING, "Up, improving"),
        (D(22), D(26), HIGHER, Trend.WORSENING, "Down, worsening"),
        (D(16), D(15), LOWER, Trend.WORSENING, "Up, worsening"),
        (D(14), D(15), LOWER, Trend.IMPROVING, "Down, improving"),
        (D(15), D(15), LOWER, Trend.SAME, "No change"),
        (D(1786), D(1376), NEITHER, Trend.UP, "Up"),
        (D(1376), D(1786), NEITHER, Trend.DOWN, "Down"),
        (D(5), D(5), NEITHER, Trend.SAME, "No change"),
    ],
)
def test_travel(current, previous, polarity, trend, words):
    result = travel(current, previous, polarity=polarity)
    assert (result.trend, result.words) == (trend, words)


@pytest.mark.parametrize(("current", "previous"), [(None, D(1)), (D(1), None), (None, None)])
def test_travel_needs_both_figures(current, previous):
    assert travel(current, previous, polarity=HIGHER) is None


@pytest.mark.parametrize(
    ("ours", "theirs", "polarity", "expected"),
    [
        # Re-referrals, lower is better.
        (D(15), D(22), LOWER, Position.BETTER),
        (D(15), D("15.5"), LOWER, Position.SIMILAR),  # within 5% of their figure
        (D(15), D(16), LOWER, Position.BETTER),  # 1 point is 6% of 16
        (D(182), D(167), LOWER, Position.WORSE),
        # Assessments within 45 days, higher is better.
        (D(74), D(84), HIGHER, Position.WORSE),
        (D(84), D(83), HIGHER, Position.SIMILAR),
        (D(90), D(80), HIGHER, Position.BETTER),
        # Neither: say higher or lower, judge nothing.
        (D(482), D(602), NEITHER, Position.LOWER),
        (D(602), D(482), NEITHER, Position.HIGHER),
        (D(0), D(0), NEITHER, Position.SIMILAR),
        (D(15), None, LOWER, None),
    ],
)
def test_position(ours, theirs, polarity, expected):
    assert position(ours, theirs, polarity=polarity) == expected


@pytest.mark.parametrize(
    ("number", "unit", "problem"),
    [
        (D(100), "percent", None),
        (D("100.1"), "percent", "is a percentage above 100"),
        (D(476), "rate_10k", None),
        (D(-1), "count", "is below zero"),
    ],
)
def test_value_problem(number, unit, problem):
    assert value_problem(number, unit=unit) == problem
