""" "For you": what is asked of the signed-in person, most urgent first, and its count in the navigation.

Manager: their actions' updates due, requests on actions they sponsor, their own requests, their areas' narratives.
Admin: every request waiting for a decision. Board member and viewer: nothing is asked; no page, no count.
"""

import pytest
from django.urls import reverse

from plans.models import Action, Plan
from plans.rag import Status
from plans.services import action_update, target_date_change_decide, target_date_change_request
from reports.context_processors import for_you
from reports.for_you import NAV_COUNT_QUERIES, asked_of
from reports.models import PeriodNarrative
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.reports.conftest import TODAY, at, days


@pytest.fixture
def story(manager, manager_sponsor, other_manager):
    """The manager's actions in every state, one request each way, and a plan of someone else."""
    plan = PlanFactory(slug="csc", title="CSC plan")
    front, workforce = AreaFactory(plan=plan, title="Front door"), AreaFactory(plan=plan, title="Workforce")
    mine = {"sponsors": [manager_sponsor], "plan": plan}
    actions = {
        "long overdue": ActionFactory(ref="1", area=front, target_date=days(-40), **mine),
        "just overdue": ActionFactory(ref="2", area=front, target_date=days(-2), **mine),
        "due in 10 days": ActionFactory(ref="3", area=front, target_date=days(10), **mine),
        "due in 3 days": ActionFactory(ref="4", area=front, target_date=days(3), **mine),
        "stale": ActionFactory(ref="5", area=front, target_date=days(200), **mine),
        "fresh": ActionFactory(ref="6", area=front, target_date=days(200), leads=[other_manager], **mine),
        "done": ActionFactory(ref="7", area=front, target_date=days(-5), **mine),
        "led": ActionFactory(ref="8", area=workforce, target_date=days(-1), plan=plan, leads=[manager]),
        "not theirs": ActionFactory(ref="9", area=workforce, target_date=days(-30), plan=plan),
    }
    action_update(action=actions["stale"], author=manager, status=Status.IN_PROGRESS, commentary="Old",
                  at=at(days(-45)))  # fmt: skip
    action_update(action=actions["fresh"], author=manager, status=Status.IN_PROGRESS, commentary="New")
    action_update(action=actions["done"], author=manager, status=Status.COMPLETED, commentary="Delivered")
    archived = PlanFactory(slug="old", status=Plan.Status.CLOSED)
    ActionFactory(plan=archived, area=AreaFactory(plan=archived), target_date=days(-90), sponsors=[manager_sponsor])

    # Its lead asks to move an action the manager sponsors: the manager decides it.
    asked_of_them = target_date_change_request(
        action=actions["fresh"], requested_by=other_manager, new_target_date=days(260), reason="Partners late"
    )
    # The manager asks to move their own: someone else decides it.
    theirs = target_date_change_request(
        action=actions["stale"], requested_by=manager, new_target_date=days(300), reason="Recruiting"
    )
    return plan, actions, asked_of_them, theirs


def refs(readings):
    return [reading.action.ref for reading in readings]


def test_it_lists_what_is_asked_of_a_manager_most_urgent_first(story, manager):
    plan, actions, asked_of_them, theirs = story
    asked = asked_of(manager, TODAY)
    assert refs(asked.overdue) == ["1", "2", "8"]  # most days overdue first; led or sponsored
    assert refs(asked.due_soon) == ["4", "3"]  # nearest first
    assert refs(asked.stale) == ["5"]  # no update for 45 days; "6" was updated today, "7" is done
    assert asked.to_decide == [asked_of_them]
    assert asked.my_requests == [theirs]
    assert [area.title for area in asked.narratives_due] == ["Front door", "Workforce"]
    assert asked.count == 3 + 2 + 1 + 1 + 2  # their own request waits on others: not counted


