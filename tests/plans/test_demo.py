"""load_demo: the seed plan with its dates understood, demo users, idempotent."""

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from plans.models import Action, ActionUpdate, Area, Plan, Sponsor
from plans.rag import RAG

SLUG = "csc-improvement-plan"


# The tests read one demo, loaded and committed once for the module (tests/conftest.py: demo_loaded_once).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_loaded_once):
    return demo_loaded_once


def test_it_loads_all_85_actions_in_the_seed_areas(demo):
    plan = Plan.objects.get(slug=SLUG)
    # The seed's 85, and the demo board's action arising made an action of the plan (boards.demo).
    assert plan.actions.count() == 86
    assert plan.actions.get(ref="86").arising_from.meeting.board.name == "Improvement Board"
    assert list(plan.areas.values_list("title", flat=True)[:3]) == [
        "Leadership & Culture",
        "Budget & Resources",
        "Infrastructure",
    ]
    assert Area.objects.get(plan=plan, title="Early Help").actions.count() == 5
    assert sorted(int(ref) for ref in plan.actions.values_list("ref", flat=True)) == list(range(1, 87))


def test_it_understands_the_seed_dates_and_keeps_them_as_written(demo):
    first = Action.objects.get(plan__slug=SLUG, ref="1")
    assert (first.start_date, first.target_date, first.target_text) == (None, dt.date(2018, 12, 31), "Dec 18")
    eighty_two = Action.objects.get(plan__slug=SLUG, ref="82")
    assert eighty_two.start_date == dt.date(2018, 6, 1)
    assert eighty_two.start_text == "June18"
    assert eighty_two.target_date == dt.date(2018, 11, 30)
    assert eighty_two.status_text == "Green"
    latest = eighty_two.latest_update()
    assert latest.rag == RAG.GREEN
    assert eighty_two.rag(latest.created_at.date()) == RAG.GREEN


def test_it_keeps_the_statuses_as_given(demo):
    actions = {a.ref: a for a in Action.objects.filter(plan__slug=SLUG, ref__in=["42", "81", "82"])}
    assert actions["81"].status_text == "Yellow"
    assert actions["81"].at_risk
    assert actions["81"].rag(dt.date(2019, 1, 1)) == RAG.AMBER
    assert actions["42"].status_text == "Timing tbc"
    assert actions["42"].rag(dt.date(2018, 10, 1)) == RAG.GREY


def test_it_reports_a_start_after_its_target_for_a_human_with_what_to_check_and_where(demo):
    action = Action.objects.get(plan__slug=SLUG, ref="57")
    line = next(line for line in demo.splitlines() if line.startswith("Needs a human look: Action 57"))
    assert 'Action 57: starts "Nov 19", after its target "Jan 19". One of the two dates is wrong in the plan' in line
    assert f"/admin/plans/action/{action.pk}/change/" in line
    assert f"/plans/{SLUG}/actions/57/" in line


def test_sponsors_come_from_the_legend_and_the_cells(demo):
    assert Sponsor.objects.get(abbreviation="ADCSC").role == "Assistant Director CSC"
    seven = Action.objects.get(plan__slug=SLUG, ref="7")
    assert sorted(str(s) for s in seven.sponsors.all()) == ["ADCSC", "EDCYP", "HFS"]
    assert Sponsor.objects.matching("head of children with complex needs").count() == 1


def test_lettered_items_become_sub_items(demo):
    forty_seven = Action.objects.get(plan__slug=SLUG, ref="47")
    letters = [item["letter"] for item in forty_seven.sub_items]
    assert letters == [chr(c) for c in range(ord("a"), ord("v") + 1)]


def test_demo_users_sign_in_with_the_demo_password_and_the_manager_sponsors_adcsc(demo):
    for username in ["admin", "manager", "board", "viewer"]:
        assert authenticate(username=username, password="demo") is not None
    manager_actions = Action.objects.led_or_sponsored_by(Sponsor.objects.get(abbreviation="ADCSC").person.user)
    assert manager_actions.count() > 40


def test_it_records_some_history_so_dashboards_are_not_empty(demo):
    assert ActionUpdate.objects.filter(action__plan__slug=SLUG).count() > 20


def test_running_it_again_changes_nothing(demo):
    before = (Action.objects.count(), ActionUpdate.objects.count(), Sponsor.objects.count(), Plan.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (
        Action.objects.count(),
        ActionUpdate.objects.count(),
        Sponsor.objects.count(),
        Plan.objects.count(),
    ) == before


def test_it_loads_a_few_risks_and_dependencies_with_their_history(demo):
    from plans.models import Dependency, Risk

    plan = Plan.objects.get(slug=SLUG)
    risks = {risk.ref: risk for risk in Risk.objects.filter(plan=plan)}
    assert sorted(risks) == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert [a.score for a in risks["R1"].assessments.all()] == [20, 25]  # reassessed after it was added
    assert sorted(risks["R1"].mitigations.values_list("ref", flat=True)) == ["20", "21", "22", "25"]
    assert risks["R6"].status == "closed"
    links = set(Dependency.objects.filter(action__plan=plan).values_list("action__ref", "prerequisite__ref"))
    assert ("32", "30") in links and ("12", "14") in links and len(links) == 11


def test_every_demo_action_has_a_lead_and_partners_co_lead(demo):
    actions = Action.objects.filter(plan__slug=SLUG)
    assert not actions.filter(leads=None).exists()
    mash = actions.filter(area__title="MASH").first()
    assert "Metropolitan Police" in [person.organisation for person in mash.leads.all()]
    assert Action.objects.filter(leads__user__username="manager").exists()
