"""The layouts councils use to say what an area or theme is for and how success is measured, as real xlsx
files: each row becomes an action, part of one, a heading, a field of its area or theme, or is skipped with
its reason, and the counts add up to the rows of the file."""

import pytest

from plans.importing import plan_import, plan_preview
from plans.importing.messages import DEFAULT_AREA
from plans.importing.preview import HEADING, IMPORTED, MERGED, PART_OF_ACTION, SKIPPED
from plans.models import Action, Area, Plan, Theme
from plans.rag import RAG
from tests.plans.importing.workbooks import xlsx


def preview_of(rows, **kwargs):
    preview, _ = plan_preview(xlsx(rows, **kwargs), name="plan.xlsx", slug="plan")
    return preview


def imported(rows, **kwargs):
    preview = preview_of(rows, **kwargs)
    plan_import(preview=preview, slug="plan", title="Plan")
    return preview, Plan.objects.get(slug="plan")


def rows_with_content(*sheets):
    return sum(1 for rows in sheets for row in rows if any(cell not in (None, "") for cell in row))


def assert_every_row_accounted_for(preview, *sheets):
    counts = preview.row_counts
    assert sum(counts.values()) == preview.rows_accounted == rows_with_content(*sheets)


def fates(preview):
    return {fate.row: (fate.kind, fate.note) for fate in preview.sorted_fates if fate.sheet == preview.sheet}


HEADER = ["Ref", "Action", "Progress milestones", "Target date", "Delivery lead", "RAG"]


