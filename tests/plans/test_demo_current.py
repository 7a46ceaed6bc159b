"""load_demo --current on an empty database: the seed plan moved by whole years so that it is live today."""

import datetime as dt

from plans.demo import demo_load, load_seed, years_to_make_live
from plans.models import Action, Milestone
from plans.rag import RAG


def test_current_moves_every_date_by_whole_years_so_the_plan_is_live(db):
    today = dt.date(2026, 11, 23)
    years = years_to_make_live(load_seed(), today)
    result = demo_load(current=True, reset=True, today=today)
    first = Action.objects.get(plan=result.plan, ref="1")
    assert result.years_shifted == years == 8
    assert (first.target_date, first.target_text) == (dt.date(2026, 12, 31), "Dec 26")
    colours = {action.rag(today) for action in result.plan.actions.prefetch_related("milestones")}
    assert {RAG.GREEN, RAG.AMBER, RAG.RED, RAG.BLUE, RAG.GREY} <= colours


def test_the_live_demo_has_upcoming_milestones_on_actions_in_progress(db):
    today = dt.date(2026, 11, 23)
    plan = demo_load(current=True, reset=True, today=today).plan
    milestones = list(Milestone.objects.filter(action__plan=plan).select_related("action"))
    assert len(milestones) == 18 and len({m.action_id for m in milestones}) == 6
    assert all(m.action.status == "in_progress" and today < m.target_date < m.action.target_date for m in milestones)
    assert any(m.target_date <= today + dt.timedelta(days=60) for m in milestones)  # the dashboard lists some
