"""Milestones on the action page: those who may update the action add, edit, reorder and remove them.

Admin: any action's. Manager: the actions they lead or sponsor. Board member, viewer, other managers: none.
A done milestone is part of the record: it can be moved but not changed or removed.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plans.models import Milestone
from plans.services import (
    MILESTONE_DONE_IS_HISTORY,
    MILESTONE_NEEDS_TITLE,
    milestone_add,
    milestone_edit,
    milestone_move,
    milestone_remove,
)
from tests.factories import ActionFactory, MilestoneFactory


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="7", area__plan__slug="csc", target_date=dt.date(2031, 3, 31), sponsors=[manager_sponsor])


def titles(action):
    return list(action.milestones.order_by("position", "pk").values_list("title", flat=True))


def url(name, action, *args):
    return reverse(f"plans:{name}", args=[action.plan.slug, action.ref, *args])


def test_the_services_add_edit_reorder_and_remove_with_who_did_it(action, manager):
    first = milestone_add(action=action, by=manager, title=" Recruit panel ", target_date=dt.date(2031, 1, 31))
    second = milestone_add(action=action, by=manager, title="Interviews")
    third = milestone_add(action=action, by=manager, title="Start dates")
    assert titles(action) == ["Recruit panel", "Interviews", "Start dates"]

    milestone_move(milestone=third, by=manager, up=True)
    assert titles(action) == ["Recruit panel", "Start dates", "Interviews"]
    milestone_move(milestone=first, by=manager, up=True)  # already first: stays
    milestone_move(milestone=second, by=manager, up=False)  # already last: stays
    assert titles(action) == ["Recruit panel", "Start dates", "Interviews"]

    milestone_edit(milestone=second, by=manager, title="Interviews held", target_date=dt.date(2031, 2, 28))
    milestone_remove(milestone=first, by=manager)
    assert titles(action) == ["Start dates", "Interviews held"]
    assert Milestone.objects.get(pk=second.pk).target_date == dt.date(2031, 2, 28)

    trail = Milestone.history.filter(id=first.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in trail] == [("+", manager), ("-", manager)]


def test_moving_puts_milestones_with_repeated_positions_in_order(action, manager):
    # Imported milestones can share a position; moving one renumbers them so the swap shows.
    a, b, c = (MilestoneFactory(action=action, title=t, position=1) for t in "abc")
    milestone_move(milestone=c, by=manager, up=True)
    assert titles(action) == ["a", "c", "b"]


def test_a_milestone_needs_a_title(action, manager):
    with pytest.raises(ValidationError) as error:
        milestone_add(action=action, by=manager, title="  ")
    assert error.value.message_dict == {"title": [MILESTONE_NEEDS_TITLE]}
    assert not action.milestones.exists()


def test_a_done_milestone_is_kept_as_it_was(action, manager):
    done = MilestoneFactory(action=action, title="Panel agreed", done_on=dt.date(2030, 5, 1))
    message = MILESTONE_DONE_IS_HISTORY.format(day=dt.date(2030, 5, 1))
    with pytest.raises(ValidationError, match=message):
        milestone_edit(milestone=done, by=manager, title="Something else", target_date=None)
    with pytest.raises(ValidationError, match=message):
        milestone_remove(milestone=done, by=manager)
    assert titles(action) == ["Panel agreed"]


@pytest.mark.parametrize("role_user", ["other_manager", "board_member", "viewer"])
def test_nobody_else_changes_milestones_through_the_service(action, request, role_user):
    outsider = request.getfixturevalue(role_user)
    milestone = MilestoneFactory(action=action, title="Kept")
    for change in (
        lambda: milestone_add(action=action, by=outsider, title="New"),
        lambda: milestone_edit(milestone=milestone, by=outsider, title="Changed", target_date=None),
        lambda: milestone_move(milestone=milestone, by=outsider, up=True),
        lambda: milestone_remove(milestone=milestone, by=outsider),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert titles(action) == ["Kept"]


@pytest.mark.parametrize("role_user", ["other_manager", "board_member", "viewer"])
def test_nobody_else_changes_milestones_on_the_pages(client, action, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    milestone = MilestoneFactory(action=action, title="Kept")
    assert client.post(url("milestone_add", action), {"title": "New"}).status_code == 403
    assert client.get(url("milestone_edit", action, milestone.pk)).status_code == 403
    assert client.post(url("milestone_edit", action, milestone.pk), {"title": "Changed"}).status_code == 403
    assert client.post(url("milestone_move", action, milestone.pk), {"direction": "up"}).status_code == 403
    assert client.post(url("milestone_remove", action, milestone.pk)).status_code == 403
    assert titles(action) == ["Kept"]
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Add a milestone" not in page and "Remove<span" not in page


def test_without_javascript_each_form_comes_back_to_the_action_page(client, action, manager):
    client.force_login(manager)
    response = client.post(url("milestone_add", action), {"title": "Panel <b>agreed</b>", "target_date": "2031-01-31"})
    assert response.status_code == 302 and response["Location"] == f"{action.get_absolute_url()}#milestones"
    milestone = action.milestones.get()
    assert (milestone.title, milestone.target_date) == ("Panel <b>agreed</b>", dt.date(2031, 1, 31))

    page = client.get(response["Location"]).content.decode()
    assert "Panel &lt;b&gt;agreed&lt;/b&gt;" in page and "Milestone added." in page

    edit = client.get(url("milestone_edit", action, milestone.pk))  # the action page, with the milestone's form
    assert edit.status_code == 200 and 'value="2031-01-31"' in edit.content.decode()
    saved = client.post(url("milestone_edit", action, milestone.pk), {"title": "Panel met", "target_date": ""})
    assert saved.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.target_date) == ("Panel met", None)

    assert client.post(url("milestone_remove", action, milestone.pk)).status_code == 302
    assert not action.milestones.exists()


def test_a_mistake_is_shown_beside_the_field_and_nothing_is_saved(client, action, manager):
    client.force_login(manager)
    response = client.post(url("milestone_add", action), {"title": "", "target_date": "31/02/2031"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid date." in html
    assert not action.milestones.exists()


def test_with_htmx_only_the_section_comes_back(client, action, manager):
    client.force_login(manager)
    first = MilestoneFactory(action=action, title="First", position=0)
    MilestoneFactory(action=action, title="Second", position=1)
    response = client.post(url("milestone_move", action, first.pk), {"direction": "down"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section aria-labelledby="milestones" id="milestones-section"')
    assert html.index("Second") < html.index("First")
    # A mistake comes back as the section too: htmx swaps only successful responses.
    response = client.post(url("milestone_add", action), {"title": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_a_done_milestone_cannot_be_removed_on_the_page(client, action, manager):
    client.force_login(manager)
    done = MilestoneFactory(action=action, title="Panel agreed", done_on=dt.date(2030, 5, 1))
    response = client.post(url("milestone_remove", action, done.pk))
    assert response.status_code == 400
    assert "part of the action" in response.content.decode()
    assert titles(action) == ["Panel agreed"]


def test_an_admin_adds_to_any_action(client, action, admin_user):
    client.force_login(admin_user)
    assert client.post(url("milestone_add", action), {"title": "Audit"}).status_code == 302
    assert titles(action) == ["Audit"]


def test_a_milestone_of_another_action_is_not_found(client, action, manager, manager_sponsor):
    client.force_login(manager)
    elsewhere = MilestoneFactory(action=ActionFactory(plan=action.plan, area=action.area, sponsors=[manager_sponsor]))
    assert client.post(url("milestone_remove", action, elsewhere.pk)).status_code == 404
    assert Milestone.objects.filter(pk=elsewhere.pk).exists()


def test_the_action_page_lists_who_changed_which_milestone(client, action, manager, board_member):
    first = milestone_add(action=action, by=manager, title="Recruit panel", target_date=dt.date(2031, 1, 31))
    second = milestone_add(action=action, by=manager, title="Interviews")
    milestone_edit(milestone=first, by=manager, title="Recruit the panel", target_date=dt.date(2031, 2, 28))
    milestone_move(milestone=second, by=manager, up=True)
    milestone_remove(milestone=second, by=manager)
    client.force_login(board_member)
    log = client.get(action.get_absolute_url()).context["change_log"]
    changes = [(entry["by"], change) for entry in log for change in entry["changes"] if "milestone" in change[0]]
    assert changes == [
        (manager, ("milestone removed", "“Interviews”", "(none)")),
        (manager, ("milestone moved", "“Recruit the panel”", "down")),
        (manager, ("milestone moved", "“Interviews”", "up")),
        (manager, ("milestone", "“Recruit panel”", "“Recruit the panel”")),
        (manager, ("target of milestone “Recruit the panel”", "31 Jan 2031", "28 Feb 2031")),
        (manager, ("milestone added", "(none)", "“Interviews”")),
        (manager, ("milestone added", "(none)", "“Recruit panel” (target 31 Jan 2031)")),
    ]
