"""One reading everywhere: the colours' words from plans.rag, a moved target said one way on pages and in exports,
aligned columns."""

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from plans.importing import plan_preview
from plans.importing.layout import HEADER, plan_workbook
from plans.models import TargetDateChange
from plans.rag import RAG, RAG_MEANINGS, Cadence
from plans.services import action_update
from plans.targets import target_words
from plans.templatetags.targets import target_shown
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


def _export_rows(client, export_format):
    response = client.get(reverse("reports:action_table", args=["one"]), {"_export": export_format})
    if export_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _plan_json(slug):
    out = io.StringIO()
    call_command("export_plan", slug, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_a_moved_target_reads_the_same_on_the_page_and_in_every_export(client, admin_user, moved):
    client.force_login(admin_user)
    page = text_of(client.get(reverse("reports:action_table", args=["one"])).text)
    assert MOVED in page
    for export_format in ("xlsx", "csv"):
        header, row = _export_rows(client, export_format)
        assert row[header.index("Target")] == MOVED, export_format
    [exported] = _plan_json("one")["areas"][0]["actions"]
    assert (exported["target_words"], exported["target_date"]) == (MOVED, "2031-01-31")
    assert (exported["original_target_date"], exported["times_target_moved"]) == ("2030-12-31", 1)
    # The plan's xlsx keeps the date the importer reads back in the cell, and says the move in the cell's note.
    exported = plan_workbook(moved.plan)
    sheet = openpyxl.load_workbook(io.BytesIO(exported))["Plan"]
    target = sheet.cell(row=2, column=HEADER.index("Target date") + 1)
    assert (target.value, target.comment.text) == ("2031-01-31", MOVED)
    preview, _changes = plan_preview(exported, name="export.xlsx", slug="one")  # the importer reads the date alone
    assert (preview.actions[0].target.text, preview.actions[0].target.date) == ("2031-01-31", dt.date(2031, 1, 31))


def test_the_exports_words_are_the_tags_words_without_the_markup(admin_user, moved):
    """One helper says a target: the page's tag marks up exactly the words the exports write."""
    samples = [
        moved,
        ActionFactory(target_date=dt.date(2031, 3, 31), target_text="Mar 31"),
        ActionFactory(target_date=None, target_text="TBC"),
        ActionFactory(target_date=None, target_text=""),
        ActionFactory(target_date=None, target_text="Quarterly", cadence=Cadence.QUARTERLY),
        ActionFactory(target_date=None, target_text="Every month", cadence=Cadence.MONTHLY),
    ]
    TargetDateChange.objects.create(
        action=moved, previous_target_date=dt.date(2031, 1, 31), new_target_date=dt.date(2031, 2, 28),
        reason="Again", requested_by=admin_user, decided_by=admin_user,
        decision=TargetDateChange.Decision.APPROVED, decided_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    moved.target_date = dt.date(2031, 2, 28)
    moved.save()
    moved.forget_loaded_history()
    words = [target_words(action) for action in samples]
    assert words == [
        "28 Feb 2031, moved from 31 Dec 2030 (2 times)",
        "31 Mar 2031 (Mar 31)",
        "TBC",
        "Timing to be confirmed",
        "Quarterly",
        "Monthly (Every month)",
    ]
    assert [text_of(target_shown(action)) for action in samples] == words


def test_an_exported_target_that_would_run_as_a_formula_is_neutralised(client, admin_user):
    ActionFactory(ref="1", area__plan__slug="one", target_date=None, target_text="=HYPERLINK(1)")
    client.force_login(admin_user)
    for export_format in ("xlsx", "csv"):
        header, row = _export_rows(client, export_format)
        assert row[header.index("Target")] == "'=HYPERLINK(1)", export_format


def test_the_json_gives_each_colour_code_with_its_words(admin_user, moved):
    action_update(action=moved, author=admin_user, status="in_progress", commentary="Late", reported_rag=RAG.RED)
    [exported] = _plan_json("one")["areas"][0]["actions"]
    assert (exported["rag"], exported["rag_words"]) == (moved.rag().value, moved.rag().words)
    assert (exported["reported_rag"], exported["reported_rag_words"]) == ("red", "Red – overdue")
    [update] = exported["updates"]
    assert (update["reported_rag"], update["reported_rag_words"]) == ("red", "Red – overdue")
    assert update["rag_words"] == RAG(update["rag"]).words


def test_the_action_page_says_a_moved_target_once(client, admin_user, moved):
    client.force_login(admin_user)
    page = text_of(client.get(moved.get_absolute_url()).text)
    assert page.count("moved from 31 Dec 2030") == 1
    assert "Original target" not in page
