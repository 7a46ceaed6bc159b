"""The board's dashboard: every number is a link to the actions that make it, and queries stay flat."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from plans.models import Action, ActionUpdate, Milestone
from plans.rag import Status
from tests.factories import ActionFactory, AreaFactory, MilestoneFactory, PersonFactory, PlanFactory, UserFactory
from tests.plans.conftest import TODAY, at, days


def dashboard(client, plan, **params):
    return client.get(reverse("reports:dashboard", args=[plan.slug]), params)


def table_links(response, plan):
    """(link text, url) of every link on the page into the plan's action table."""
    table = reverse("reports:action_table", args=[plan.slug])
    html = response.content.decode()
    links = re.findall(r'<a href="(' + re.escape(table) + r'\?[^"]*)"[^>]*>(.*?)</a>', html, re.DOTALL)
    return [(unescape(url), re.sub(r"<[^>]+>|\s+", " ", text).strip()) for url, text in links]


def number_in(text):
    return int(re.search(r"\d+", text).group())


@pytest.mark.parametrize("as_of", [None, "past"])
def test_every_number_links_to_the_table_of_exactly_those_actions(client, board_member, timeline, as_of):
    plan, _actions = timeline
    client.force_login(board_member)
    params = {"as_of": days(-30).isoformat()} if as_of else {}
    links = table_links(dashboard(client, plan, **params), plan)
    assert len(links) >= 12
    for url, text in links:
        if not re.search(r"\d", text):
            continue
        listed = client.get(url)
        assert listed.status_code == 200
        assert listed.context["filter"].qs.count() == number_in(text), (url, text)


def test_the_board_sees_the_exceptions_with_their_reasons(client, board_member, timeline):
    plan, _actions = timeline
    client.force_login(board_member)
    page = dashboard(client, plan).content.decode()
    assert "Recruitment delayed" in page  # why A is at risk
    assert "Due in three weeks" in page and "Due in seven weeks" in page
    assert "Due in three months" not in page
    assert "Changed colour since" in page


def test_movement_since_a_chosen_date(client, board_member, timeline):
    plan, _actions = timeline
    client.force_login(board_member)
    summary = dashboard(client, plan, since=days(-8).isoformat()).context["summary"]
    assert summary.since == days(-8)
    assert {move.action.ref for move in summary.movement} == {"B", "C"}


def test_what_people_typed_is_escaped(client, board_member, timeline):
    plan, actions = timeline
    actions["A"].title = "<script>alert('title')</script>"
    actions["A"].save()
    actions["A"].updates.update(at_risk_reason='<img src=x onerror="alert(1)">')
    client.force_login(board_member)
    page = dashboard(client, plan).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page


def test_a_user_without_a_role_may_not_read_it(client, timeline):
    plan, _actions = timeline
    client.force_login(UserFactory(username="no-role"))
    assert dashboard(client, plan).status_code == 403


def big_plan(actions, areas=40, updates_per_action=3):
    """Each action with updates, a lead and a milestone, so that every relation the dashboard reads is counted."""
    plan = PlanFactory(slug=f"big-{actions}")
    area_rows = [AreaFactory(plan=plan, number=str(n + 1)) for n in range(areas)]
    Action.objects.bulk_create(
        Action(plan=plan, area=area_rows[n % areas], ref=str(n + 1), position=n, title=f"Action {n + 1}",
               target_date=days(n % 400 - 100), status=Status.IN_PROGRESS, at_risk=n % 7 == 0)
        for n in range(actions)
    )  # fmt: skip
    lead = PersonFactory(name="Lee Lead")
    pks = list(Action.objects.filter(plan=plan).values_list("pk", flat=True))
    Action.leads.through.objects.bulk_create(Action.leads.through(action_id=pk, person=lead) for pk in pks)
    Milestone.objects.bulk_create(
        Milestone(action_id=pk, title=f"Milestone of {pk}", target_date=days(pk % 90 - 30)) for pk in pks
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=action, created_at=at(days(-30 * month - action.pk % 30)), status=Status.IN_PROGRESS,
                     at_risk=month == 0 and action.pk % 7 == 0, rag="green", commentary=f"Month {month}")
        for action in Action.objects.filter(plan=plan)
        for month in range(updates_per_action)
    )  # fmt: skip
    return plan


@pytest.mark.parametrize("actions", [10, 2000])
@pytest.mark.parametrize("as_of", [TODAY, TODAY - dt.timedelta(days=45)])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, board_member, django_assert_max_num_queries, actions, as_of
):
    plan = big_plan(actions)
    client.force_login(board_member)
    # Three more than the RAG summary needs: the plan's dependencies, its risk register and the areas KPIs measure.
    # The areas are one query of their own (plans.summary.actions_read_on), not a copy joined to every action row.
    with django_assert_max_num_queries(16):
        response = dashboard(client, plan, as_of=as_of.isoformat())
    assert response.status_code == 200
    assert response.context["summary"].total == actions


def test_a_long_list_of_milestones_or_completed_actions_shows_fifteen_and_links_to_the_rest(client, board_member):
    plan = PlanFactory()
    area = AreaFactory(plan=plan)
    for n in range(20):
        action = ActionFactory(plan=plan, area=area, ref=str(n + 1), position=n, target_date=days(200))
        MilestoneFactory(action=action, title=f"Step {n + 1}", target_date=days(10))
    client.force_login(board_member)
    html = dashboard(client, plan).content.decode()
    section = html[html.index('id="milestones-due"') : html.index('id="completed"')]
    assert len(re.findall(r"\(action \d+\)", section)) == 15
    timeline = reverse("plans:timeline", args=[plan.slug])
    assert f'<a href="{timeline}">5 more in the next 30 days on the timeline</a>' in section


