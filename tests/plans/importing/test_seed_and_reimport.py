"""The seed plan typed into a spreadsheet imports exactly; importing again updates instead of duplicating."""

import datetime as dt
import io

import openpyxl
import pytest

from plans.importing import plan_import, plan_preview
from plans.importing.dates import parse_plan_date
from plans.importing.layout import plan_workbook, template_workbook
from plans.importing.messages import NEW_SPONSORS
from plans.models import Action, Area, PlanImport, Sponsor, TargetDateChange, Theme
from plans.rag import Status
from plans.services import action_update
from tests.factories import ActionFactory, AreaFactory
from tests.plans.importing.workbooks import seed_actions, seed_rows, xlsx


def run_import(data, slug="csc", **kwargs):
    preview, changes = plan_preview(data, name="plan.xlsx", slug=slug)
    record = plan_import(preview=preview, slug=slug, title="CSC improvement plan", **kwargs)
    return preview, record


@pytest.mark.django_db
def test_the_seed_plan_imports_to_its_85_actions_in_their_areas_with_their_dates():
    preview, record = run_import(xlsx(seed_rows()))
    assert (record.created_count, record.updated_count, record.unchanged_count) == (85, 0, 0)
    expected = seed_actions()
    imported = list(Action.objects.filter(plan=record.plan).select_related("area").order_by("position"))
    assert len(imported) == 85
    assert [action.ref for action in imported] == [str(number) for number in range(1, 86)]
    for action, (area_title, cells) in zip(imported, expected, strict=True):
        assert action.area.title == area_title, action.ref
        assert action.start_text == cells["start"], action.ref
        assert action.target_text == cells["target"], action.ref
        assert action.start_date == parse_plan_date(cells["start"], period_end=False).date, action.ref
        assert action.target_date == parse_plan_date(cells["target"]).date, action.ref
        assert action.sponsor_text == cells["sponsor"], action.ref
        assert action.status_text == cells["status"], action.ref
    # Early Help appears twice in the seed (actions 42-44 and 50-51): one area.
    assert Area.objects.filter(plan=record.plan).count() == 23
    assert Action.objects.get(plan=record.plan, ref="50").area.title == "Early Help"
    by_ref = {action.ref: action for action in imported}
    assert [item["letter"] for item in by_ref["47"].sub_items] == [chr(ord("a") + n) for n in range(22)]
    assert by_ref["47"].sub_items[-1] == {
        "letter": "v",
        "text": "Supervision/Management oversight routinely taking place",
    }
    assert len(by_ref["48"].sub_items) == 9 and by_ref["48"].title.startswith("Make step change")
    assert by_ref["26"].description.endswith(
        "the Academy/CPD unit. Developing practice skills & aiding staff retention."
    )
    assert [str(s) for s in by_ref["7"].sponsors.all()] == ["ADCSC", "EDCYP", "HFS"]
    assert Sponsor.objects.get(abbreviation="HFS").role == "Head of Financial Services"
    assert (by_ref["81"].status, by_ref["81"].at_risk) == (Status.IN_PROGRESS, True)
    assert (by_ref["82"].status, by_ref["82"].at_risk) == (Status.IN_PROGRESS, False)
    assert [str(problem) for problem in preview.warnings if problem.cell.startswith("C")] == [
        next(str(p) for p in preview.warnings if "Nov 19" in p.message)
    ]


@pytest.mark.django_db
def test_the_same_file_again_changes_nothing():
    data = xlsx(seed_rows())
    run_import(data)
    _, record = run_import(data)
    assert (record.created_count, record.updated_count, record.unchanged_count, record.removed_count) == (0, 0, 85, 0)
    assert Action.objects.count() == 85
    assert PlanImport.objects.count() == 2


