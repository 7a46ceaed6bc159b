"""load_demo also loads the seed report's KPIs: five months, targets, benchmarks, polarities; idempotent."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from kpis.models import Benchmark, Indicator, Section, Target, Value
from kpis.rules import KpiRag, Polarity

D = Decimal


# The tests read one demo, loaded and committed once for the module (tests/conftest.py: demo_loaded_once).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_loaded_once):
    return demo_loaded_once


def test_it_loads_the_seed_report(demo):
    assert "Loaded 33 KPIs, Jul 2018 to Nov 2018, at /kpis/" in demo
    assert list(Section.objects.values_list("name", flat=True)) == [
        "MASH",
        "Assessments",
        "Children in Need",
        "Child Protection",
    ]
    assert Indicator.objects.count() == 33
    assert Value.objects.filter(period=dt.date(2018, 11, 1)).count() == 31  # one row blank, one stops in September
    visits = Indicator.objects.with_everything().get(name="% of children visited within 10 working days")
    assert visits.polarity == Polarity.HIGHER
    assert visits.number_for(dt.date(2018, 10, 1)) == D("68.5")
    assert visits.rag(dt.date(2018, 10, 1)) == KpiRag.RED
    assert visits.rag(dt.date(2018, 9, 1)) == KpiRag.AMBER  # 88.0% against 90% with 5 points' tolerance
    re_referrals = Indicator.objects.get(name="% Re-referrals (In the last 12 months)")
    assert re_referrals.polarity == Polarity.LOWER
    assert Target.objects.get(indicator=re_referrals).text == "Under review"
    assert list(Benchmark.objects.filter(indicator=re_referrals).values_list("group__name", "year", "value")) == [
        ("Lewisham", 2018, D(15)),
        ("Statistical neighbours", 2017, D(16)),
        ("Inner London", 2017, D(16)),
        ("England", 2017, D(22)),
    ]
    assert Indicator.objects.get(name="Timeliness of decisions in MASH (24 hours)").values.first().missing_reason == (
        "Data under review"
    )
    # "Measured by": indicators are linked to the demo plan's areas.
    assert list(
        Indicator.objects.get(name="No. of Contacts received in MASH").areas.values_list("title", flat=True)
    ) == ["MASH"]


def test_it_is_idempotent(demo):
    before = list(Value.objects.values_list("pk", "value"))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "The 33 demo KPIs are already loaded (unchanged)" in out.getvalue()
    assert list(Value.objects.values_list("pk", "value")) == before


def test_the_summary_of_the_demo(demo):
    summary = Indicator.objects.summary(dt.date(2018, 11, 30))
    assert summary.month == dt.date(2018, 11, 1)
    assert summary.indicators == 33
    # RCPC on target; assessments close; referrals, CIN plans and visits off target.
    assert (summary.on_target, summary.close_to_target, summary.off_target) == (1, 1, 3)
