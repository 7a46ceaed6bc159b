"""The update form: managers keep their actions current; nobody else writes; nothing typed is lost."""

import datetime as dt

import pytest
from django.urls import reverse

from plans.models import Action, TargetDateChange
from plans.rag import Status
from plans.services import ACTION_CHANGED_SINCE_OPENED
from tests.factories import ActionFactory, MilestoneFactory, SponsorFactory


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="7", area__plan__slug="csc", target_date=dt.date(2031, 3, 31), sponsors=[manager_sponsor])


def update_url(action):
    return reverse("plans:action_update", args=[action.plan.slug, action.ref])


def post_update(client, action, **fields):
    data = {"status": Status.IN_PROGRESS, "commentary": "", "version": action.version, **fields}
    return client.post(update_url(action), data)


def test_a_manager_updates_their_action_and_the_board_sees_it(client, action, manager, board_member):
    client.force_login(manager)
    response = post_update(client, action, at_risk="on", at_risk_reason="Two vacancies", commentary="Interviews Friday")
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()

    client.force_login(board_member)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Amber" in page
    assert "Interviews Friday" in page
    assert "Two vacancies" in page
    dashboard = client.get(reverse("reports:dashboard", args=["csc"]))
    assert [n for rag, n in dashboard.context["summary"].counts.items() if rag.value == "amber"] == [1]


def test_the_action_page_offers_the_form_only_to_who_may_update(client, action, manager, board_member):
    client.force_login(manager)
    assert b"Save update" in client.get(action.get_absolute_url()).content
    client.force_login(board_member)
    assert b"Save update" not in client.get(action.get_absolute_url()).content


