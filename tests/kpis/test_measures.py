"""The indicators linked to a plan's areas and themes reach the plan (export_plan, the plan page) through
plans.measures, which kpis fills: plans never imports kpis."""

import io
import json

import pytest
from django.core.management import call_command

from plans.measures import plan_measures
from plans.models import Theme
from tests.factories import ActionFactory, AreaFactory
from tests.kpis.factories import IndicatorFactory


@pytest.fixture
def linked(db):
    area = AreaFactory(title="Front door", plan__slug="p1")
    ActionFactory(area=area, ref="1")
    other = AreaFactory(title="Workforce", plan=area.plan)
    theme = Theme.objects.create(plan=area.plan, title="Practice")
    referrals = IndicatorFactory(name="Rate of CSC referrals per 10,000", position=1)
    repeat = IndicatorFactory(name="% re-referrals within 12 months", position=2)
    referrals.areas.add(area)
    repeat.areas.add(area)
    repeat.themes.add(theme)
    IndicatorFactory(name="Not linked")
    return area, other, theme


def test_export_plan_lists_each_areas_kpis_by_name_in_the_scorecards_order(linked):
    out = io.StringIO()
    call_command("export_plan", "p1", "--format", "json", stdout=out, stderr=io.StringIO())
    areas = {area["title"]: area["kpis"] for area in json.loads(out.getvalue())["areas"]}
    assert areas == {
        "Front door": ["Rate of CSC referrals per 10,000", "% re-referrals within 12 months"],
        "Workforce": [],
    }


def test_the_plans_measures_come_in_two_queries_whatever_their_number(linked, django_assert_num_queries):
    area, other, theme = linked
    with django_assert_num_queries(2):
        measures = plan_measures(area.plan)
    assert [measure.name for measure in measures.of_area(area.pk)] == [
        "Rate of CSC referrals per 10,000",
        "% re-referrals within 12 months",
    ]
    assert measures.of_area(other.pk) == []
    [measure] = measures.of_theme(theme.pk)
    assert measure.url.startswith("/kpis/")