def test_lead_names_come_with_the_plan_read_at_once(client, board_member):
    plan = big_plan(12)
    client.force_login(board_member)
    response = dashboard(client, plan)
    readings = [reading for area in response.context["summary"].areas for reading in area.readings]
    assert {reading.action.lead_names for reading in readings} == {"Lee Lead"}
    assert "Lead: Lee Lead" in response.content.decode()


def test_the_portfolio_shows_each_active_plan_side_by_side_with_links(client, board_member):
    six_month = PlanFactory(title="Six-month summary plan", slug="six-month")
    twelve_week = PlanFactory(title="Twelve-week plan", slug="twelve-week")
    PlanFactory(title="Old plan", slug="old", status="closed")
    for plan in (six_month, twelve_week):
        area = AreaFactory(plan=plan)
        Action.objects.create(plan=plan, area=area, ref="1", title="Overdue", target_date=days(-10),
                              status=Status.IN_PROGRESS)  # fmt: skip
    client.force_login(board_member)
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert "<svg" in page and "Six-month summary plan" in page and "Twelve-week plan" in page
    assert "Old plan" not in page
    red = reverse("reports:action_table", args=["twelve-week"]) + "?rag=red"
    assert f'href="{red}"' in page
    assert client.get(red).context["filter"].qs.count() == 1


def test_the_kpi_tile_counts_the_plans_indicators_on_and_off_target(client, board_member, timeline):
    from tests.kpis.factories import IndicatorFactory, TargetFactory, ValueFactory

    plan, actions = timeline
    month = TODAY.replace(day=1)
    on_target = IndicatorFactory(name="Assessments in 45 days")
    off_target = IndicatorFactory(name="Visits in time")
    IndicatorFactory(name="Another plan's indicator")  # not linked to this plan: not counted
    on_target.areas.add(actions["A"].area)
    off_target.actions.add(actions["B"])
    for indicator, value in ((on_target, 90), (off_target, 40)):
        TargetFactory(indicator=indicator, value=80, amber_tolerance=5)
        ValueFactory(indicator=indicator, period=month, value=value)
    client.force_login(board_member)
    response = dashboard(client, plan)
    summary = response.context["kpi_summary"]
    assert (summary.indicators, summary.on_target, summary.off_target) == (2, 1, 1)
    assert "kpi-tile" in response.content.decode()


def test_a_plan_without_indicators_shows_no_kpi_tile(client, board_member, timeline):
    plan, _actions = timeline
    client.force_login(board_member)
    response = dashboard(client, plan)
    assert response.context["kpi_summary"] is None
    assert "kpi-tile" not in response.content.decode()


def test_movement_defaults_to_what_the_last_issued_board_pack_showed(client, board_member, timeline, admin_user):
    from reports.models import BoardPack, BoardPackEntry

    plan, actions = timeline
    # A record of an issued pack as the board saw it (rendering a real PDF is tested in tests/reports).
    pack = BoardPack.objects.create(plan=plan, as_of=days(-20), meeting_date=days(-18), status="issued",
                                    issued_by=admin_user, issued_at=at(days(-19)), pdf="packs/p.pdf",
                                    sha256="0" * 64)  # fmt: skip
    # The pack showed A already Amber and B Red; C and D it showed Green and Grey.
    for ref, rag in {"A": "amber", "B": "red", "C": "green", "D": "grey"}.items():
        BoardPackEntry.objects.create(pack=pack, kind="action", action=actions[ref], key=ref, rag=rag)
    client.force_login(board_member)
    response = dashboard(client, plan)
    summary = response.context["summary"]
    assert summary.since == days(-20)
    assert {move.action.ref: move.before.value for move in summary.movement} == {"C": "green"}
    # The "changed colour" number links to exactly the actions that moved against the pack.
    [(url, text)] = [(url, text) for url, text in table_links(response, plan) if "changed colour" in text]
    assert number_in(text) == 1
    assert [action.ref for action in client.get(url).context["filter"].qs] == ["C"]


def test_a_draft_pack_is_not_the_last_board(client, board_member, timeline):
    from reports.models import BoardPack

    plan, _actions = timeline
    BoardPack.objects.create(plan=plan, as_of=days(-5), meeting_date=days(-3))
    client.force_login(board_member)
    assert dashboard(client, plan).context["summary"].since == days(-30)


def test_the_dashboard_links_to_the_plans_board_packs(client, board_member, timeline):
    plan, _actions = timeline
    client.force_login(board_member)
    assert reverse("reports:pack_list", args=[plan.slug]) in dashboard(client, plan).content.decode()


def test_a_phone_reads_the_challenge_tables_as_cards(client, admin_user, timeline):
    plan, actions = timeline
    client.force_login(admin_user)
    html = dashboard(client, plan).content.decode()
    cards = re.findall(r'<ul class="action-cards phone-cards">(.*?)</ul>', html, re.DOTALL)
    overdue, at_risk = cards[0], cards[1]
    assert "action-card-red" in overdue and "5 days overdue" in overdue and "Update<span" in overdue
    assert "Recruitment delayed" in at_risk  # why it is at risk, as recorded
    assert html.count('class="action-cards area-cards phone-cards') == 1
