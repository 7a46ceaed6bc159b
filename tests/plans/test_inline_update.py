"""Updating inline with htmx: the same form and rules as without JavaScript, swapped into the page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from plans.rag import Status
from tests.factories import ActionFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="7", area__plan__slug="csc", target_date=dt.date(2031, 3, 31), sponsors=[manager_sponsor])


def update_url(action):
    return reverse("plans:action_update", args=[action.plan.slug, action.ref])


def table_url():
    return reverse("reports:action_table", args=["csc"])


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


def _row(html, action):
    """The action's row in the table markup: its cells' text, and the row's opening tag."""
    row = re.search(rf'(<tr id="action-{action.pk}"[^>]*>)(.*?)</tr>', html, re.S)
    assert row, f"no row for action {action.ref}"
    cells = [" ".join(strip_tags(cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(2), re.S)]
    return row.group(1), cells


def test_saving_inline_sends_the_whole_row_redrawn_with_the_new_colour_and_status(client, action, manager):
    client.force_login(manager)
    _tag, before = _row(client.get(table_url()).text, action)
    data = {"status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "Vacancies",
            "commentary": "Interviews Friday", "version": action.version, "inline": "row"}  # fmt: skip

    response = client.post(update_url(action), data, HTTP_HX_CURRENT_URL=f"http://testserver{table_url()}", **HTMX)

    tag, after = _row(response.text, action)
    # htmx puts a row marked out of band in place of the element with its id: the row in the table.
    assert 'hx-swap-oob="true"' in tag
    assert "Grey" in " ".join(before) and "Not started" in before
    assert "Amber" in " ".join(after) and "In progress" in after and "Not started" not in after
    assert f"{timezone.localdate():%-d %b %Y}" in after  # the last update
    assert after == _row(client.get(table_url()).text, action)[1]  # just as the table now draws it
    assert "Action 7 updated" in response.text


def test_a_table_of_a_past_date_gets_the_row_back_as_it_stood_on_that_date(client, action, manager):
    client.force_login(manager)
    data = {"status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "Vacancies",
            "commentary": "Interviews Friday", "version": action.version, "inline": "row"}  # fmt: skip
    past_table = f"http://testserver{table_url()}?as_of=2020-01-31"

    response = client.post(update_url(action), data, HTTP_HX_CURRENT_URL=past_table, **HTMX)

    _tag, cells = _row(response.text, action)
    assert "Grey" in " ".join(cells) and "Amber" not in " ".join(cells)  # no update was known on that date
    assert cells == _row(client.get(f"{table_url()}?as_of=2020-01-31").text, action)[1]
    assert "it is now" in response.text and "Amber" in response.text.split("Action 7 updated")[1]


def test_without_javascript_the_same_save_is_a_plain_post_and_redirect(client, action, manager):
    client.force_login(manager)
    data = {"status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "Vacancies",
            "commentary": "Interviews Friday", "version": action.version}  # fmt: skip

    response = client.post(update_url(action), data)

    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    _tag, cells = _row(client.get(table_url()).text, action)
    assert "Amber" in " ".join(cells) and "In progress" in cells
