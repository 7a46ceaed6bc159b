"""One reading everywhere: the colours' words from plans.rag, a moved target said one way, aligned columns."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from plans.models import TargetDateChange
from plans.rag import RAG, RAG_MEANINGS
from plans.services import action_update
from tests.factories import ActionFactory, AreaFactory, PlanFactory

MOVED = "31 Jan 2031, moved from 31 Dec 2030"


@pytest.fixture
def moved(admin_user):
    """Action 7, whose target moved once from 31 Dec 2030 to 31 Jan 2031."""
    action = ActionFactory(ref="7", area__plan__slug="one", target_date=dt.date(2031, 1, 31), target_text="Dec 30")
    TargetDateChange.objects.create(
        action=action, previous_target_date=dt.date(2030, 12, 31), new_target_date=dt.date(2031, 1, 31),
        reason="Waiting for the new system", requested_by=admin_user, decided_by=admin_user,
        decision=TargetDateChange.Decision.APPROVED, decided_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    return action


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_every_colour_is_said_with_its_meaning_from_one_place():
    assert [rag.words for rag in RAG] == [f"{rag.label} – {RAG_MEANINGS[rag]}" for rag in RAG]
    assert RAG.RED.words == "Red – overdue" and RAG.AMBER.words == "Amber – at risk"


def test_a_moved_target_reads_the_same_on_the_plan_page_the_action_page_the_table_and_my_actions(
    client, admin_user, moved
):
    client.force_login(admin_user)
    pages = [
        reverse("plans:plan_detail", args=["one"]),
        moved.get_absolute_url(),
        reverse("reports:action_table", args=["one"]),
        reverse("reports:dashboard", args=["one"]) + "?as_of=2031-02-15",  # overdue by then: the overdue table
    ]
    for page in pages:
        assert MOVED in text_of(client.get(page).text), page
    # The date as written ("Dec 30") was the first target, not this one: not shown beside it.
    assert "(Dec 30)" not in text_of(client.get(pages[0]).text)


def test_a_board_pack_says_a_moved_target_the_same_way(client, admin_user, moved):
    from reports.content import pack_html
    from reports.models import BoardPack

    pack = BoardPack.objects.create(
        plan=moved.plan, as_of=dt.date(2031, 2, 15), meeting_date=dt.date(2031, 2, 20), created_by=admin_user
    )
    assert MOVED in text_of(pack_html(pack))


def test_the_plan_pages_area_tables_share_one_set_of_column_widths(client, viewer):
    plan = PlanFactory(slug="cols")
    for title in ("Front door", "Workforce"):
        ActionFactory(area=AreaFactory(plan=plan, title=title))
    client.force_login(viewer)
    html = client.get(plan.get_absolute_url()).text
    colgroups = re.findall(r"<colgroup>.*?</colgroup>", html)
    assert len(colgroups) == 2 and colgroups[0] == colgroups[1]
    assert html.count('class="actions plan-area"') == 2


def test_a_name_and_a_date_are_not_split_by_a_stray_space(admin_user):
    action = ActionFactory()
    admin_user.first_name, admin_user.last_name = "Morgan", "Manager"
    admin_user.save()
    update = action_update(action=action, author=admin_user, status="in_progress", commentary="Started")
    html = render_to_string("plans/partials/latest_update.html", {"update": update})
    assert f"Started – Morgan Manager, {timezone.localdate():%-d %b %Y}" in text_of(html)
