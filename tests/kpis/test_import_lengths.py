"""A KPI workbook's texts too long for the tracker are reported at their cell and left out, never a 500.

The probe of issue 21: a 400-character indicator name or a 250-character section title failed on PostgreSQL.
"""

import pytest
from django.urls import reverse

from kpis.importing import kpis_import
from kpis.models import Indicator, Section
from plans import roles
from tests.factories import user_with_role

from .workbooks import put_rows, save, seed_report

pytestmark = pytest.mark.django_db
LONG_NAME = "Rate of referrals " * 23  # 414 characters
LONG_TITLE = "Multi-agency safeguarding hub " * 9  # 270 characters


def _report():
    workbook = seed_report()
    sheet = workbook.active
    sheet["A5"] = LONG_NAME
    put_rows(sheet, [[LONG_TITLE], ["Indicator", "Jul 18", "Aug 18"], ["% visits in time", 80, 82]], start=20)
    return workbook


def test_texts_too_long_are_reported_by_cell_and_left_out():
    result = kpis_import(file=save(_report()))
    problems = {str(problem) for problem in result.problems}
    assert (
        f"KPIs!A5: the indicator name is {len(LONG_NAME.strip()):,} characters long, more than the 300 it can hold; "
        "the row is left out"
    ) in problems
    assert any(p.startswith("KPIs!A22: the section title is") and "more than the 200" in p for p in problems)
    assert not Indicator.objects.filter(name__startswith="Rate of referrals").exists()
    assert not Section.objects.filter(name__startswith="Multi-agency").exists()
    assert Indicator.objects.filter(name="% Contacts progressing to a CSC referral").exists()


def test_the_import_page_previews_them_without_a_500(client):
    client.force_login(user_with_role(roles.ADMIN))
    workbook = save(_report())
    workbook.name = "report.xlsx"
    response = client.post(reverse("kpis:import"), {"workbook": workbook})
    assert response.status_code == 200
    assert "the indicator name is" in response.text
