"""Who may see what: every page needs a login; read pages need a role; the server decides.

Admin: everything. Manager: reads everything, updates actions they lead or sponsor.
Board member and viewer: read everything, write nothing. A user with no role: nothing.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plans import roles
from plans.rag import Status
from plans.services import (
    NOT_ALLOWED_TO_DECIDE,
    action_update,
    target_date_change_decide,
    target_date_change_request,
)
from tests.factories import ActionFactory, UserFactory, person_of


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="4.2", area__plan__slug="the-plan", sponsors=[manager_sponsor])


def read_pages(action):
    slug = action.plan.slug
    return [
        reverse("plans:plan_list"),
        reverse("plans:plan_detail", args=[slug]),
        reverse("reports:dashboard", args=[slug]),
        reverse("plans:action_detail", args=[slug, action.ref]),
        reverse("plans:my_actions"),
    ]


def test_it_sends_anonymous_visitors_to_sign_in_from_every_page(client, action):
    for url in [reverse("home"), *read_pages(action), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


@pytest.mark.parametrize("role_user", ["admin_user", "manager", "board_member", "viewer"])
def test_every_role_reads_every_page(client, action, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    for url in read_pages(action):
        assert client.get(url).status_code == 200, url


def test_a_user_with_no_role_is_refused(client, action):
    client.force_login(UserFactory(username="nobody"))
    for url in read_pages(action):
        assert client.get(url).status_code == 403, url


def test_only_admins_reach_the_django_admin(client, action, manager, admin_user):
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(admin_user)
    assert client.get(reverse("admin:plans_action_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("role_user", "may_update"),
    [("admin_user", True), ("manager", True), ("other_manager", False), ("board_member", False), ("viewer", False)],
)
def test_who_may_update_an_action(action, role_user, may_update, request):
    assert action.can_be_updated_by(request.getfixturevalue(role_user)) is may_update


def test_a_manager_may_update_an_action_they_lead(other_manager):
    action = ActionFactory(leads=[other_manager])
    assert action.can_be_updated_by(other_manager)


@pytest.mark.parametrize("role_user", ["other_manager", "board_member", "viewer"])
def test_a_forbidden_update_changes_nothing(action, role_user, request):
    with pytest.raises(PermissionDenied):
        action_update(
            action=action, author=request.getfixturevalue(role_user), status=Status.COMPLETED, commentary="done"
        )
    action.refresh_from_db()
    assert (action.status, action.version, action.updates.count()) == (Status.NOT_STARTED, 1, 0)


def test_only_a_sponsor_or_an_admin_decides_a_target_change(action, manager, other_manager, board_member, admin_user):
    action.leads.set([person_of(other_manager)])
    change = target_date_change_request(
        action=action, requested_by=other_manager, new_target_date=dt.date(2031, 3, 31), reason="Waiting on partners"
    )
    assert change.can_be_decided_by(manager)
    assert change.can_be_decided_by(admin_user)
    assert not change.can_be_decided_by(other_manager)
    assert not change.can_be_decided_by(board_member)
    with pytest.raises(PermissionDenied, match=NOT_ALLOWED_TO_DECIDE):
        target_date_change_decide(change=change, decided_by=other_manager, approve=True)
    action.refresh_from_db()
    assert action.target_date == dt.date(2030, 12, 31)


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        (roles.MANAGER, "/for-you/"),
        (roles.BOARD_MEMBER, "/plans/the-plan/dashboard/"),
        (roles.VIEWER, "/plans/the-plan/dashboard/"),
        (roles.ADMIN, "/plans/the-plan/"),
    ],
)
def test_home_sends_each_role_to_what_it_uses_most(client, action, role, lands_on):
    client.force_login(UserFactory(role=role))
    assert client.get("/")["Location"] == lands_on


def test_the_roles_hold_the_permissions_they_are_defined_with(db):
    from django.contrib.auth.models import Group

    manager = Group.objects.get(name=roles.MANAGER)
    codenames = set(manager.permissions.values_list("codename", flat=True))
    assert {"update_own_action", "view_action", "view_plan"} <= codenames
    assert "change_action" not in codenames
    board = set(Group.objects.get(name=roles.BOARD_MEMBER).permissions.values_list("codename", flat=True))
    # Board members read; the one thing they write is the decisions of the boards they sit on (boards.roles).
    assert board and all(codename.startswith("view_") for codename in board - {"record_decisions"})
    assert "record_decisions" in board
    admin = set(Group.objects.get(name=roles.ADMIN).permissions.values_list("codename", flat=True))
    assert {"import_plan", "change_action", "delete_plan"} <= admin


@pytest.mark.parametrize("role_user", ["admin_user", "manager", "other_manager", "board_member", "viewer"])
def test_a_list_asks_who_may_update_by_the_same_rule_as_one_action(action, manager, role_user, request):
    reader = request.getfixturevalue(role_user)
    led = ActionFactory(plan=action.plan, area=action.area, ref="4.3", leads=[manager])
    ActionFactory(plan=action.plan, area=action.area, ref="4.4")
    actions = action.plan.actions.all()
    expected = {a.pk for a in actions if a.can_be_updated_by(reader)}
    assert set(actions.updatable_by(reader).values_list("pk", flat=True)) == expected
    assert ({action.pk, led.pk} <= expected) == (role_user in ("admin_user", "manager"))
