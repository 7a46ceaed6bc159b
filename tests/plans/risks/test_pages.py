"""The risk register's pages: who may read and reassess, the flags, the score history, escaping; and the risks
list of export_plan's JSON."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Risk
from plans.risks.services import risk_create
from tests.plans.conftest import days


@pytest.fixture
def risks(timeline, admin_user):
    plan, actions = timeline
    staffing = risk_create(plan=plan, ref="R1", title="Staff <em>leave</em>", likelihood=4, impact=5, owner="ADCSC",
                           status="open", review_date=days(-2), author=admin_user,
                           mitigations=[actions["A"], actions["B"]])  # fmt: skip
    closed = risk_create(plan=plan, ref="R2", title="Old risk", likelihood=1, impact=2, status="closed")
    return plan, actions, staffing, closed


def test_a_reader_sees_the_register_its_heat_map_and_what_needs_challenge(client, viewer, risks):
    plan, _actions, _staffing, _closed = risks
    client.force_login(viewer)

    page = client.get(reverse("plans:risk_register", args=[plan.slug])).content.decode()

    assert 'class="risk-heat-map"' in page
    assert "Staff &lt;em&gt;leave&lt;/em&gt;" in page and "<em>leave</em>" not in page
    assert "review overdue since" in page and "mitigated by A (Amber), B (Red)" in page
    assert page.count("overdue</strong>") == 1  # R1's review; R2 is closed


def test_only_an_admin_may_reassess_and_each_reassessment_joins_the_history(client, manager, admin_user, risks):
    plan, _actions, staffing, _closed = risks
    url = staffing.get_absolute_url()
    data = {"likelihood": 2, "impact": 5, "status": "open", "note": "Agency staff converted to permanent"}

    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "Record the new assessment" not in page
    assert client.post(url, data).status_code == 403

    client.force_login(admin_user)
    assert client.post(url, data).status_code == 302
    staffing.refresh_from_db()
    assert staffing.score == 10
    history = client.get(url).content.decode()
    assert "Agency staff converted to permanent" in history and "Added to the register." in history
    same = client.post(url, data)
    assert same.status_code == 400 and "as they were" in same.content.decode()


def test_a_bad_reassessment_is_a_message_on_the_form(client, admin_user, risks):
    _plan, _actions, staffing, _closed = risks
    client.force_login(admin_user)
    response = client.post(staffing.get_absolute_url(), {"likelihood": 9, "impact": 5, "status": "open", "note": "x"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert Risk.objects.get(pk=staffing.pk).likelihood == 4


def test_the_register_needs_the_right_to_read(client, risks, django_user_model):
    plan, *_ = risks
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get(reverse("plans:risk_register", args=[plan.slug])).status_code == 403
    assert client.get(reverse("plans:risk_detail", args=[plan.slug, "R1"])).status_code == 403


def test_export_plan_lists_the_risks_with_the_refs_of_their_actions(risks):
    plan, *_ = risks
    out = io.StringIO()
    call_command("export_plan", plan.slug, "--format", "json", stdout=out)

    exported = json.loads(out.getvalue())["risks"]

    assert exported[0] == {
        "ref": "R1", "title": "Staff <em>leave</em>", "owner": "ADCSC", "likelihood": 4, "impact": 5, "score": 20,
        "target_score": None, "status": "open", "review_date": days(-2).isoformat(), "actions": ["A", "B"],
    }  # fmt: skip
    assert exported[1]["status"] == "closed" and exported[1]["actions"] == []


def test_the_dashboard_shows_the_heat_map_only_when_the_plan_has_risks(client, board_member, timeline, admin_user):
    plan, actions = timeline
    client.force_login(board_member)
    url = reverse("reports:dashboard", args=[plan.slug])
    assert "risk-heat-map" not in client.get(url).content.decode()

    risk_create(plan=plan, ref="R1", title="Staffing", likelihood=4, impact=5, mitigations=[actions["B"]])
    page = client.get(url).content.decode()
    assert "risk-heat-map" in page and "1 risk for the board's challenge" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_register_runs_a_fixed_number_of_queries(client, viewer, timeline, count, django_assert_max_num_queries):
    plan, actions = timeline
    for n in range(count):
        risk_create(plan=plan, ref=f"R{n}", title=f"Risk {n}", likelihood=n % 5 + 1, impact=(n * 2) % 5 + 1,
                    mitigations=[actions["A"], actions["B"]])  # fmt: skip
    client.force_login(viewer)
    # 14 whatever the number of risks: the risks, their histories, their actions' RAG data once.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("plans:risk_register", args=[plan.slug]))
    assert response.status_code == 200 and response.text.count("<tr>") == count + 1
