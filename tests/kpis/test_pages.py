"""The KPI pages: who may see them, what they show, user text escaped, and flat query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import Value
from kpis.rules import Polarity
from kpis.scorecard import SCORECARD_MONTHS
from tests.factories import UserFactory

from .factories import (
    BenchmarkFactory,
    ComparatorGroupFactory,
    IndicatorFactory,
    SectionFactory,
    TargetFactory,
    ValueFactory,
)

D = Decimal
NOV = dt.date(2018, 11, 1)


def make_kpis(indicators, months, sections=5):
    """`indicators` indicators over `sections` sections with `months` monthly figures up to November 2018."""
    section_list = [SectionFactory(name=f"Section {n}") for n in range(sections)]
    groups = [ComparatorGroupFactory(name="England"), ComparatorGroupFactory(name="Statistical neighbours")]
    values = []
    for number in range(indicators):
        indicator = IndicatorFactory(section=section_list[number % sections], name=f"Indicator {number}")
        TargetFactory(indicator=indicator, period_end=dt.date(2017, 12, 1), value=D(70))
        TargetFactory(indicator=indicator, period_start=dt.date(2018, 1, 1), value=D(80))
        for group in groups:
            BenchmarkFactory(indicator=indicator, group=group, year=2017, value=D(75))
        month = NOV
        for offset in range(months):
            values.append(Value(indicator=indicator, period=month, value=D((number + offset) % 100)))
            month = (month - dt.timedelta(days=1)).replace(day=1)
    Value.objects.bulk_create(values)


@pytest.mark.parametrize(("indicators", "months"), [(10, 60), (300, 60)])
def test_the_scorecard_runs_a_fixed_number_of_queries(
    client, viewer, django_assert_max_num_queries, indicators, months
):
    make_kpis(indicators, months)
    client.force_login(viewer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("kpis:scorecard"), {"month": "2018-11"})
    assert response.status_code == 200
    assert response.content.count(b"<tr>") == indicators + 5  # a header row per section
    assert response.content.count(b'class="pygal-chart kpi-sparkline"') == indicators


@pytest.fixture
def referrals(db):
    indicator = IndicatorFactory(
        section=SectionFactory(name="MASH"),
        name="% Re-referrals <script>alert(1)</script>",
        code="re-referrals",
        polarity=Polarity.LOWER,
        decimal_places=0,
    )
    TargetFactory(indicator=indicator, value=D(15), amber_tolerance=D(1))
    for month, value in [(7, 15), (8, 16), (9, 17), (10, 15), (11, 16)]:
        ValueFactory(indicator=indicator, period=dt.date(2018, month, 1), value=D(value))
    ValueFactory(indicator=indicator, period=dt.date(2017, 11, 1), value=D(20), note="<b>old system</b>")
    BenchmarkFactory(indicator=indicator, group=ComparatorGroupFactory(name="England"), year=2017, value=D(22))
    return indicator


def test_the_scorecard_shows_the_latest_month(client, viewer, referrals):
    client.force_login(viewer)
    response = client.get(reverse("kpis:scorecard"), {"month": "2018-12"})
    html = response.content.decode()
    assert "November 2018" in html  # December has no figures yet: the latest month with any is shown
    assert [month for month, _value in response.context["card"].sections[0][1][0].cells][-1] == NOV
    assert len(response.context["card"].months) == SCORECARD_MONTHS
    assert 'class="rag rag-amber"' in html and " – close to target" in html
    assert "Up, worsening" in html  # 15% to 16%, lower is better
    assert "Down, improving" in html  # 20% a year before
    assert "England 2017: <strong>22%</strong>" in html and "better" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_phone_reads_the_scorecard_as_cards(client, viewer, referrals):
    client.force_login(viewer)
    html = client.get(reverse("kpis:scorecard"), {"month": "2018-11"}).content.decode()
    card = " ".join(html.split('<li class="kpi-card action-card-amber">', 1)[1].split("</li>", 1)[0].split())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert 'class="rag rag-amber"' in card and "<strong>16%</strong> in Nov 2018" in card
    assert "Target: 15%" in card and "Since last month: Up, worsening" in card
    assert "Since last year: Down, improving" in card


def test_the_indicator_page(client, viewer, referrals):
    client.force_login(viewer)
    response = client.get(reverse("kpis:indicator_detail", args=["re-referrals"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg role="img"') == 1 and "<script" not in html.split("</header>")[1].replace("&lt;script", "")
    assert "Target" in html and "England 2017: 22%" in html  # the benchmark marker's legend
    assert '<desc class="' not in html  # pygal's tooltip data, for the script that is removed
    assert "Nov 2018" in html and "Nov 2017" in html
    assert "&lt;b&gt;old system&lt;/b&gt;" in html
    assert len(response.context["history"]) == 13  # Nov 2017 to Nov 2018, newest first
    assert response.context["history"][0]["month"] == NOV


def test_an_unknown_indicator_is_not_found(client, viewer, db):
    client.force_login(viewer)
    assert client.get(reverse("kpis:indicator_detail", args=["nothing-here"])).status_code == 404


@pytest.mark.parametrize("role", ["admin_user", "manager", "board_member", "viewer"])
def test_every_role_reads_the_kpi_pages(client, request, role, referrals):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("kpis:scorecard")).status_code == 200
    assert client.get(reverse("kpis:indicator_detail", args=["re-referrals"])).status_code == 200


def test_someone_without_a_role_reads_nothing(client, referrals):
    client.force_login(UserFactory(username="no-role"))
    assert client.get(reverse("kpis:scorecard")).status_code == 403
    assert client.get(reverse("kpis:indicator_detail", args=["re-referrals"])).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, referrals):
    response = client.get(reverse("kpis:scorecard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_nav_links_to_the_kpis(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("kpis:scorecard"))
    assert f'href="{reverse("kpis:scorecard")}">KPIs</a>' in response.content.decode()


def test_the_summary_tile_for_the_dashboard_and_board_pack(referrals, django_assert_max_num_queries):
    from django.template.loader import render_to_string

    from kpis.models import Indicator

    with django_assert_max_num_queries(4):
        summary = Indicator.objects.summary(dt.date(2018, 12, 31))
    html = render_to_string("kpis/partials/summary_tile.html", {"summary": summary})
    assert "KPIs</a>: November 2018" in html
    assert '<span class="rag rag-amber">Amber</span> close to target <strong>1</strong>' in html
    assert "<strong>0</strong> improving, <strong>1</strong> worsening" in html


def test_empty_pages_still_read_well(client, admin_user, db):
    client.force_login(admin_user)
    assert "No indicators yet" in client.get(reverse("kpis:scorecard")).content.decode()
    indicator = IndicatorFactory(name="Rate of assessments completed per 10,000", code="assessments-rate")
    response = client.get(reverse("kpis:indicator_detail", args=[indicator.code]))
    assert response.status_code == 200 and "No figures yet." in response.content.decode()
    # A month that is not one is refused with the reason, not replaced by this month without a word.
    response = client.get(reverse("kpis:values_entry", args=[indicator.section.slug]), {"month": "not a month"})
    assert response.status_code == 400 and "is not a month" in response.text


@pytest.mark.parametrize("model", ["indicator", "value", "section", "comparatorgroup"])
def test_the_admin_lists_and_edits_kpis(client, admin_user, referrals, model):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=admin_user.pk).update(is_superuser=True)
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:kpis_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:kpis_indicator_change", args=[referrals.pk])).status_code == 200