@pytest.mark.django_db
def test_a_reimport_updates_what_changed_and_records_a_moved_target(admin_user):
    rows = [["Area", "Ref", "Action", "Target", "Status"], ["Leadership", "1", "Set up board", "Dec 18", "Amber"],
            [None, "2", "Appoint chair", "Jan 19", None], [None, "3", "Review terms", "Feb 19", None]]  # fmt: skip
    run_import(xlsx(rows))
    rows[1] = ["Leadership", "1", "Set up the board", "March 19", "Blue"]
    del rows[3]
    preview, changes = plan_preview(xlsx(rows), name="plan.xlsx", slug="csc")
    assert [(change.imported.ref, change.changed_names) for change in changes.updated] == [
        ("1", ["text", "target date", "status"])
    ]
    assert [action.ref for action in changes.removed] == ["3"]
    record = plan_import(preview=preview, slug="csc", user=admin_user)
    assert (record.created_count, record.updated_count, record.unchanged_count, record.removed_count) == (0, 1, 1, 0)
    first = Action.objects.get(ref="1")
    assert (first.title, first.target_date, first.status) == (
        "Set up the board",
        dt.date(2019, 3, 31),
        Status.COMPLETED,
    )
    moved = TargetDateChange.objects.get(action=first)
    assert (moved.previous_target_date, moved.new_target_date, moved.decided_by) == (
        dt.date(2018, 12, 31),
        dt.date(2019, 3, 31),
        admin_user,
    )
    # Reported, not removed, until asked.
    assert Action.objects.filter(ref="3").exists()
    _, record = run_import(xlsx(rows), remove_missing=True)
    assert record.removed_count == 1 and not Action.objects.filter(ref="3").exists()


@pytest.mark.django_db
def test_a_reimport_of_an_old_file_does_not_undo_updates_made_in_the_tracker():
    rows = [["Area", "Ref", "Action", "Target", "Status"], ["Leadership", "1", "Set up board", "Dec 18", "Amber"]]
    run_import(xlsx(rows))
    action_update(action=Action.objects.get(ref="1"), author=None, status=Status.COMPLETED, commentary="Board met")
    _, record = run_import(xlsx(rows))
    assert record.unchanged_count == 1
    assert Action.objects.get(ref="1").status == Status.COMPLETED


@pytest.mark.django_db
def test_actions_without_references_are_matched_again_by_area_and_title():
    rows = [["Workstream", "Action", "By when"], ["Assessment", "Refresh template", "June 2018"],
            [None, "Train staff", "Sept 18"]]  # fmt: skip
    run_import(xlsx(rows))
    rows.insert(2, [None, "Audit quality", "July 18"])
    rows[3][2] = "Oct 18"
    _, record = run_import(xlsx(rows))
    assert (record.created_count, record.updated_count, record.unchanged_count) == (1, 1, 1)
    assert Action.objects.get(title="Train staff").target_text == "Oct 18"
    assert Action.objects.count() == 3


@pytest.mark.django_db
def test_an_exported_plan_imports_back_unchanged():
    _, record = run_import(xlsx(seed_rows()))
    # Milestones, a theme and an area number take the other paths through the layout.
    action = Action.objects.get(ref="1")
    action.milestones.create(title="+1 meeting a month agreed", position=1, target_date=dt.date(2018, 10, 31),
                             target_text="Oct 18")  # fmt: skip
    action.milestones.create(title="First meeting", position=2, target_text="TBC")
    exported = plan_workbook(record.plan)
    preview, changes = plan_preview(exported, name="export.xlsx", slug="csc")
    assert (len(changes.created), len(changes.updated), len(changes.removed)) == (0, 0, 0)
    assert len(changes.unchanged) == 85


@pytest.mark.django_db
def test_an_export_of_a_plan_with_themes_numbers_and_in_tracker_changes_reads_back():
    area = AreaFactory(plan__slug="themed", title="Assessment", number="2")
    area.theme = Theme.objects.create(plan=area.plan, title="Practice")
    area.save()
    ActionFactory(area=area, plan=area.plan, ref="2.1", title="Refresh", description="Refresh",
                  target_date=dt.date(2019, 2, 28), target_text="Dec 18", status=Status.COMPLETED)  # fmt: skip
    preview, changes = plan_preview(plan_workbook(area.plan), name="export.xlsx", slug="themed")
    assert len(changes.unchanged) == 1
    imported = preview.actions[0]
    assert (imported.area, imported.theme, imported.target.date, imported.status.status) == (
        "Assessment",
        "Practice",
        dt.date(2019, 2, 28),
        Status.COMPLETED,
    )
    assert preview.areas["Assessment"].number == "2"


