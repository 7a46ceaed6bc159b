"""A plan's life: draft, active, closed (and back to draft with a reason), on the plan's own page, by admins.

Admin: moves a plan a step, sees drafts. Manager, board member, viewer: read active and closed plans, never a
draft. Nobody writes to a closed plan: the update form, the inline update, target date requests and decisions
and imports all refuse it. Closed plans leave the portfolio unless asked for.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from plans.importing import ImportRefused, plan_import, plan_preview
from plans.models import ActionUpdate, Plan, PlanStatusChange, TargetDateChange
from plans.rag import Status
from plans.services import (
    PLAN_BACK_TO_DRAFT_NEEDS_REASON,
    PLAN_IS_CLOSED,
    action_update,
    plan_status_change,
    target_date_change_request,
)
from tests.factories import ActionFactory, PlanFactory
from tests.plans.importing.workbooks import xlsx

HTMX = {"HTTP_HX_REQUEST": "true"}
ROWS = [
    ["Area", "Ref", "Action", "Target date", "Status"],
    ["Leadership", "1", "Set up the board", "Dec 2030", "Green"],
]


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="1", area__plan__slug="life", area__plan__title="Life plan", sponsors=[manager_sponsor])


def status_url(plan):
    return reverse("plans:plan_status", args=[plan.slug])


def test_it_lets_an_admin_take_a_plan_from_draft_to_active_to_closed_on_its_page_and_records_each_step(
    client, admin_user
):
    plan = PlanFactory(slug="life", status=Plan.Status.DRAFT)
    client.force_login(admin_user)
    page = client.get(plan.get_absolute_url()).text
    assert 'name="to" value="active"' in page and 'value="closed"' not in page

    assert client.post(status_url(plan), {"to": "active"}).status_code == 302
    assert client.post(status_url(plan), {"to": "closed"}).status_code == 302

    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    steps = list(PlanStatusChange.objects.filter(plan=plan).order_by("changed_at", "pk"))
    assert [(s.from_status, s.to_status, s.changed_by) for s in steps] == [
        ("draft", "active", admin_user),
        ("active", "closed", admin_user),
    ]
    page = client.get(plan.get_absolute_url()).text
    assert "Active to Closed by" in page and "Draft to Active by" in page


def test_it_takes_a_plan_back_to_draft_only_with_a_reason(client, admin_user):
    plan = PlanFactory(slug="life", status=Plan.Status.CLOSED)
    client.force_login(admin_user)

    response = client.post(status_url(plan), {"to": "draft", "reason": "  "})
    assert response.status_code == 400
    assert escape(PLAN_BACK_TO_DRAFT_NEEDS_REASON) in response.text
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.CLOSED

    client.post(status_url(plan), {"to": "draft", "reason": "Closed by mistake: two actions are still open"})
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    change = PlanStatusChange.objects.get(plan=plan)
    assert change.reason == "Closed by mistake: two actions are still open"
    assert "Closed by mistake: two actions are still open" in client.get(plan.get_absolute_url()).text


@pytest.mark.parametrize(("current", "wanted"), [("draft", "closed"), ("closed", "active"), ("active", "active")])
def test_it_refuses_a_step_out_of_the_plans_life(admin_user, current, wanted):
    plan = PlanFactory(status=current)
    with pytest.raises(ValidationError, match="a plan goes from draft to active to closed"):
        plan_status_change(plan=plan, to=wanted, changed_by=admin_user, reason="because")
    assert not PlanStatusChange.objects.exists()


@pytest.mark.parametrize("role", ["manager", "board_member", "viewer"])
def test_it_lets_only_admins_change_a_plans_status(db, client, request, role):
    plan = PlanFactory(status=Plan.Status.ACTIVE)
    client.force_login(request.getfixturevalue(role))
    assert 'name="to"' not in client.get(plan.get_absolute_url()).text
    assert client.post(status_url(plan), {"to": "closed"}).status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ACTIVE


@pytest.mark.parametrize("role", ["manager", "board_member", "viewer"])
def test_it_shows_a_draft_to_admins_only(client, request, role, admin_user, action):
    Plan.objects.filter(pk=action.plan.pk).update(status=Plan.Status.DRAFT)
    pages = [
        reverse("plans:plan_detail", args=["life"]),
        reverse("reports:dashboard", args=["life"]),
        reverse("reports:action_table", args=["life"]),
        reverse("plans:action_detail", args=["life", "1"]),
        reverse("reports:pack_list", args=["life"]),
    ]
    client.force_login(request.getfixturevalue(role))
    assert [client.get(page).status_code for page in pages] == [404] * len(pages)
    assert "Life plan" not in client.get(reverse("plans:plan_list")).text
    assert "Life plan" not in client.get(reverse("plans:my_actions")).text

    client.force_login(admin_user)
    assert [client.get(page).status_code for page in pages] == [200] * len(pages)
    assert "Life plan" in client.get(reverse("plans:plan_list")).text


def test_it_keeps_a_closed_plan_readable_but_out_of_the_portfolio_unless_asked_for(client, viewer):
    PlanFactory(title="Finished plan", slug="finished", status=Plan.Status.CLOSED)
    PlanFactory(title="Current plan", slug="current")
    client.force_login(viewer)
    listed = client.get(reverse("plans:plan_list")).text
    assert "Current plan" in listed and "Finished plan" not in listed
    assert "Show the 1 closed plan too" in listed
    assert "Finished plan" in client.get(reverse("plans:plan_list") + "?closed=1").text
    page = client.get(reverse("plans:plan_detail", args=["finished"]))
    assert page.status_code == 200 and "Closed:" in page.text


def test_it_refuses_every_write_to_a_closed_plan(client, manager, admin_user, action):
    Plan.objects.filter(pk=action.plan.pk).update(status=Plan.Status.CLOSED)
    action.refresh_from_db()
    update_url = reverse("plans:action_update", args=["life", "1"])
    form = {"status": Status.COMPLETED, "commentary": "Done", "version": action.version}
    client.force_login(manager)
    page = client.get(action.get_absolute_url()).text
    assert update_url not in page  # no form to fill in, and the page says why
    assert "<strong>Closed:</strong> this plan is kept as it was when it closed" in page
    assert client.get(update_url).status_code == 403
    assert client.post(update_url, form).status_code == 403
    assert client.post(update_url, form | {"inline": "row"}, **HTMX).status_code == 403
    target_url = reverse("plans:target_date_change", args=["life", "1"])
    assert client.post(target_url, {"new_target_date": "2031-01-31", "reason": "Late"}).status_code == 403

    with pytest.raises(ValidationError, match="Life plan is closed"):
        action_update(action=action, author=admin_user, status=Status.COMPLETED, commentary="Done")
    with pytest.raises(ValidationError, match="Life plan is closed"):
        target_date_change_request(
            action=action, requested_by=admin_user, new_target_date=dt.date(2031, 1, 31), reason="Late"
        )
    assert not ActionUpdate.objects.filter(action=action).exists()
    assert not TargetDateChange.objects.exists()


def test_it_refuses_a_decision_on_a_target_in_a_closed_plan(client, admin_user, manager, action):
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 1, 31), reason="Late"
    )
    Plan.objects.filter(pk=action.plan.pk).update(status=Plan.Status.CLOSED)
    client.force_login(admin_user)
    response = client.post(reverse("plans:target_date_decide", args=["life", change.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert TargetDateChange.objects.get(pk=change.pk).decision == TargetDateChange.Decision.PENDING


def test_it_refuses_an_import_into_a_closed_plan(admin_user, action, tmp_path):
    Plan.objects.filter(pk=action.plan.pk).update(status=Plan.Status.CLOSED)
    preview, _ = plan_preview(xlsx(ROWS), name="plan.xlsx", slug="life")
    with pytest.raises(ImportRefused, match="Life plan is closed"):
        plan_import(preview=preview, slug="life", user=admin_user)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(ROWS))
    with pytest.raises(CommandError, match="Life plan is closed"):
        call_command("import_plan", str(path), "--plan", "life")
    assert not ActionUpdate.objects.filter(action__plan__slug="life").exists()
    assert PLAN_IS_CLOSED.format(plan="Life plan").startswith("Life plan is closed")


def test_it_does_not_offer_a_closed_plan_to_import_into(client, admin_user):
    PlanFactory(title="Finished plan", status=Plan.Status.CLOSED)
    PlanFactory(title="Current plan")
    client.force_login(admin_user)
    page = client.get(reverse("plans:import_start")).text
    assert "Current plan (update)" in page and "Finished plan" not in page


def test_the_admin_shows_a_plans_status_and_its_history_but_leaves_the_change_to_the_plans_page(client, admin_user):
    plan = PlanFactory(title="Life plan", status=Plan.Status.DRAFT)
    plan_status_change(plan=plan, to="active", changed_by=admin_user)
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get(reverse("admin:plans_plan_change", args=[plan.pk])).text
    assert 'name="status"' not in page  # no way around the record
    assert "Draft" in page and "Active" in page  # the recorded step


def test_reminders_leave_out_drafts_and_closed_plans(manager, manager_sponsor):
    from plans.reminders import people_to_remind

    for status in (Plan.Status.DRAFT, Plan.Status.ACTIVE, Plan.Status.CLOSED):
        ActionFactory(area__plan__status=status, area__plan__slug=status, sponsors=[manager_sponsor], target_date=None)
    reminded = people_to_remind()
    assert [action.plan.slug for action, _reasons in reminded[manager.person]] == ["active"]
