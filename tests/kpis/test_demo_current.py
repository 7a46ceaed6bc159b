"""load_demo --current on an empty database: the seed report's months moved so that they are recent."""

import datetime as dt

import pytest

from kpis.demo import kpi_demo_load
from kpis.models import Benchmark, Value


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (dt.date(2026, 11, 23), dt.date(2026, 7, 1), dt.date(2026, 11, 1)),
        (dt.date(2026, 10, 5), dt.date(2025, 7, 1), dt.date(2025, 11, 1)),
    ],
)
def test_current_moves_the_months_so_that_they_are_recent(db, today, first, last):
    result = kpi_demo_load(current=True, today=today)
    assert (result.months[0], result.months[-1]) == (first, last)
    assert Value.objects.order_by("period").first().period == first
    assert set(Benchmark.objects.values_list("year", flat=True)) == {last.year, last.year - 1}
