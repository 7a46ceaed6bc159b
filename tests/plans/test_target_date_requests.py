"""The plan's requests to move a target: approvers see what waits for them and decide from the list.

Admin: decides any. Manager: decides requests on the actions they sponsor, never their own.
Board member and viewer: read the list, decide nothing.
"""

import datetime as dt

import pytest
from django.urls import reverse

from plans.models import TargetDateChange
from plans.services import target_date_change_request
from reports.for_you import NAV_COUNT_QUERIES
from tests.factories import ActionFactory, PlanFactory


@pytest.fixture
def plan(manager_sponsor, manager, other_manager):
    plan = PlanFactory(slug="csc")
    sponsored = ActionFactory(area__plan=plan, plan=plan, ref="1", leads=[other_manager],
                              sponsors=[manager_sponsor])  # fmt: skip
    own = ActionFactory(area__plan=plan, plan=plan, ref="2", sponsors=[manager_sponsor])
    target_date_change_request(action=sponsored, requested_by=other_manager, new_target_date=dt.date(2031, 6, 30),
                               reason="Waiting on <b>partners</b>")  # fmt: skip
    target_date_change_request(action=own, requested_by=manager, new_target_date=dt.date(2031, 9, 30), reason="Mine")
    return plan


def requests_page(client):
    return client.get(reverse("plans:target_date_requests", args=["csc"]))


@pytest.mark.parametrize(
    ("role_user", "decidable"),
    [("admin_user", ["1", "2"]), ("manager", ["1"]), ("other_manager", []), ("board_member", []), ("viewer", [])],
)
def test_each_reader_sees_every_pending_request_and_buttons_only_where_they_may_decide(
    client, plan, request, role_user, decidable
):
    reader = request.getfixturevalue(role_user)
    client.force_login(reader)
    response = requests_page(client)
    assert response.status_code == 200
    assert [change.action.ref for change, _ in response.context["changes"]] == ["1", "2"]
    assert [change.action.ref for change, can in response.context["changes"] if can] == decidable
    for change, can in response.context["changes"]:
        assert can == change.can_be_decided_by(reader)  # the list's rule is the model's
    html = response.content.decode()
    assert "Waiting on &lt;b&gt;partners&lt;/b&gt;" in html
    assert html.count('value="approve"') == len(decidable)


def test_a_sponsor_decides_from_the_list_and_comes_back_to_it(client, plan, manager):
    client.force_login(manager)
    change = TargetDateChange.objects.get(action__ref="1")
    list_url = reverse("plans:target_date_requests", args=["csc"])
    decide = reverse("plans:target_date_decide", args=["csc", change.pk])
    response = client.post(decide, {"decision": "approve", "next": list_url})
    assert response.status_code == 302 and response.url == list_url
    change.refresh_from_db()
    assert change.decision == TargetDateChange.Decision.APPROVED
    assert [c.action.ref for c, _ in requests_page(client).context["changes"]] == ["2"]


def test_deciding_never_sends_anyone_to_another_site(client, plan, admin_user):
    client.force_login(admin_user)
    change = TargetDateChange.objects.get(action__ref="2")
    decide = reverse("plans:target_date_decide", args=["csc", change.pk])
    response = client.post(decide, {"decision": "reject", "next": "https://evil.example/"})
    assert response.url == change.action.get_absolute_url()


def test_a_manager_may_not_decide_their_own_request_by_posting(client, plan, manager):
    client.force_login(manager)
    change = TargetDateChange.objects.get(action__ref="2")
    response = client.post(reverse("plans:target_date_decide", args=["csc", change.pk]), {"decision": "approve"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.decision == TargetDateChange.Decision.PENDING


def test_the_list_runs_a_fixed_number_of_queries(client, plan, manager, manager_sponsor, django_assert_max_num_queries):
    for number in range(30):
        action = ActionFactory(plan=plan, area__plan=plan, ref=f"x{number}", sponsors=[manager_sponsor])
        target_date_change_request(action=action, requested_by=None, new_target_date=dt.date(2032, 1, 1), reason="r")
    client.force_login(manager)
    with django_assert_max_num_queries(10 + NAV_COUNT_QUERIES):
        assert len(requests_page(client).context["changes"]) == 32
