"""The monthly data entry grid: admins only, each cell checked on its own, all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.forms import INDICATORS_CHANGED
from kpis.models import Value
from kpis.rules import Unit
from kpis.services import NOTE_NEEDS_FIGURE
from kpis.views import ENTRY_HAS_ERRORS
from reports.for_you import NAV_COUNT_QUERIES

from .factories import IndicatorFactory, SectionFactory, ValueFactory

D = Decimal
NOV = dt.date(2018, 11, 1)


@pytest.fixture
def section(db):
    section = SectionFactory(name="Child Protection", slug="child-protection")
    IndicatorFactory(section=section, name="No. of children subject to CP plan", unit=Unit.COUNT, decimal_places=0)
    IndicatorFactory(section=section, name="% of children visited within 10 working days", unit=Unit.PERCENT)
    IndicatorFactory(section=section, name="Core group meetings held within 6 weeks", unit=Unit.PERCENT)
    return section


def url(section, month="2018-11"):
    return f"{reverse('kpis:values_entry', args=[section.slug])}?month={month}"


def post_data(section, cells, month="2018-11"):
    indicators = list(section.indicators.all())
    data = {"form-TOTAL_FORMS": len(indicators), "form-INITIAL_FORMS": 0, "month": month}
    for index, indicator in enumerate(indicators):
        value, note = cells[index]
        data |= {f"form-{index}-indicator_id": indicator.pk, f"form-{index}-value": value, f"form-{index}-note": note}
    return data


def saved():
    return {(v.indicator.name[:6], v.period): (v.value, v.missing_reason, v.note) for v in Value.objects.all()}


def test_an_admin_saves_a_month(client, admin_user, section):
    client.force_login(admin_user)
    response = client.post(
        url(section),
        post_data(section, [("301", ""), ("83.7 %", "Two staff off sick"), ("Data under development", "")]),
    )
    assert response.status_code == 302
    assert saved() == {
        ("No. of", NOV): (D(301), "", ""),
        ("% of c", NOV): (D("83.7"), "", "Two staff off sick"),
        ("Core g", NOV): (None, "Data under development", ""),
    }
    page = client.get(response["Location"])
    assert "Saved November 2018 for Child Protection: 3 new, 0 changed, 0 cleared." in page.content.decode()
    assert 'value="83.7"' in page.content.decode()  # saved figures come back as they were typed


def test_each_bad_cell_is_marked_and_nothing_is_saved(client, admin_user, section):
    ValueFactory(indicator=section.indicators.first(), period=NOV, value=D(331))
    client.force_login(admin_user)
    response = client.post(url(section), post_data(section, [("300", ""), ("192.7%", ""), ("abc", "")]))
    html = response.content.decode()
    assert response.status_code == 400
    assert ENTRY_HAS_ERRORS in html
    assert '<small class="field-error" id="id_form-1-value-error">192.7% is a percentage above 100.</small>' in html
    assert '<small class="field-error" id="id_form-2-value-error">&quot;abc&quot; is not a number.</small>' in html
    assert 'value="192.7%"' in html  # what was typed stays in the box
    assert saved() == {("No. of", NOV): (D(331), "", "")}


def test_a_note_needs_a_figure(client, admin_user, section):
    client.force_login(admin_user)
    response = client.post(url(section), post_data(section, [("", "why?"), ("", ""), ("", "")]))
    assert NOTE_NEEDS_FIGURE in response.content.decode()
    assert not Value.objects.exists()


def test_emptying_a_box_clears_the_figure_and_the_same_figures_change_nothing(client, admin_user, section):
    first = section.indicators.first()
    ValueFactory(indicator=first, period=NOV, value=D(331))
    kept = ValueFactory(indicator=section.indicators.last(), period=NOV, value=D(50))
    client.force_login(admin_user)
    response = client.post(url(section), post_data(section, [("", ""), ("", ""), ("50", "")]), follow=True)
    assert "0 new, 0 changed, 1 cleared" in response.content.decode()
    assert list(Value.objects.all()) == [kept]


def test_a_grid_drawn_for_other_indicators_is_refused(client, admin_user, section):
    client.force_login(admin_user)
    data = post_data(section, [("1", ""), ("2", ""), ("3", "")])
    data["form-0-indicator_id"], data["form-1-indicator_id"] = data["form-1-indicator_id"], data["form-0-indicator_id"]
    response = client.post(url(section), data)
    assert INDICATORS_CHANGED.split(":")[0] in response.content.decode()
    assert not Value.objects.exists()


@pytest.mark.parametrize("role", ["manager", "board_member", "viewer"])
def test_only_admins_enter_figures(client, request, role, section):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(section)).status_code == 403
    assert client.post(url(section), post_data(section, [("1", ""), ("2", ""), ("3", "")])).status_code == 403
    assert not Value.objects.exists()


def test_the_grid_shows_last_month_and_runs_few_queries(client, admin_user, section, django_assert_max_num_queries):
    ValueFactory(indicator=section.indicators.first(), period=dt.date(2018, 10, 1), value=D(346))
    client.force_login(admin_user)
    with django_assert_max_num_queries(8 + NAV_COUNT_QUERIES):  # the admin's "For you" count
        response = client.get(url(section))
    html = response.content.decode()
    assert "Oct 18" in html and "346" in html
    assert html.count('class="cell"') == 3


def test_the_scorecard_links_admins_to_the_grid(client, admin_user, viewer, section):
    ValueFactory(indicator=section.indicators.first(), period=NOV, value=D(346))
    client.force_login(admin_user)
    assert url(section) in client.get(reverse("kpis:scorecard")).content.decode().replace("&amp;", "&")
    client.force_login(viewer)
    assert "Enter figures" not in client.get(reverse("kpis:scorecard")).content.decode()
