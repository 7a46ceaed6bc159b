"""The colour a person reported is kept beside the rule's; where they differ the board is told."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.rag import RAG, Status
from plans.services import action_update
from plans.summary import plan_summary
from tests.factories import ActionFactory

TODAY = timezone.localdate()


@pytest.fixture
def overdue_reported_green(manager_sponsor, manager):
    action = ActionFactory(
        ref="4", title="Audit front door", area__plan__slug="csc", target_date=TODAY - dt.timedelta(days=10),
        sponsors=[manager_sponsor],
    )  # fmt: skip
    action_update(
        action=action, author=manager, status=Status.IN_PROGRESS, commentary="All fine", reported_rag=RAG.GREEN
    )
    return action


def test_the_update_form_keeps_the_colour_the_manager_reports(client, manager_sponsor, manager):
    action = ActionFactory(
        area__plan__slug="csc", target_date=TODAY + dt.timedelta(days=90), sponsors=[manager_sponsor]
    )
    client.force_login(manager)
    client.post(
        reverse("plans:action_update", args=["csc", action.ref]),
        {"status": Status.IN_PROGRESS, "commentary": "Going well", "reported_rag": "amber", "version": action.version},
    )
    update = action.updates.get()
    assert (update.rag, update.reported_rag) == (RAG.GREEN, RAG.AMBER)


def test_the_summary_lists_actions_whose_reported_colour_differs(overdue_reported_green):
    [reading] = plan_summary(overdue_reported_green.plan, as_of=TODAY).reported_differs
    assert (reading.action.ref, reading.reported_rag, reading.rag) == ("4", RAG.GREEN, RAG.RED)
    assert reading.reasons == (f"Past its target of {overdue_reported_green.target_date:%-d %b %Y}",)


def test_an_agreeing_report_is_not_a_challenge(manager_sponsor, manager):
    action = ActionFactory(
        area__plan__slug="csc", target_date=TODAY + dt.timedelta(days=90), sponsors=[manager_sponsor]
    )
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, reported_rag=RAG.GREEN)
    assert plan_summary(action.plan, as_of=TODAY).reported_differs == []


def test_the_dashboard_tile_counts_them_and_links_to_exactly_those(client, overdue_reported_green, board_member):
    ActionFactory(area=overdue_reported_green.area, target_date=TODAY - dt.timedelta(days=3))
    client.force_login(board_member)
    page = client.get(reverse("reports:dashboard", args=["csc"])).content.decode()
    assert "<strong>1</strong> reported differently from the dates" in page
    table = client.get(reverse("reports:action_table", args=["csc"]), {"attention": "reported_differs"})
    assert [row.record.ref for row in table.context["table"].rows] == ["4"]


def test_the_action_page_shows_both_colours(client, overdue_reported_green, board_member):
    client.force_login(board_member)
    page = client.get(overdue_reported_green.get_absolute_url()).content.decode()
    assert "Reported Green, the dates say Red." in page


def test_why_at_risk_is_the_reason_written_never_a_guess(client, manager_sponsor, manager, board_member):
    action = ActionFactory(
        area__plan__slug="csc", target_date=TODAY + dt.timedelta(days=90), sponsors=[manager_sponsor]
    )
    action_update(
        action=action, author=manager, status=Status.IN_PROGRESS, at_risk=True, at_risk_reason='Marked "Amber"',
        commentary="See plan",
    )  # fmt: skip
    client.force_login(board_member)
    page = client.get(reverse("reports:dashboard", args=["csc"])).content.decode()
    assert "Marked &quot;Amber&quot;" in page
    assert "A milestone is overdue" not in page