@pytest.mark.parametrize("role_user", ["other_manager", "board_member", "viewer"])
def test_a_forbidden_write_answers_403_and_changes_nothing(client, action, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(update_url(action)).status_code == 403
    assert post_update(client, action, status=Status.COMPLETED, commentary="Done").status_code == 403
    target_url = reverse("plans:target_date_change", args=["csc", action.ref])
    assert client.post(target_url, {"new_target_date": "2032-01-31", "reason": "x"}).status_code == 403
    action.refresh_from_db()
    assert (action.status, action.version, action.updates.count(), action.target_changes.count()) == (
        Status.NOT_STARTED,
        1,
        0,
        0,
    )


def test_an_admin_may_update_any_action(client, action, admin_user):
    client.force_login(admin_user)
    assert post_update(client, action, commentary="Checked").status_code == 302


def test_a_missing_commentary_is_shown_beside_the_field_and_nothing_is_saved(client, action, manager):
    client.force_login(manager)
    response = post_update(client, action, status=Status.COMPLETED)
    assert response.status_code == 400
    assert "Add a commentary" in response.content.decode()
    assert Action.objects.get(pk=action.pk).updates.count() == 0


def test_a_concurrent_edit_is_refused_showing_the_other_change_and_keeping_the_text(
    client, action, manager, admin_user
):
    opened_version = action.version
    client.force_login(admin_user)
    assert (
        post_update(client, action, commentary="Admin's note about budget", version=opened_version).status_code == 302
    )

    client.force_login(manager)
    response = post_update(client, action, commentary="My long careful commentary", version=opened_version)
    content = response.content.decode()
    assert response.status_code == 409
    assert ACTION_CHANGED_SINCE_OPENED in content
    assert "Admin&#x27;s note about budget" in content
    assert "My long careful commentary" in content
    assert list(Action.objects.get(pk=action.pk).updates.values_list("commentary", flat=True)) == [
        "Admin's note about budget"
    ]
    # Having seen the other change, saving again goes through.
    resubmitted = post_update(client, action, commentary="My long careful commentary", version=opened_version + 1)
    assert resubmitted.status_code == 302


def test_ticking_milestones_in_the_form(client, action, manager):
    milestone = MilestoneFactory(action=action, title="Advertise posts", target_date=dt.date(2031, 1, 31))
    client.force_login(manager)
    post_update(client, action, commentary="Advertised", milestones_done=[milestone.pk])
    milestone.refresh_from_db()
    assert milestone.done_on is not None


def test_a_target_date_request_waits_for_someone_else_to_approve(
    client, action, manager, other_manager, board_member, admin_user
):
    client.force_login(manager)
    response = client.post(
        reverse("plans:target_date_change", args=["csc", action.ref]),
        {"new_target_date": "2031-06-30", "reason": "Recruitment delayed"},
    )
    assert response.status_code == 302
    change = TargetDateChange.objects.get(action=action)
    action.refresh_from_db()
    assert (change.decision, action.target_date) == ("pending", dt.date(2031, 3, 31))

    decide_url = reverse("plans:target_date_decide", args=["csc", change.pk])
    for outsider in (other_manager, board_member):
        client.force_login(outsider)
        assert client.post(decide_url, {"decision": "approve"}).status_code == 403

    client.force_login(manager)  # the sponsor, but also the one who asked
    assert client.post(decide_url, {"decision": "approve"}).status_code == 403

    client.force_login(admin_user)
    assert client.post(decide_url, {"decision": "approve"}).status_code == 302
    action.refresh_from_db()
    assert action.target_date == dt.date(2031, 6, 30)


def test_a_target_date_request_needs_a_reason(client, action, manager):
    client.force_login(manager)
    response = client.post(
        reverse("plans:target_date_change", args=["csc", action.ref]), {"new_target_date": "2031-06-30", "reason": ""}
    )
    assert response.status_code == 400
    assert not TargetDateChange.objects.exists()


def test_a_second_target_date_request_is_refused_with_a_message_on_the_page(client, action, manager):
    client.force_login(manager)
    url = reverse("plans:target_date_change", args=["csc", action.ref])
    assert client.post(url, {"new_target_date": "2031-06-30", "reason": "Recruitment delayed"}).status_code == 302

    response = client.post(url, {"new_target_date": "2031-06-30", "reason": "Recruitment delayed"})

    assert response.status_code == 400
    assert "is already waiting for a decision" in response.content.decode()
    assert TargetDateChange.objects.filter(action=action).count() == 1


def test_every_change_is_recorded_with_who_and_the_old_and_new_values(client, action, manager, board_member):
    client.force_login(manager)
    post_update(client, action, at_risk="on", at_risk_reason="Two vacancies", commentary="Slipping")
    client.force_login(board_member)
    response = client.get(action.get_absolute_url())
    log = response.context["change_log"]
    latest, created = log[0], log[-1]
    assert created["created"]
    assert latest["by"] == manager
    assert ("status", "Not started", "In progress") in latest["changes"]
    assert ("at risk", "No", "Yes") in latest["changes"]
    assert "Two vacancies" in response.content.decode()


def test_a_change_of_sponsors_is_recorded_with_their_names(client, action, manager_sponsor, admin_user, board_member):
    director = SponsorFactory(abbreviation="DCS", role="Director of Children's Services")
    action._history_user = admin_user
    action.sponsors.set([manager_sponsor, director])
    client.force_login(board_member)
    response = client.get(action.get_absolute_url())
    latest = response.context["change_log"][0]
    assert ("sponsors", "ADCSC", "ADCSC, DCS") in latest["changes"]
    assert "ADCSC, DCS" in response.content.decode()


@pytest.mark.parametrize("updates", [1, 30])
def test_the_action_page_reads_a_fixed_number_of_queries_however_long_its_history(
    client, action, manager, board_member, django_assert_max_num_queries, updates
):
    client.force_login(manager)
    for number in range(updates):
        action.refresh_from_db()
        post_update(client, action, commentary=f"Update {number}", at_risk="on" if number % 2 else "",
                    at_risk_reason="Vacancies" if number % 2 else "")  # fmt: skip
    client.force_login(board_member)
    with django_assert_max_num_queries(20):
        assert client.get(action.get_absolute_url()).status_code == 200