@pytest.mark.django_db
def test_a_section_heading_above_the_first_header_names_the_first_area():
    rows = [
        ["Children's Social Care Improvement Plan 2018-19"],
        [],
        ["Area for improvement 1: Quality and consistency of assessments"],
        HEADER,
        ["1.1", "Audit 40 assessments a month", "▪ Audit tool agreed\n▪ First audit", "Jan 2019\nMarch 2019",
         "Head of Quality", "G"],
        ["1.2", "Train managers in analysis", None, "Feb 2019", "Principal Social Worker", "A"],
        ["Area for improvement 2: Management oversight"],
        ["2.1", "Supervision every four weeks", None, "Dec 18", "Group Manager", "R"],
    ]  # fmt: skip
    preview, plan = imported(rows)
    assert [(area.number, area.title) for area in Area.objects.filter(plan=plan)] == [
        ("1", "Quality and consistency of assessments"),
        ("2", "Management oversight"),
    ]
    assert DEFAULT_AREA not in preview.areas
    assert {a.ref: a.area.title for a in Action.objects.filter(plan=plan).select_related("area")} == {
        "1.1": "Quality and consistency of assessments",
        "1.2": "Quality and consistency of assessments",
        "2.1": "Management oversight",
    }
    assert fates(preview)[1] == (HEADING, "above the table: a title, legend or note")
    assert fates(preview)[3] == (HEADING, 'area "Quality and consistency of assessments", above the header')
    assert fates(preview)[5] == (IMPORTED, "action 1.1")
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_key_area_titles_over_each_blocks_header_are_themes_with_their_measures_of_success():
    block_header = ["Workstream", "Action", "By when", "Lead", "RAG"]
    rows = [
        ["Leadership and Governance"],
        block_header,
        ["Governance", "Establish an improvement board with an independent chair", "Oct 18", "DCS", "B"],
        [None, "Agree the board's terms of reference", "Nov 18", "DCS", "G"],
        ["Leadership and Governance - Measures of success"],
        ["• The board meets monthly with full attendance"],
        ["• The staff survey shows leaders are visible"],
        [],
        ["Practice Improvement"],
        block_header,
        ["Assessment", "Refresh the assessment template", "June 2018", "J Smith", "A"],
        ["Child protection", "Review conference thresholds", "Dec 18", "A Jones", "Y"],
        ["Practice Improvement - Measures of success"],
        ["• 80% of audited work judged good or better by March 2019"],
    ]
    preview, plan = imported(rows)
    themes = list(Theme.objects.filter(plan=plan))
    assert [(theme.title, theme.measures_of_success) for theme in themes] == [
        (
            "Leadership and Governance",
            "• The board meets monthly with full attendance\n• The staff survey shows leaders are visible",
        ),
        ("Practice Improvement", "• 80% of audited work judged good or better by March 2019"),
    ]
    areas = Area.objects.filter(plan=plan).select_related("theme")
    assert [(area.theme.title, area.title) for area in areas] == [
        ("Leadership and Governance", "Governance"),
        ("Practice Improvement", "Assessment"),
        ("Practice Improvement", "Child protection"),
    ]
    assert Action.objects.filter(plan=plan).count() == 4
    assert fates(preview)[1] == (HEADING, 'theme "Leadership and Governance", over the header')
    assert fates(preview)[6] == (MERGED, 'theme "Leadership and Governance": measures of success')
    assert fates(preview)[9] == (HEADING, 'theme "Practice Improvement", over the header repeated')
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_block_titles_without_an_area_column_are_the_areas():
    rows = [
        ["Early Help"],
        ["Ref", "Action", "Target date", "Lead", "Status"],
        ["1", "Publish the early help strategy", "Dec 18", "Head of Early Help", "On track"],
        ["Front door"],
        ["Ref", "Action", "Target date", "Lead", "Status"],
        ["2", "Co-locate police in the MASH", "Jan 19", "MASH manager", "Completed"],
    ]
    preview, plan = imported(rows)
    assert [area.title for area in Area.objects.filter(plan=plan)] == ["Early Help", "Front door"]
    assert {a.ref: a.area.title for a in Action.objects.filter(plan=plan).select_related("area")} == {
        "1": "Early Help",
        "2": "Front door",
    }
    assert not [problem for problem in preview.problems if "one area" in problem.message]
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_objectives_outcomes_and_measures_one_bullet_per_row_are_the_areas_fields_not_actions():
    rows = [
        HEADER,
        ["Area for improvement 1: Leadership"],
        ["Objectives"],
        ["• Leaders know their services well"],
        ["• Managers drive high standards"],
        ["Outcome:"],
        ["Children receive a consistently good service"],
        ["Measured by"],
        ["• Monthly performance reports to the board"],
        ["• Audit grades"],
        ["1.1", "Establish a routine schedule of strategic management meetings", None, "Dec 18", "ADCSC", "Green"],
        ["Work stream 2: Performance improvement in Triage and MASH"],
        ["Outcomes of the project"],
        ["• Improved and consistent decision-making by the Triage and MASH teams"],
        ["Measurement of initial progress (6 months)"],
        ["• Caseloads in line with the London standard"],
        ["Measurements of progress (12 months)"],
        ["• All assessments completed in timescales"],
        ["2.1", "Embed consistent thresholds in Triage and MASH", None, "March 2015", "Head of MASH", "Amber"],
    ]
    preview, plan = imported(rows)
    leadership, triage = Area.objects.filter(plan=plan)
    assert leadership.objectives == "• Leaders know their services well\n• Managers drive high standards"
    assert leadership.outcome == "Children receive a consistently good service"
    assert leadership.measured_by == "• Monthly performance reports to the board\n• Audit grades"
    assert triage.title == "Performance improvement in Triage and MASH"
    assert triage.outcome == "• Improved and consistent decision-making by the Triage and MASH teams"
    assert triage.measured_by == (
        "Measurement of initial progress (6 months)\n• Caseloads in line with the London standard\n"
        "Measurements of progress (12 months)\n• All assessments completed in timescales"
    )
    assert sorted(Action.objects.filter(plan=plan).values_list("ref", flat=True)) == ["1.1", "2.1"]
    counts = preview.row_counts
    assert (counts[IMPORTED], counts[MERGED], counts[SKIPPED]) == (2, 14, 0)
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_a_label_and_its_text_in_two_cells_are_the_areas_outcome():
    rows = [
        ["Ref", "Action", "Target date", "Lead"],
        ["Priority 1: Permanence"],
        ["Outcome", "Children leave care to a permanent home without delay"],
        ["1.1", "Track every child's plan for permanence", "Nov 18", "Head of LAC"],
    ]
    preview, plan = imported(rows)
    assert Area.objects.get(plan=plan).outcome == "Children leave care to a permanent home without delay"
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [["Action", None, "Lead", "Timescale", "RAG"], ["Ref", None, "Lead", "Timescale", "RAG"]],
    ids=["action-over-both", "ref-then-blank"],
)
def test_a_reference_column_with_an_unlabelled_text_column_beside_it(header):
    rows = [
        header,
        ["1.1", "Refresh the threshold document with partners", "LSCB manager", "Oct 18", "G"],
        ["1.2", "Relaunch the threshold document to all staff", "LSCB manager", "Dec 18", "A"],
        ["1.10", "Audit threshold decisions at the front door", "Head of MASH", "Feb 19", "R"],
    ]
    preview, plan = imported(rows, merges=["A1:B1"] if header[0] == "Action" else [])
    found = {a.ref: a.title for a in Action.objects.filter(plan=plan)}
    assert found == {
        "1.1": "Refresh the threshold document with partners",
        "1.2": "Relaunch the threshold document to all staff",
        "1.10": "Audit threshold decisions at the front door",
    }
    assert not [problem for problem in preview.problems if "numbered" in problem.message]
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_area_objectives_activities_timescale_columns():
    rows = [
        ["Area", "Objectives", "Activities", "Timescale"],
        ["Workforce", "A stable, permanent workforce", "Launch a recruitment campaign", "March 2019"],
        [None, None, "Reduce agency staff to 10%", "Sept 2019"],
        [None, "Manageable caseloads", "Review caseload weighting", "Dec 18"],
        ["Practice", "Good assessments", "Audit 40 assessments a month", "Monthly"],
    ]
    preview, plan = imported(rows)
    areas = {area.title: area.objectives for area in Area.objects.filter(plan=plan)}
    assert areas == {"Workforce": "A stable, permanent workforce\nManageable caseloads", "Practice": "Good assessments"}
    assert Action.objects.filter(plan=plan).count() == 4
    assert preview.row_counts[IMPORTED] == 4
    assert_every_row_accounted_for(preview, rows)


