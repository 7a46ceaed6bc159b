"""Lists summarise or paginate: a plan of any size costs the same queries and about the same HTML (probe 10).

The timings with 100,000 actions are measured by bench/scale.py, not here.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Action, Area, Milestone
from plans.models.action import current_rag_expression
from plans.rag import Cadence, Status, count_by_rag
from plans.views import PLAN_PAGE_SIZE
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CADENCES = ["", "", "", Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.ONGOING]


def big_plan(actions, *, slug="big"):
    """A plan of `actions` actions in 4 areas, every colour among them, written in bulk."""
    plan = PlanFactory(slug=slug)
    areas = Area.objects.bulk_create(Area(plan=plan, title=f"Area {n}", position=n) for n in range(4))
    Action.objects.bulk_create(
        Action(plan=plan, area=areas[n % 4], ref=str(n + 1), position=n, title=f"Action {n + 1}",
               target_date=None if n % 11 == 0 else TODAY + dt.timedelta(days=n % 90 - 30),
               start_date=TODAY + dt.timedelta(days=10) if n % 13 == 0 else None,
               status=[Status.IN_PROGRESS, Status.COMPLETED, Status.NOT_STARTED][n % 3], at_risk=n % 7 == 0,
               at_risk_reason="Staff" if n % 7 == 0 else "", cadence=CADENCES[n % 6],
               last_updated_at=None if n % 19 == 0 else timezone.now() - dt.timedelta(days=n % 120))
        for n in range(actions)
    )  # fmt: skip
    Milestone.objects.bulk_create(
        Milestone(action=action, title="Step", position=0, target_date=TODAY - dt.timedelta(days=3))
        for action in Action.objects.filter(plan=plan)[: actions // 5]
    )
    return plan


def test_the_counts_are_the_rules_own_for_every_action():
    # The database counts with plans.models.action.current_rag_expression: its colour must be rag_for's.
    plan = big_plan(300)
    actions = Action.objects.filter(plan=plan)
    colours = dict(actions.annotate(colour=current_rag_expression(TODAY)).values_list("pk", "colour"))
    assert {action.pk: action.rag(TODAY).value for action in actions.with_rag_data()} == colours
    by_area = actions.rag_counts(by="area_id")
    for area in plan.areas.all():
        assert by_area[area.pk] == count_by_rag(actions.filter(area=area).with_rag_data(), TODAY)
    assert actions.rag_counts(by="plan_id")[plan.pk] == count_by_rag(actions.with_rag_data(), TODAY)


@pytest.mark.parametrize("actions", [PLAN_PAGE_SIZE + 20, 6 * PLAN_PAGE_SIZE])
def test_a_plan_page_lists_one_page_and_counts_them_all(client, viewer, django_assert_max_num_queries, actions):
    plan = big_plan(actions)
    client.force_login(viewer)
    # 16 at both sizes: the page's own 11, the areas' and themes' KPIs (two), moved targets, the plan's life and its
    # last sign-off.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("plans:plan_detail", args=[plan.slug]))
    html = response.text
    assert response.status_code == 200
    assert html.count("<tr>\n        <td>") == PLAN_PAGE_SIZE  # one row per action on the page
    assert f"Actions 1 to {PLAN_PAGE_SIZE} of {actions}, in the plan’s order." in html
    assert len(html.encode()) < 200_000  # whatever the plan's size: a page of actions and one row per area
    last = client.get(reverse("plans:plan_detail", args=[plan.slug]), {"page": 9999})  # past the end: the last page
    assert f"Action {actions}</a>" in last.text


def test_the_list_of_plans_counts_without_loading_actions(client, viewer, django_assert_max_num_queries):
    for slug in ("one", "two"):
        big_plan(400, slug=slug)
    client.force_login(viewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 200
    assert response.text.count("Dashboard</a>") == 2
