"""Updating inline with htmx: the same form and rules as without JavaScript, swapped into the page."""

import datetime as dt

import pytest
from django.urls import reverse

from plans.rag import Status
from tests.factories import ActionFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="7", area__plan__slug="csc", target_date=dt.date(2031, 3, 31), sponsors=[manager_sponsor])


def update_url(action):
    return reverse("plans:action_update", args=[action.plan.slug, action.ref])


def table_url():
    return reverse("plans:action_table", args=["csc"])


def test_the_table_offers_update_only_on_the_rows_this_user_may_update(client, action, manager, board_member):
    not_theirs = ActionFactory(ref="8", plan=action.plan, area=action.area)
    client.force_login(manager)
    page = client.get(table_url()).content.decode()
    assert f'hx-get="{update_url(action)}"' in page
    assert f'href="{update_url(action)}"' in page  # works without JavaScript too
    assert update_url(not_theirs) not in page
    client.force_login(board_member)
    assert "hx-get" not in client.get(table_url()).content.decode()


def test_the_inline_form_opens_as_a_row_under_the_action(client, action, manager):
    client.force_login(manager)
    response = client.get(update_url(action), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr")
    assert "<html" not in html
    assert 'name="inline" value="row"' in html and f'hx-post="{update_url(action)}"' in html


def test_saving_inline_replaces_the_form_with_the_new_colour(client, action, manager):
    client.force_login(manager)
    data = {"status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "Vacancies",
            "commentary": "Interviews Friday", "version": action.version, "inline": "row"}  # fmt: skip
    response = client.post(update_url(action), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Action 7 updated" in html and "Amber" in html
    action.refresh_from_db()
    assert action.at_risk and action.updates.get().commentary == "Interviews Friday"


def test_a_mistake_inline_comes_back_in_the_form_with_what_was_typed(client, action, manager):
    client.force_login(manager)
    data = {"status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "",
            "commentary": "Typed words <b>kept</b>", "version": action.version, "inline": "row"}  # fmt: skip
    response = client.post(update_url(action), data, **HTMX)
    html = response.content.decode()
    # htmx swaps only 2xx answers, so the form with its messages comes back as 200.
    assert response.status_code == 200
    assert "field-error" in html and "Typed words &lt;b&gt;kept&lt;/b&gt;" in html
    assert action.updates.count() == 0


def test_a_concurrent_edit_inline_shows_the_other_change_and_keeps_the_text(client, action, manager, admin_user):
    opened_version = action.version
    client.force_login(admin_user)
    client.post(update_url(action), {"status": Status.IN_PROGRESS, "commentary": "Admin got there first",
                                     "version": opened_version})  # fmt: skip
    client.force_login(manager)
    data = {"status": Status.COMPLETED, "commentary": "My careful words", "version": opened_version, "inline": "row"}
    html = client.post(update_url(action), data, **HTMX).content.decode()
    assert "Admin got there first" in html and "My careful words" in html
    assert action.updates.count() == 1


def test_saving_from_the_action_page_reloads_it(client, action, manager):
    client.force_login(manager)
    data = {"status": Status.IN_PROGRESS, "commentary": "", "version": action.version}
    response = client.post(update_url(action), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == action.get_absolute_url()


@pytest.mark.parametrize("role", ["other_manager", "board_member", "viewer"])
def test_an_inline_write_by_someone_else_is_forbidden(client, action, role, request):
    client.force_login(request.getfixturevalue(role))
    data = {"status": Status.COMPLETED, "commentary": "x", "version": action.version, "inline": "row"}
    assert client.get(update_url(action), **HTMX).status_code == 403
    assert client.post(update_url(action), data, **HTMX).status_code == 403
    assert action.updates.count() == 0
