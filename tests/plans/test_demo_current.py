"""load_demo --current on an empty database: the seed plan moved by whole years so that it is live today."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings

from plans.demo import demo_load, load_seed, years_to_make_live
from plans.models import Action, Milestone
from plans.rag import RAG
from tests.conftest import FAST_HASHER

TODAY = dt.date(2026, 11, 23)
# The tests read one live demo, loaded and committed once for the module (about 2.5 s of CPU a load).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def live_demo(django_db_setup, django_db_blocker):
    """demo_load's result as of TODAY; the database is emptied after the module (post_migrate recreates the roles)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        try:
            yield demo_load(current=True, reset=True, today=TODAY)
        finally:
            call_command("flush", interactive=False, verbosity=0)


def test_current_moves_every_date_by_whole_years_so_the_plan_is_live(live_demo):
    today = TODAY
    years = years_to_make_live(load_seed(), today)
    result = live_demo
    first = Action.objects.get(plan=result.plan, ref="1")
    assert result.years_shifted == years == 8
    assert (first.target_date, first.target_text) == (dt.date(2026, 12, 31), "Dec 26")
    colours = {action.rag(today) for action in result.plan.actions.prefetch_related("milestones")}
    assert {RAG.GREEN, RAG.AMBER, RAG.RED, RAG.BLUE, RAG.GREY} <= colours


def test_the_live_demo_has_upcoming_milestones_on_actions_in_progress(live_demo):
    today = TODAY
    plan = live_demo.plan
    milestones = list(Milestone.objects.filter(action__plan=plan).select_related("action"))
    assert len(milestones) == 18 and len({m.action_id for m in milestones}) == 6
    assert all(m.action.status == "in_progress" and today < m.target_date < m.action.target_date for m in milestones)
    assert any(m.target_date <= today + dt.timedelta(days=60) for m in milestones)  # the dashboard lists some