@pytest.mark.django_db
def test_an_exported_plan_keeps_its_areas_and_themes_outcomes_and_measures_on_reimport():
    area = AreaFactory(plan__slug="described", title="Assessment", number="2", outcome="=Timely assessments",
                       objectives="• Audit monthly\n• Train managers", measured_by="• 80% good or better")  # fmt: skip
    area.theme = Theme.objects.create(plan=area.plan, title="Practice", outcome="Good practice everywhere",
                                      measures_of_success="• Ofsted judges practice good")  # fmt: skip
    area.save()
    ActionFactory(area=area, plan=area.plan, ref="2.1", title="Refresh", target_date=dt.date(2019, 2, 28))
    exported = plan_workbook(area.plan)
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    assert workbook.sheetnames == ["Plan", "Areas", "Themes"]
    assert workbook["Areas"]["B2"].value == "'=Timely assessments"  # neutralised: it cannot run as a formula
    preview, _changes = plan_preview(exported, name="export.xlsx", slug="copy")
    plan_import(preview=preview, slug="copy", title="Copy")
    copied = Area.objects.select_related("theme").get(plan__slug="copy")
    # Read back as written: the importer takes the neutralising apostrophe off again.
    assert (copied.outcome, copied.objectives, copied.measured_by) == (
        "=Timely assessments",
        "• Audit monthly\n• Train managers",
        "• 80% good or better",
    )
    assert (copied.theme.outcome, copied.theme.measures_of_success) == (
        "Good practice everywhere",
        "• Ofsted judges practice good",
    )
    assert preview.row_counts["skipped"] == 0


@pytest.mark.django_db
def test_the_blank_template_reads_as_a_plan():
    preview, changes = plan_preview(template_workbook(), name="template.xlsx", slug="new")
    assert [action.ref for action in preview.actions] == ["1", "2"]
    assert [milestone.title for milestone in preview.actions[1].milestones] == ["Draft policy", "Train all supervisors"]
    assert preview.errors == []


@pytest.mark.django_db
def test_a_reference_given_later_wins_over_a_match_by_title():
    # First imported without references (numbered 1.1, 1.2); the next file numbers one row 1.1 itself
    # while the row matched by title comes first. Both cannot hold 1.1: the reference decides.
    rows = [["Area", "Ref", "Action", "Target"], ["Leadership", None, "Set up board", "Dec 18"],
            [None, None, "Appoint chair", "Jan 19"]]  # fmt: skip
    run_import(xlsx(rows))
    assert sorted(Action.objects.values_list("ref", "title")) == [("1.1", "Set up board"), ("1.2", "Appoint chair")]
    rows[2] = [None, "1.1", "Appoint an independent chair", "Jan 19"]
    _, record = run_import(xlsx(rows))
    assert (record.created_count, record.updated_count, record.unchanged_count) == (1, 1, 0)
    assert sorted(Action.objects.values_list("ref", "title")) == [
        ("1.1", "Appoint an independent chair"),
        ("1.2", "Appoint chair"),
        ("1.3", "Set up board"),
    ]
    # And the same file again changes nothing.
    _, record = run_import(xlsx(rows))
    assert (record.created_count, record.updated_count, record.unchanged_count) == (0, 0, 2)


@pytest.mark.django_db
def test_an_area_cell_starting_with_a_long_number_keeps_it_in_its_title():
    rows = [["Area", "Ref", "Action"], ["20180930123456789012345 Ofsted visit findings", "1", "Set up board"]]
    run_import(xlsx(rows))
    area = Area.objects.get()
    assert (area.number, area.title) == ("", "20180930123456789012345 Ofsted visit findings")


@pytest.mark.django_db
def test_a_sponsor_written_with_the_person_in_brackets_is_the_post_they_hold():
    Sponsor.objects.create(abbreviation="DCS", role="Director of Children's Services")
    rows = [
        ["Area", "Ref", "Action", "Sponsor"],
        ["Leadership", "1", "Set up board", "DCS (Jane Smith) / AD Safeguarding"],
        [None, "2", "Appoint chair", "ADCSC (Sam Jones)"],
        [None, "3", "Review terms", "ADCSC & DCS"],
    ]
    preview, record = run_import(xlsx(rows))
    assert [problem.message for problem in preview.warnings] == [
        NEW_SPONSORS.format(names="AD Safeguarding, ADCSC (Sam Jones)")
    ]
    # The person in brackets is the post's holder, a person of the tracker.
    assert sorted(Sponsor.objects.values_list("abbreviation", "role", "person__name")) == [
        ("", "AD Safeguarding", None),
        ("ADCSC", "", "Sam Jones"),
        ("DCS", "Director of Children's Services", None),
    ]
    by_ref = {action.ref: action for action in Action.objects.filter(plan=record.plan)}
    assert [str(sponsor) for sponsor in by_ref["1"].sponsors.all()] == ["AD Safeguarding", "DCS"]
    assert [str(sponsor) for sponsor in by_ref["3"].sponsors.all()] == ["ADCSC", "DCS"]
    _, record = run_import(xlsx(rows))
    assert (record.created_count, record.updated_count, record.unchanged_count) == (0, 0, 3)
    assert Sponsor.objects.count() == 3
