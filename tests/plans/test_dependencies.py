"""Dependencies: one plan, no loops; an action whose prerequisite is late is flagged on its page, in the
dashboard's challenge and by the action table's filter."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plans.models import Dependency
from plans.rag import Status
from plans.reading import Attention, read_action, read_actions, with_late_prerequisites
from plans.risks import services
from plans.summary import plan_summary
from tests.factories import ActionFactory
from tests.plans.conftest import TODAY, days


def test_an_action_cannot_depend_on_itself_another_plan_or_round_a_loop(timeline):
    plan, actions = timeline
    a, b, c = actions["A"], actions["B"], actions["C"]
    services.action_prerequisite_add(action=a, prerequisite=b)
    services.action_prerequisite_add(action=b, prerequisite=c)

    with pytest.raises(ValidationError, match="cannot depend on itself"):
        services.action_prerequisite_add(action=a, prerequisite=a)
    with pytest.raises(ValidationError, match="another plan"):
        services.action_prerequisite_add(action=a, prerequisite=ActionFactory(ref="X"))
    with pytest.raises(ValidationError, match="A already depends on C|loop"):
        services.action_prerequisite_add(action=c, prerequisite=a)  # C <- B <- A <- C

    services.action_prerequisite_add(action=a, prerequisite=b)  # again: nothing new
    assert Dependency.objects.count() == 2
    assert services.action_prerequisite_remove(action=a, prerequisite=b)
    assert Dependency.objects.count() == 1


@pytest.mark.parametrize(
    ("prerequisite_ref", "late"),
    [
        ("B", "B is overdue by 5 days"),  # Red: past its target
        ("C", ""),  # completed
        ("D", ""),  # no target: not late by dates
    ],
)
def test_a_prerequisite_is_late_when_it_is_overdue(timeline, prerequisite_ref, late):
    plan, actions = timeline
    services.action_prerequisite_add(action=actions["A"], prerequisite=actions[prerequisite_ref])

    [reading] = with_late_prerequisites([read_action(actions["A"], TODAY)], TODAY)

    assert [p.why for p in reading.late_prerequisites] == ([late] if late else [])
    assert (Attention.PREREQUISITE_LATE in reading.attention) == bool(late)


def test_a_prerequisite_due_after_the_dependents_target_is_late_too(timeline):
    plan, actions = timeline
    later = ActionFactory(plan=plan, area=actions["A"].area, ref="E", target_date=days(200), status=Status.IN_PROGRESS)
    services.action_prerequisite_add(action=actions["A"], prerequisite=later)

    [reading] = read_actions([actions["A"]], TODAY)

    assert reading.late_prerequisites[0].why.startswith("E is due ")
    assert "after this action's target" in reading.late_prerequisites[0].why


def test_done_work_waits_for_nothing(timeline):
    plan, actions = timeline
    services.action_prerequisite_add(action=actions["C"], prerequisite=actions["B"])
    [reading] = read_actions([actions["C"]], TODAY)
    assert reading.late_prerequisites == ()


def test_the_dashboard_and_the_action_table_count_actions_waiting_on_a_late_prerequisite(
    client, board_member, timeline
):
    plan, actions = timeline
    services.action_prerequisite_add(action=actions["A"], prerequisite=actions["B"])
    services.action_prerequisite_add(action=actions["D"], prerequisite=actions["B"])

    summary = plan_summary(plan, as_of=timezone.localdate())
    assert sorted(reading.action.ref for reading in summary.prerequisite_late) == ["A", "D"]

    client.force_login(board_member)
    dashboard = client.get(reverse("reports:dashboard", args=[plan.slug])).content.decode()
    table_url = reverse("reports:action_table", args=[plan.slug])
    assert (
        f'href="{table_url}?attention=prerequisite_late"><strong>2</strong> waiting on a late prerequisite' in dashboard
    )
    listed = client.get(table_url, {"attention": "prerequisite_late"}).context["filter"].qs
    assert sorted(action.ref for action in listed) == ["A", "D"]


def test_the_action_page_flags_a_late_prerequisite_and_lists_dependencies(client, viewer, timeline):
    plan, actions = timeline
    services.action_prerequisite_add(action=actions["A"], prerequisite=actions["B"])
    client.force_login(viewer)

    waiting = client.get(actions["A"].get_absolute_url()).content.decode()
    needed = client.get(actions["B"].get_absolute_url()).content.decode()

    assert "Waiting on a late prerequisite:" in waiting and "B is overdue by 5 days" in waiting
    assert "Depends on:" in waiting
    assert "Needed by:" in needed and "Waiting on a late prerequisite" not in needed