SEED_HEADER = ["Area", "Key actions / milestones", "Start Date", "Target Completion Date", "Sponsor (Board Member)",
               "Status"]  # fmt: skip
LEADERSHIP = (
    "A whole system approach is taken leading CSC. Managers at every tier drive high standards, provide high "
    "support & high challenge."
)
BUDGET = "Budgets are adjusted to reflect current demand. Resources are aligned to target the right children."
SEED_TABLE = [
    SEED_HEADER,
    ["Leadership & Culture", "1. Establish routine schedule of strategic management meetings.", None, "Dec 18",
     "ADCSC", None],
    ["Budget & Resources", "7. Reset CSC budget in four key areas for 18/19", "July 18", "Dec 18", "EDCYP/HFS ADCSC",
     None],
]  # fmt: skip


@pytest.mark.django_db
def test_a_list_of_area_outcomes_above_the_table_name_then_statement_as_in_the_demo_plans_source():
    rows = [
        ["CHILDREN'S SOCIAL CARE IMPROVEMENT PLAN"],
        [],
        ["Leadership & Culture"],
        [LEADERSHIP],
        ["Budget & Resources"],
        [BUDGET],
        [],
        ["CHILDREN'S SOCIAL CARE SERVICE IMPROVEMENT PLAN (6 MONTH SUMMARY)"],
        [],
        *SEED_TABLE,
    ]
    preview, plan = imported(rows)
    assert {area.title: area.outcome for area in Area.objects.filter(plan=plan)} == {
        "Leadership & Culture": LEADERSHIP,
        "Budget & Resources": BUDGET,
    }
    assert fates(preview)[4] == (MERGED, 'area "Leadership & Culture": outcome')
    assert fates(preview)[8] == (HEADING, "above the table: a title, legend or note")
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_a_list_of_area_outcomes_in_two_cells_above_the_table():
    rows = [["Area", "Outcome"], ["Leadership and culture", LEADERSHIP], ["Budget and resources", BUDGET], [],
            *SEED_TABLE]  # fmt: skip
    # "Area | Outcome" names no action column: the table is the one below it.
    preview, plan = imported(rows)
    assert {area.title: area.outcome for area in Area.objects.filter(plan=plan)} == {
        "Leadership & Culture": LEADERSHIP,
        "Budget & Resources": BUDGET,
    }
    assert_every_row_accounted_for(preview, rows)


@pytest.mark.django_db
def test_a_list_of_area_outcomes_on_a_sheet_of_its_own():
    outcomes = [
        ["Area for improvement", "Outcome", "Measures of success"],
        ["1. Leadership & Culture", LEADERSHIP, "• Staff survey: 70% feel supported"],
        ["Budget & Resources", BUDGET, None],
        ["Commissioning", "Placements provide sufficiency and value for money", None],
    ]
    preview, plan = imported(SEED_TABLE, sheets={"Outcomes": outcomes})
    areas = {area.title: (area.outcome, area.measured_by) for area in Area.objects.filter(plan=plan)}
    assert areas == {
        "Leadership & Culture": (LEADERSHIP, "• Staff survey: 70% feel supported"),
        "Budget & Resources": (BUDGET, ""),
    }
    skipped = [(fate.sheet, fate.row, fate.note) for fate in preview.rows_skipped]
    assert skipped == [("Outcomes", 4, 'names no area or theme of the plan ("Commissioning"); not imported')]
    assert "Outcomes!row 4" in {problem.where for problem in preview.problems}
    counts = preview.row_counts
    assert sum(counts.values()) == rows_with_content(SEED_TABLE, outcomes[1:])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("letter", "reported"),
    [("R", RAG.RED), ("A", RAG.AMBER), ("G", RAG.GREEN), ("B", RAG.BLUE), ("Y", RAG.AMBER)],
)
def test_a_single_letter_is_a_colour(letter, reported):
    rows = [["Ref", "Action", "Target date", "RAG"], ["1", "Agree the plan", "Dec 18", letter]]
    [action] = preview_of(rows).actions
    assert action.reported_rag == reported


@pytest.mark.django_db
def test_skipped_rows_say_why_and_the_counts_add_up():
    rows = [
        ["Plan title"],
        ["Ref", "Action", "Target date", "Lead"],
        ["1", "Agree the plan", "Dec 18", "DCS"],
        ["1", "Agree the plan again", "Dec 18", "DCS"],
        [None, None, "Jan 19", "DCS"],
        ["2", "Run the board", "Jan 19", "DCS"],
        [None, "and report to cabinet", None, None],
    ]
    preview = preview_of(rows)
    counts = preview.row_counts
    assert counts == {IMPORTED: 2, PART_OF_ACTION: 1, HEADING: 2, MERGED: 0, SKIPPED: 2}
    assert [(fate.row, fate.note) for fate in preview.rows_skipped] == [
        (4, "action 1 appears twice (first in row 3); this row was not imported"),
        (5, "this row has no action text and was not imported"),
    ]
    assert_every_row_accounted_for(preview, rows)
