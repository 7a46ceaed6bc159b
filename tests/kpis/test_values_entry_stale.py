# ruff: noqa: F811 - the fixtures imported from the neighbouring module are used by name
"""Two admins entering a month's figures from pages opened at the same time: nothing is lost, nothing is silent.

The probe of issue 21: the second save from an older page used to overwrite or clear the first admin's figures.
"""

import re
from decimal import Decimal

import pytest

from common.stale import CHANGED_SINCE_OPENED
from kpis.models import Value
from plans import roles
from tests.factories import user_with_role
from tests.page_forms import form_data

from .test_values_entry import NOV, section, url  # noqa: F401 - the section fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(db):
    first = user_with_role(roles.ADMIN, username="first-admin", first_name="Ash", last_name="First")
    second = user_with_role(roles.ADMIN, username="second-admin", first_name="Bo", last_name="Second")
    return first, second


def _page(client, user, section):
    client.force_login(user)
    return form_data(client.get(url(section)).text)


def test_a_save_from_an_older_page_keeps_figures_saved_meanwhile(client, section, admins):
    first, second = admins
    first_page, second_page = _page(client, first, section), _page(client, second, section)
    second_page["form-0-value"] = "120"
    assert client.post(url(section), second_page).status_code == 302

    client.force_login(first)
    first_page["form-1-value"] = "85"
    assert client.post(url(section), first_page).status_code == 302

    figures = {value.indicator.name[:6]: value.value for value in Value.objects.filter(period=NOV)}
    assert figures == {"No. of": Decimal("120"), "% of c": Decimal("85")}


def test_two_saves_of_the_same_figure_answer_409_with_theirs_and_keep_yours(client, section, admins):
    first, second = admins
    first_page, second_page = _page(client, first, section), _page(client, second, section)
    second_page["form-0-value"] = "120"
    client.post(url(section), second_page)

    client.force_login(first)
    first_page["form-0-value"] = "121"
    first_page["form-1-value"] = "85"
    response = client.post(url(section), first_page)

    assert response.status_code == 409
    page = response.text
    assert CHANGED_SINCE_OPENED.format(count=1) in page
    assert re.search(r"Bo Second\s+saved 120 at", page)
    assert 'name="form-0-value" id="id_form-0-value" value="121"' in page  # what the first admin typed is kept
    assert [v.value for v in Value.objects.filter(period=NOV)] == [Decimal("120")]  # nothing of theirs was saved

    again = client.post(url(section), form_data(page))
    assert again.status_code == 302
    figures = {value.indicator.name[:6]: value.value for value in Value.objects.filter(period=NOV)}
    assert figures == {"No. of": Decimal("121"), "% of c": Decimal("85")}


def test_a_post_leaving_out_a_row_clears_nothing(client, section, admins):
    first, _second = admins
    indicator = section.indicators.first()
    Value.objects.create(indicator=indicator, period=NOV, value=Decimal("7"))
    page = _page(client, first, section)
    posted = {name: value for name, value in page.items() if not name.startswith("form-0-")}
    client.post(url(section), posted)
    assert Value.objects.get(indicator=indicator, period=NOV).value == Decimal("7")
