"""What each area and theme is for and how success is measured, shown where the board reads: the plan page's
intro box per area and theme, the dashboard's link to it, and the pack under each area heading with the linked
KPIs' latest value, target and RAG (read back from a real PDF)."""

import pytest
from django.urls import reverse

from plans.models import Theme
from reports.content import pack_html
from reports.models import BoardPack
from reports.rendering import html_to_pdf
from tests.reports.conftest import TODAY, days, pdf_pages
from tests.reports.test_pack_kpis import indicator  # noqa: F401 - the fixture, a linked KPI with figures

MEASURED_BY = "• 90% of staff permanent by March\n• Turnover under 15%"


@pytest.fixture
def described(small_plan):
    plan, actions = small_plan
    area = actions["overdue"].area
    theme = Theme.objects.create(
        plan=plan, title="Workforce and practice", outcome="Children get a consistently good service",
        measures_of_success="• 80% of audits good or better",
    )  # fmt: skip
    area.theme = theme
    area.outcome = "A stable workforce <script>alert(1)</script>"
    area.objectives = "Recruit permanent managers\nReduce agency staff"
    area.measured_by = MEASURED_BY
    area.save()
    return plan, area, theme


def test_the_plan_page_has_an_intro_box_per_area_and_theme_with_its_kpis(client, board_member, described, indicator):  # noqa: F811
    plan, area, theme = described
    client.force_login(board_member)
    html = client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    assert "Workforce and practice" in html and "• 80% of audits good or better" in html
    assert "A stable workforce &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Recruit permanent managers<br>Reduce agency staff" in html
    assert "• 90% of staff permanent by March<br>• Turnover under 15%" in html
    assert f'<a href="/kpis/{indicator.code}/">% assessments within 45 working days</a>' in html


def test_the_dashboards_area_table_links_to_the_areas_intro(client, board_member, described):
    plan, area, _theme = described
    client.force_login(board_member)
    html = client.get(reverse("reports:dashboard", args=[plan.slug])).content.decode()
    assert f'href="/plans/{plan.slug}/#area-{area.pk}"' in html
    assert html.count("Outcome and measures</a>") == 1  # only the area that has them


def test_the_pack_shows_each_areas_outcome_measures_and_linked_kpis(described, indicator):  # noqa: F811
    plan, _area, _theme = described
    pack = BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7))
    text = " ".join(" ".join(pdf_pages(html_to_pdf(pack_html(pack)).content)).split())
    assert "Outcome sought: A stable workforce <script>alert(1)</script>" in text
    assert "Objectives: Recruit permanent managers Reduce agency staff" in text
    assert "Measured by: • 90% of staff permanent by March • Turnover under 15%" in text
    assert "KPIs that measure this area" in text
    # Latest value, target and colour, on the pack's date.
    assert "% assessments within 45 working days 83.2% 85.0% Amber" in text
