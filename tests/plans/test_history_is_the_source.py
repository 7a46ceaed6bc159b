"""History is the single source: every path that changes an action's state leaves its update row,
and the state today is the state the history rebuilds."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import Action, Plan
from plans.rag import RAG, Status
from plans.reading import read_action
from plans.services import action_update, target_date_change_decide, target_date_change_request, target_date_record
from tests.factories import ActionFactory, MilestoneFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(ref="7", area__plan__slug="csc", target_date=dt.date(2031, 3, 31), sponsors=[manager_sponsor])


def update_url(action):
    return reverse("plans:action_update", args=[action.plan.slug, action.ref])


def assert_current_state_is_the_latest_update(action):
    action.refresh_from_db()
    latest = action.updates.order_by("-created_at", "-pk").first()
    assert latest is not None
    assert (action.status, action.at_risk, action.at_risk_reason) == (
        latest.status,
        latest.at_risk,
        latest.at_risk_reason,
    )
    assert action.last_updated_at == latest.created_at


def test_the_update_form_records_history(client, action, manager):
    client.force_login(manager)
    client.post(update_url(action), {"status": Status.IN_PROGRESS, "commentary": "Begun", "version": action.version})
    [update] = action.updates.all()
    assert (update.author, update.status, update.commentary) == (manager, Status.IN_PROGRESS, "Begun")
    assert_current_state_is_the_latest_update(action)


def test_the_inline_update_records_history(client, action, manager):
    client.force_login(manager)
    data = {"status": Status.IN_PROGRESS, "at_risk": "on", "at_risk_reason": "Vacancies", "commentary": "Slow",
            "version": action.version, "inline": "row"}  # fmt: skip
    client.post(update_url(action), data, **HTMX)
    [update] = action.updates.all()
    assert (update.author, update.at_risk_reason, update.rag) == (manager, "Vacancies", RAG.AMBER)
    assert_current_state_is_the_latest_update(action)


def test_a_ticked_milestone_is_recorded_with_the_update(client, action, manager):
    milestone = MilestoneFactory(action=action, title="Audit", target_date=dt.date(2020, 1, 31))
    client.force_login(manager)
    client.post(
        update_url(action),
        {"status": Status.IN_PROGRESS, "commentary": "Audit done", "milestones_done": [milestone.pk],
         "version": action.version},
    )  # fmt: skip
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert action.updates.get().rag == RAG.GREEN


def test_an_approved_target_date_is_recorded_as_a_decided_change(action, manager, admin_user):
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 9, 30), reason="Restructure"
    )
    target_date_change_decide(change=change, decided_by=admin_user, approve=True)
    action.refresh_from_db()
    assert action.target_date == dt.date(2031, 9, 30)
    [recorded] = action.target_changes.all()
    assert (recorded.decided_by, recorded.previous_target_date) == (admin_user, dt.date(2031, 3, 31))
    assert action.target_date_as_of(timezone.localdate()) == dt.date(2031, 9, 30)


def test_an_update_dated_before_the_latest_joins_the_history_without_overwriting(action, manager):
    now = timezone.now()
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, commentary="Now", at=now)
    action_update(
        action=action,
        author=manager,
        status=Status.COMPLETED,
        commentary="A back-dated entry",
        at=now - dt.timedelta(days=40),
    )
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert action.updates.count() == 2
    assert (
        read_action(Action.objects.with_history().get(pk=action.pk), timezone.localdate() - dt.timedelta(days=39)).rag
        == RAG.BLUE
    )


def test_the_demo_records_every_status_it_sets(db):
    call_command("load_demo", "--current", stdout=io.StringIO())
    plan = Plan.objects.get()
    started = plan.actions.exclude(status=Status.NOT_STARTED)
    assert started.exists()
    for action in started:
        assert_current_state_is_the_latest_update(action)


def test_a_back_dated_target_move_starts_from_the_target_of_its_own_date(action, manager, admin_user):
    now = timezone.now()
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 9, 30), reason="Restructure", at=now
    )
    target_date_change_decide(change=change, decided_by=admin_user, approve=True, at=now)
    older = target_date_record(
        action=action,
        new_target_date=dt.date(2031, 6, 30),
        reason="From last quarter's file",
        decided_by=admin_user,
        at=now - dt.timedelta(days=60),
    )
    assert older.previous_target_date == dt.date(2031, 3, 31)
    action.refresh_from_db()
    assert action.target_date == dt.date(2031, 9, 30)
    assert action.slippage().original_target_date == dt.date(2031, 3, 31)


def test_a_back_dated_update_is_coloured_by_the_target_of_its_own_date(action, manager, admin_user):
    now = timezone.now()
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2020, 1, 31), reason="Brought forward", at=now
    )
    target_date_change_decide(change=change, decided_by=admin_user, approve=True, at=now)
    # On 1 Feb 2020 the target was still 31 March 2031: the action was on track that day.
    update = action_update(
        action=action,
        author=manager,
        status=Status.IN_PROGRESS,
        commentary="Then",
        at=dt.datetime(2020, 2, 1, tzinfo=dt.UTC),
    )
    assert update.rag == RAG.GREEN
