"""The read pages: what they show, that user text is escaped, and that queries stay flat."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.rag import Status
from plans.services import action_update
from reports.for_you import NAV_COUNT_QUERIES
from tests.factories import ActionFactory, AreaFactory, PlanFactory


def make_plan(actions, sponsor, slug="big-plan"):
    plan = PlanFactory(slug=slug)
    areas = [AreaFactory(plan=plan) for _ in range(5)]
    for number in range(actions):
        ActionFactory(
            plan=plan,
            area=areas[number % 5],
            ref=str(number + 1),
            sponsors=[sponsor],
            target_date=dt.date(2020, 1, 1) + dt.timedelta(days=7 * number),
        )
    return plan


@pytest.mark.parametrize("actions", [10, 500])
def test_list_pages_run_a_fixed_number_of_queries(
    client, manager, manager_sponsor, django_assert_max_num_queries, actions
):
    # One plan of each size serves the four pages: 500 actions take seconds to make and the pages only read them.
    plan = make_plan(actions, manager_sponsor)
    client.force_login(manager)
    for page in ["plans:plan_detail", "reports:dashboard", "plans:my_actions", "plans:plan_list"]:
        args = [] if page in ("plans:my_actions", "plans:plan_list") else [plan.slug]
        # The dashboard also reads the plan's KPIs, its last issued board pack, its dependencies, its risks and the
        # areas that KPIs measure; a plan page its areas' summary, their KPIs (two), moved targets and its last
        # sign-off; every list its actions' leads; the manager's navigation counts what is asked of them ("For
        # you"). Flat whatever the number of actions. The dashboard reads the plan's areas once
        # (plans.summary.actions_read_on) rather than joined to every action.
        ceiling = {"reports:dashboard": 17, "plans:plan_detail": 16}.get(page, 11) + NAV_COUNT_QUERIES
        with django_assert_max_num_queries(ceiling, info=page):
            response = client.get(reverse(page, args=args))
        assert response.status_code == 200, page


def test_the_dashboard_as_of_a_past_date_runs_a_fixed_number_of_queries(
    client, board_member, manager_sponsor, django_assert_max_num_queries
):
    plan = make_plan(100, manager_sponsor)
    client.force_login(board_member)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:dashboard", args=[plan.slug]), {"as_of": "2021-01-01"})
    assert response.status_code == 200


def test_the_dashboard_counts_every_colour_overall_and_by_area(client, board_member, manager_sponsor, manager):
    plan = make_plan(0, manager_sponsor, slug="counted")
    area = AreaFactory(plan=plan, title="Workforce")
    future = timezone.localdate() + dt.timedelta(days=90)
    done = ActionFactory(plan=plan, area=area, target_date=future, sponsors=[manager_sponsor])
    action_update(action=done, author=manager, status=Status.COMPLETED, commentary="Done")
    ActionFactory(plan=plan, area=area, target_date=dt.date(2020, 1, 31))
    ActionFactory(plan=plan, area=area, target_date=None)
    client.force_login(board_member)
    response = client.get(reverse("reports:dashboard", args=[plan.slug]))
    workforce = next(row for row in response.context["summary"].areas if row.area == area)
    assert {rag.value: n for rag, n in workforce.counts.items()} == {
        "red": 1,
        "amber": 0,
        "green": 0,
        "grey": 1,
        "blue": 1,
    }
    assert response.context["summary"].total == 3


def test_the_dashboard_as_of_an_earlier_date_shows_the_colours_then(client, board_member, manager_sponsor, manager):
    plan = make_plan(0, manager_sponsor, slug="then")
    action = ActionFactory(
        plan=plan, area=AreaFactory(plan=plan), target_date=dt.date(2020, 6, 30), sponsors=[manager_sponsor]
    )
    action_update(
        action=action,
        author=manager,
        status=Status.IN_PROGRESS,
        commentary="On it",
        at=dt.datetime(2020, 2, 1, 9, tzinfo=dt.UTC),
    )
    client.force_login(board_member)
    then = client.get(reverse("reports:dashboard", args=[plan.slug]), {"as_of": "2020-03-01"})
    now = client.get(reverse("reports:dashboard", args=[plan.slug]))
    assert [n for rag, n in then.context["summary"].counts.items() if rag.value == "green"] == [1]
    assert [n for rag, n in now.context["summary"].counts.items() if rag.value == "red"] == [1]


def test_my_actions_lists_the_most_urgent_first(client, manager, manager_sponsor):
    later = ActionFactory(ref="1", target_date=timezone.localdate() + dt.timedelta(days=60), sponsors=[manager_sponsor])
    action_update(action=later, author=manager, status=Status.IN_PROGRESS, commentary="ok")
    overdue = ActionFactory(ref="2", target_date=dt.date(2020, 1, 31), sponsors=[manager_sponsor])
    ActionFactory(ref="3", target_date=timezone.localdate() + dt.timedelta(days=60))  # not theirs
    client.force_login(manager)
    response = client.get(reverse("plans:my_actions"))
    assert [reading.action.ref for reading in response.context["readings"]] == [overdue.ref, later.ref]
    assert b"days overdue" in response.content
    # A phone shows the same rows as cards, each with its Update button.
    cards = response.content.decode().split('class="action-card ')[1:]
    assert len(cards) == 2
    assert "days overdue" in cards[0] and "Update<span" in cards[0]


def test_text_people_typed_is_escaped(client, board_member, manager_sponsor, manager):
    script = '<script>alert("x")</script>'
    action = ActionFactory(
        title=script, description=script, sponsors=[manager_sponsor], area__title=script, area__plan__slug="escaped"
    )
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, commentary=script)
    client.force_login(board_member)
    for url in [
        action.get_absolute_url(),
        reverse("plans:plan_detail", args=["escaped"]),
        reverse("reports:dashboard", args=["escaped"]),
    ]:
        content = client.get(url).content.decode()
        assert script not in content, url
        assert "&lt;script&gt;" in content, url


def test_the_action_page_shows_the_date_as_written_beside_the_date_understood(client, board_member):
    action = ActionFactory(target_date=dt.date(2018, 12, 31), target_text="Dec 18", area__plan__slug="written")
    client.force_login(board_member)
    content = client.get(action.get_absolute_url()).content.decode()
    assert "31 Dec 2018" in content
    assert "(Dec 18)" in content


def test_an_update_with_no_author_reads_as_imported(client, board_member):
    action = ActionFactory(area__plan__slug="imported")
    action_update(action=action, author=None, status=Status.IN_PROGRESS, commentary="From the spreadsheet")
    client.force_login(board_member)
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    assert "Imported" in response.content.decode()


def test_an_action_loaded_before_history_was_kept_still_shows(client, board_member):
    action = ActionFactory(area__plan__slug="old")
    action.history.all().delete()
    client.force_login(board_member)
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    assert response.context["change_log"] == []