def test_a_written_narrative_and_a_decided_request_leave_the_list(story, manager, other_manager):
    plan, actions, asked_of_them, _theirs = story
    PeriodNarrative.objects.create(plan=plan, period=TODAY.replace(day=1), area=actions["led"].area,
                                   going_well="Recruited four", written_by=manager)  # fmt: skip
    target_date_change_decide(change=asked_of_them, decided_by=manager, approve=True)
    asked = asked_of(manager, TODAY)
    assert [area.title for area in asked.narratives_due] == ["Front door"]
    assert asked.to_decide == []


def test_an_admin_is_asked_to_decide_every_request(story, admin_user):
    _plan, _actions, asked_of_them, theirs = story
    asked = asked_of(admin_user, TODAY)
    assert asked.to_decide == [asked_of_them, theirs]
    assert (asked.updates_due, asked.narratives_due) == ([], [])


def test_the_page_shows_each_list_with_update_and_decide_buttons(client, story, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:for_you"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('id="overdue"') < html.index('id="to-decide"') < html.index('id="due-soon"')
    assert html.index('id="due-soon"') < html.index('id="stale"') < html.index('id="narratives"')
    assert html.index('id="narratives"') < html.index('id="my-requests"')
    assert html.count("Update<span") == 6  # each action listed, none of the rest
    assert html.count('value="approve"') == 1  # their own request has no buttons
    assert f'<span class="nav-count">{response.context["asked"].count}<' in html
    assert f"{reverse('reports:narratives', args=['csc'])}?month={TODAY:%Y-%m}" in html


def test_deciding_from_the_page_comes_back_to_it(client, story, manager):
    _plan, _actions, asked_of_them, _theirs = story
    client.force_login(manager)
    decide = reverse("plans:target_date_decide", args=["csc", asked_of_them.pk])
    response = client.post(decide, {"decision": "reject", "next": reverse("reports:for_you")})
    assert response.url == reverse("reports:for_you")


@pytest.mark.parametrize("role_user", ["board_member", "viewer"])
def test_nothing_is_asked_of_the_board_or_viewers(client, story, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("reports:for_you")).status_code == 403
    assert b"For you" not in client.get(reverse("plans:plan_list")).content


def test_a_manager_lands_on_it(client, story, manager):
    client.force_login(manager)
    assert client.get("/")["Location"] == reverse("reports:for_you")


@pytest.mark.parametrize("extra", [0, 40])
def test_the_count_in_the_nav_and_the_page_cost_a_fixed_number_of_queries(
    client, story, manager, manager_sponsor, django_assert_max_num_queries, extra
):
    plan, actions, _asked, _theirs = story
    for number in range(extra):
        ActionFactory(plan=plan, area=actions["long overdue"].area, ref=f"x{number}", target_date=days(-number - 1),
                      sponsors=[manager_sponsor])  # fmt: skip
    client.force_login(manager)
    # The scorecard with no indicators: the session, the user and their permissions (4), its own reads (2), and the
    # count (the person's actions with their milestones, updates and target changes, the decisions, the narratives).
    with django_assert_max_num_queries(6 + NAV_COUNT_QUERIES):
        response = client.get(reverse("kpis:scorecard"))
    assert f'<span class="nav-count">{3 + extra + 2 + 1 + 1 + 2}<' in response.content.decode()
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:for_you"))
    assert len(response.context["asked"].overdue) == 3 + extra


def test_the_count_is_read_only_when_a_page_shows_it(rf, story, manager, django_assert_num_queries):
    request = rf.get("/")
    request.user = manager
    with django_assert_num_queries(0):
        asked = for_you(request)["for_you"]
    with django_assert_num_queries(NAV_COUNT_QUERIES):
        assert asked.count == 9
    with django_assert_num_queries(0):
        assert asked.count == 9


def test_user_text_is_escaped(client, story, manager, other_manager):
    plan, actions, _asked, _theirs = story
    Action.objects.filter(pk=actions["long overdue"].pk).update(title="<script>alert(1)</script>")
    client.force_login(manager)
    html = client.get(reverse("reports:for_you")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
