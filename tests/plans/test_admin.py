"""The Django admin cannot write an action's history behind the service.

- An admin edits what an action is (title, area, people) but not its state: status, what the status cell
  said, at risk and why, target, completion and the last update are read only, on a new action too.
- Update rows are only looked at; target date requests are only approved or rejected, through the service.
- "Record an update" on the action's admin page is the update form: it records one update by the service.
"""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plans import services
from plans.models import Action, ActionUpdate, Milestone, TargetDateChange
from plans.rag import Status
from tests.factories import ActionFactory, MilestoneFactory

TARGET = dt.date(2030, 12, 31)
STATE = ["status", "status_text", "at_risk", "at_risk_reason", "target_date", "completed_on", "last_updated_at"]


@pytest.fixture
def action(admin_user):
    """In progress and on track, with one update in its history and a milestone not yet done."""
    action = ActionFactory(ref="12", title="Refresh the threshold document", target_date=TARGET)
    services.action_update(action=action, author=admin_user, status=Status.IN_PROGRESS, commentary="Started.")
    MilestoneFactory(action=action, title="Draft shared", target_date=dt.date(2030, 6, 30))
    action.refresh_from_db()
    return action


def _state(action):
    action.refresh_from_db()
    return {field: getattr(action, field) for field in STATE}


def _history(action):
    return list(ActionUpdate.objects.filter(action=action).order_by("pk").values())


def _form_as_posted(response):
    """What the admin page's form posts back unchanged: its fields and every inline's rows and management form."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list):
                data[form.add_prefix(name)] = [str(item) for item in value]
            else:
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def _change_url(model, pk):
    return reverse(f"admin:plans_{model._meta.model_name}_change", args=[pk])


def _add_url(model):
    return reverse(f"admin:plans_{model._meta.model_name}_add")


def test_it_saves_an_actions_description_but_not_its_state(admin_client, action):
    before, history = _state(action), _history(action)
    data = _form_as_posted(admin_client.get(_change_url(Action, action.pk)))
    # Whatever the browser sends for the state fields, they are not fields of the admin's form.
    data |= {"title": "Refresh the threshold document (v2)", "status": Status.COMPLETED, "status_text": "Done",
             "at_risk": "on", "at_risk_reason": "Typed in the admin", "target_date": "2031-06-30",
             "completed_on": "2026-01-01", "last_updated_at_0": "2026-01-01", "last_updated_at_1": "10:00"}  # fmt: skip

    response = admin_client.post(_change_url(Action, action.pk), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Action.objects.get(pk=action.pk).title == "Refresh the threshold document (v2)"  # the save went through
    assert _state(action) == before
    assert _history(action) == history


def test_a_new_action_starts_without_a_state_typed_in_the_admin(admin_client, action):
    data = _form_as_posted(admin_client.get(_add_url(Action)))
    data |= {"plan": action.plan_id, "area": action.area_id, "ref": "13", "position": "0", "title": "A new action",
             "status": Status.COMPLETED, "status_text": "Complete", "at_risk": "on", "at_risk_reason": "Typed",
             "target_date": "2031-06-30", "completed_on": "2026-01-01"}  # fmt: skip

    response = admin_client.post(_add_url(Action), data)

    assert response.status_code == 302
    created = Action.objects.get(ref="13")
    assert _state(created) == {"status": Status.NOT_STARTED, "status_text": "", "at_risk": False,
                               "at_risk_reason": "", "target_date": None, "completed_on": None,
                               "last_updated_at": None}  # fmt: skip
    assert not ActionUpdate.objects.filter(action=created).exists()


def test_a_milestone_is_not_marked_done_in_the_admin(admin_client, action):
    milestone = action.milestones.get()
    data = _form_as_posted(admin_client.get(_change_url(Action, action.pk)))
    data["milestones-0-done_on"] = "2026-01-01"

    admin_client.post(_change_url(Action, action.pk), data)
    admin_client.post(_change_url(Milestone, milestone.pk), {"action": action.pk, "title": milestone.title,
                                                            "position": "0", "done_on": "2026-01-01"})  # fmt: skip

    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_update_rows_are_read_only_in_the_admin(admin_client, action, admin_user):
    update = action.updates.get()
    history = _history(action)
    written = {"action": action.pk, "author": admin_user.pk, "created_at_0": "2020-01-01", "created_at_1": "10:00",
               "status": Status.COMPLETED, "rag": "blue", "commentary": "Rewritten in the admin"}  # fmt: skip

    assert admin_client.get(_change_url(ActionUpdate, update.pk)).status_code == 200  # to look at
    assert admin_client.post(_add_url(ActionUpdate), written).status_code == 403
    assert admin_client.post(_change_url(ActionUpdate, update.pk), written).status_code == 403
    delete = reverse("admin:plans_actionupdate_delete", args=[update.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert _history(action) == history


def test_target_date_requests_are_not_written_in_the_admin(admin_client, action, admin_user):
    change = services.target_date_change_request(
        action=action, requested_by=admin_user, new_target_date=dt.date(2031, 3, 31), reason="Waiting for IT"
    )
    written = {"action": action.pk, "new_target_date": "2032-01-01", "reason": "Typed", "decision": "approved"}

    assert admin_client.post(_add_url(TargetDateChange), written).status_code == 403
    assert admin_client.post(_change_url(TargetDateChange, change.pk), written).status_code == 403
    delete = reverse("admin:plans_targetdatechange_delete", args=[change.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change.refresh_from_db()
    assert (change.new_target_date, change.decision) == (dt.date(2031, 3, 31), TargetDateChange.Decision.PENDING)
    assert _state(action)["target_date"] == TARGET


def _decide_in_the_admin(client, decision, *changes):
    changelist = reverse("admin:plans_targetdatechange_changelist")
    selected = [str(change.pk) for change in changes]
    return client.post(changelist, {"action": decision, "_selected_action": selected, "index": "0"}, follow=True)


@pytest.mark.parametrize(
    ("decision", "outcome", "target"),
    [("approve", TargetDateChange.Decision.APPROVED, dt.date(2031, 3, 31)),
     ("reject", TargetDateChange.Decision.REJECTED, TARGET)],
)  # fmt: skip
def test_an_admin_decides_a_pending_request_through_the_service(admin_client, action, admin_user, manager,
                                                                decision, outcome, target):  # fmt: skip
    change = services.target_date_change_request(
        action=action, requested_by=admin_user, new_target_date=dt.date(2031, 3, 31), reason="Waiting for IT"
    )

    response = _decide_in_the_admin(admin_client, decision, change)

    change.refresh_from_db()
    assert (change.decision, change.decided_by) == (outcome, admin_user)
    assert _state(action)["target_date"] == target
    assert f"1 target date request {outcome.label.lower()}." in [str(m) for m in get_messages(response.wsgi_request)]


def test_a_request_already_decided_is_reported_and_left_alone(admin_client, action, admin_user):
    change = services.target_date_change_request(
        action=action, requested_by=admin_user, new_target_date=dt.date(2031, 3, 31), reason="Waiting for IT"
    )
    services.target_date_change_decide(change=change, decided_by=admin_user, approve=False)

    response = _decide_in_the_admin(admin_client, "approve", change)

    change.refresh_from_db()
    assert change.decision == TargetDateChange.Decision.REJECTED
    assert _state(action)["target_date"] == TARGET
    assert f"{change}: {services.TARGET_CHANGE_ALREADY_DECIDED}" in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def _record_url(action):
    return reverse("admin:plans_action_record_update", args=[action.pk])


def test_the_action_page_in_the_admin_offers_record_an_update(admin_client, action):
    page = admin_client.get(_change_url(Action, action.pk)).text

    assert f'href="{_record_url(action)}"' in page and "Record an update" in page


def test_record_an_update_records_one_update_through_the_service(admin_client, action, admin_user):
    history = _history(action)
    form = admin_client.get(_record_url(action))
    assert form.status_code == 200

    response = admin_client.post(_record_url(action), {
        "status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "The consultant left",
        "commentary": "Recruiting again.", "reported_rag": "green", "version": action.version,
    })  # fmt: skip

    assert response.status_code == 302 and response["Location"] == _change_url(Action, action.pk)
    new = ActionUpdate.objects.filter(action=action).exclude(pk__in=[row["id"] for row in history])
    assert new.count() == 1
    update = new.get()
    assert (update.author, update.at_risk_reason, update.rag) == (admin_user, "The consultant left", "amber")
    assert update.reported_rag == "green"  # the admin's own judgement is kept beside the rule's, as on the site
    assert _history(action)[: len(history)] == history  # the earlier rows are untouched
    state = _state(action)
    assert (state["status"], state["at_risk"]) == (Status.IN_PROGRESS, True)


def test_record_an_update_changes_the_status(admin_client, action):
    response = admin_client.post(
        _record_url(action), {"status": Status.COMPLETED, "commentary": "Signed off.", "version": action.version}
    )

    assert response.status_code == 302
    assert _state(action)["status"] == Status.COMPLETED
    assert action.updates.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [({"status": Status.IN_PROGRESS, "at_risk": "on", "commentary": "x"}, services.AT_RISK_NEEDS_REASON),
     ({"status": Status.COMPLETED, "commentary": ""}, services.COMMENTARY_REQUIRED_TO_COMPLETE)],
)  # fmt: skip
def test_record_an_update_shows_the_services_refusal_in_the_form(admin_client, action, data, message):
    before, history = _state(action), _history(action)

    response = admin_client.post(_record_url(action), data | {"version": action.version})

    assert response.status_code == 400
    assert message in response.text
    assert _state(action) == before and _history(action) == history


def test_record_an_update_from_a_stale_page_is_refused_and_keeps_the_words(admin_client, action, admin_user):
    opened = action.version
    services.action_update(action=action, author=admin_user, status=Status.IN_PROGRESS, commentary="Meanwhile.")

    response = admin_client.post(
        _record_url(action), {"status": Status.COMPLETED, "commentary": "My careful words", "version": opened}
    )

    assert response.status_code == 400
    assert services.ACTION_CHANGED_SINCE_OPENED in response.text and "My careful words" in response.text
    assert action.updates.count() == 2


def test_record_an_update_is_for_the_admin_only(client, manager, action):
    client.force_login(manager)  # not staff: the admin site sends them to sign in

    response = client.post(_record_url(action), {"status": Status.COMPLETED, "commentary": "x", "version": 1})

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert action.updates.count() == 1
