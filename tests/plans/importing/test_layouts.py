"""Each layout councils use, written as a real xlsx, imports into the plan field by field."""

import datetime as dt

import pytest

from plans.importing import plan_import, plan_preview
from plans.models import Action, Area, Plan
from plans.rag import Status
from tests.plans.importing.workbooks import xlsx

D = dt.date


def import_rows(rows, slug="plan", **kwargs):
    data = xlsx(rows, **{key: value for key, value in kwargs.items() if key in ("merges", "fills", "title")})
    preview, _ = plan_preview(data, name="plan.xlsx", slug=slug)
    plan_import(preview=preview, slug=slug, title="Plan")
    return preview, Plan.objects.get(slug=slug)


def actions(plan):
    return {action.ref: action for action in Action.objects.filter(plan=plan).select_related("area", "area__theme")}


def messages(preview):
    return [str(problem) for problem in preview.problems]


@pytest.mark.django_db
def test_it_reads_areas_from_a_column_with_merged_cells_under_titles():
    rows = [
        ["Children's services improvement plan"],
        ["Updated monthly"],
        [],
        ["Area", "Ref", "Action", "Start", "Target date", "Sponsor", "RAG"],
        ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18", "ADCSC", "Green"],
        [None, "2", "Appoint a chair", None, "Jan 19", "EDCYP", "Amber"],
        ["Workforce", "3", "Recruit social workers", "Sept 18", "March 19", "HR", "Blue"],
        [None, "4", "Reduce agency staff", None, "Q4 2018/19", None, None],
    ]
    preview, plan = import_rows(rows, merges=["A5:A6", "A7:A8"])
    found = actions(plan)
    assert [area.title for area in Area.objects.filter(plan=plan)] == ["Leadership", "Workforce"]
    assert {ref: action.area.title for ref, action in found.items()} == {
        "1": "Leadership",
        "2": "Leadership",
        "3": "Workforce",
        "4": "Workforce",
    }
    first = found["1"]
    assert (first.title, first.start_date, first.start_text) == ("Set up the board", D(2018, 10, 1), "Oct 18")
    assert (first.target_date, first.target_text) == (D(2018, 12, 31), "Dec 18")
    assert [sponsor.abbreviation for sponsor in first.sponsors.all()] == ["ADCSC"]
    assert (first.status, first.at_risk) == (Status.IN_PROGRESS, False)
    assert (found["2"].status, found["2"].at_risk, found["2"].status_text) == (Status.IN_PROGRESS, True, "Amber")
    assert found["3"].status == Status.COMPLETED
    assert found["4"].target_date == D(2019, 3, 31)
    assert found["4"].status == Status.NOT_STARTED
    assert preview.mapping.header_row == 4


@pytest.mark.django_db
def test_it_reads_section_rows_as_areas_with_numbers_outcomes_and_milestones():
    rows = [
        ["Ref", "Action", "Progress milestones", "Target date", "Delivery lead"],
        ["AREA FOR IMPROVEMENT 3: Quality of assessments"],
        ["Outcome: every assessment is timely and analytical"],
        ["Measured by: audit grades"],
        ["3.1", "Audit assessments monthly", "▪ Audit tool agreed\n▪ First audit\n▪ Report to board",
         "Jan 2015\nTBC\nMarch 2015", "Head of Quality"],
        ["3.2", "Train managers", "• Book trainer • Deliver sessions", "Feb 2015", "Principal Social Worker"],
        ["Area for improvement 4: Care leavers"],
        ["4.1", "Publish the local offer", "Draft; Consult; Publish", "June 2015", "Head of Care Leavers"],
    ]  # fmt: skip
    preview, plan = import_rows(rows, merges=["A2:E2", "A3:E3", "A4:E4", "A7:E7"])
    areas = list(Area.objects.filter(plan=plan))
    assert [(area.number, area.title) for area in areas] == [("3", "Quality of assessments"), ("4", "Care leavers")]
    assert areas[0].outcome == "every assessment is timely and analytical"
    assert areas[0].measured_by == "audit grades"
    found = actions(plan)
    audit = found["3.1"]
    assert audit.lead == "Head of Quality"
    assert [(m.title, m.target_date, m.target_text) for m in audit.milestones.all()] == [
        ("Audit tool agreed", D(2015, 1, 31), "Jan 2015"),
        ("First audit", None, "TBC"),
        ("Report to board", D(2015, 3, 31), "March 2015"),
    ]
    assert audit.target_date == D(2015, 3, 31)
    assert [m.title for m in found["3.2"].milestones.all()] == ["Book trainer", "Deliver sessions"]
    # One date for two milestones: the date is the action's target, the milestones have none.
    assert found["3.2"].target_date == D(2015, 2, 28)
    assert [m.title for m in found["4.1"].milestones.all()] == ["Draft", "Consult", "Publish"]
    assert found["4.1"].area.title == "Care leavers"


@pytest.mark.django_db
def test_it_reads_themes_and_workstreams_from_two_columns():
    rows = [
        ["Theme", "Workstream", "Action", "By when", "Lead"],
        ["Practice", "Assessment", "Refresh the assessment template", "June 2018", "J Smith"],
        [None, None, "Train staff on the template", "Sept 18", "J Smith"],
        [None, "Child protection", "Review conference thresholds", "Dec 18", "A Jones"],
        ["Workforce", "Recruitment", "Launch campaign", "March 19", "HR lead"],
    ]
    preview, plan = import_rows(rows)
    areas = Area.objects.filter(plan=plan).select_related("theme")
    assert [(area.theme.title, area.title) for area in areas] == [
        ("Practice", "Assessment"),
        ("Practice", "Child protection"),
        ("Workforce", "Recruitment"),
    ]
    found = Action.objects.filter(plan=plan).order_by("position")
    assert [(action.ref, action.area.title) for action in found] == [
        ("1.1", "Assessment"),
        ("1.2", "Assessment"),
        ("2.1", "Child protection"),
        ("3.1", "Recruitment"),
    ]
    assert [action.lead for action in found] == ["J Smith", "J Smith", "A Jones", "HR lead"]
    # Numbering an action is never silent.
    assert "Plan!C2: no reference: numbered 1.1" in messages(preview)


@pytest.mark.django_db
def test_it_skips_repeated_headers_and_joins_continuation_rows():
    header = ["Area", "Key actions / milestones", "Start Date", "Target Completion Date", "Sponsor", "Status"]
    rows = [
        header,
        ["Early Help", "1. Complete peer review", None, "Nov 18", "EDCYP", None],
        [None, "2. Use findings to inform (a) needs analysis (b) mapping", None, "Feb 19", "EDCYP", None],
        header,
        [None, "(c) revision of the strategy", None, None, None, None],
        [None, "3. Re-establish the board", "Nov 18", "Dec 18", "ADCSC", "Timing tbc"],
        header,
        [None, "which meets monthly.", None, None, None, None],
    ]
    preview, plan = import_rows(rows)
    found = actions(plan)
    assert list(found) == ["1", "2", "3"]
    assert found["2"].sub_items == [
        {"letter": "a", "text": "needs analysis"},
        {"letter": "b", "text": "mapping"},
        {"letter": "c", "text": "revision of the strategy"},
    ]
    assert found["2"].title == "Use findings to inform"
    assert found["3"].description == "Re-establish the board which meets monthly."
    assert found["3"].status_text == "Timing tbc"
    assert preview.errors == []


@pytest.mark.django_db
def test_it_gives_each_bullet_milestone_its_own_date_line_by_line():
    rows = [
        ["Ref", "Action", "Milestones", "Target"],
        ["1", "Improve supervision", "- Policy agreed\n- Training delivered\n- Audit", "Dec 18\nMarch 19\nJune 2019"],
        ["2", "Improve plans", "<ul><li>Template</li><li>Training</li></ul>", "Jan 19\nFeb 19"],
        ["3", "Launch the academy", None, None],
        [None, None, "Business case", "Oct 18"],
        [None, None, "First cohort", "Apr 19"],
    ]
    preview, plan = import_rows(rows)
    found = actions(plan)
    assert [(m.title, m.target_date) for m in found["1"].milestones.all()] == [
        ("Policy agreed", D(2018, 12, 31)),
        ("Training delivered", D(2019, 3, 31)),
        ("Audit", D(2019, 6, 30)),
    ]
    assert found["1"].target_date == D(2019, 6, 30)
    assert [(m.title, m.target_date) for m in found["2"].milestones.all()] == [
        ("Template", D(2019, 1, 31)),
        ("Training", D(2019, 2, 28)),
    ]
    assert [(m.title, m.target_text) for m in found["3"].milestones.all()] == [
        ("Business case", "Oct 18"),
        ("First cohort", "Apr 19"),
    ]


@pytest.mark.django_db
def test_it_warns_when_dates_and_milestones_do_not_pair_up():
    rows = [
        ["Ref", "Action", "Milestones", "Target"],
        ["1", "Improve supervision", "- Policy\n- Training\n- Audit", "Dec 18\nMarch 19"],
    ]
    preview, plan = import_rows(rows)
    assert "Plan!D2: 2 dates for 3 milestones: the dates could not be matched to milestones" in messages(preview)
    assert [m.target_date for m in actions(plan)["1"].milestones.all()] == [None, None, None]


DATE_FORMS = [
    # (target cell, start cell, target date, start date, warning or None)
    ("Dec 18", None, D(2018, 12, 31), None, None),
    ("Sept 18", None, D(2018, 9, 30), None, None),
    ("June18", None, D(2018, 6, 30), None, None),
    ("June 2018", None, D(2018, 6, 30), None, None),
    ("March 19", "Nov 18", D(2019, 3, 31), D(2018, 11, 1), None),
    ("1 August 2017", None, D(2017, 8, 1), None, None),
    ("Q4 2018/19", None, D(2019, 3, 31), None, None),
    # Real Excel dates: openpyxl gives naive datetimes, as Excel stores them.
    (dt.datetime(2018, 11, 15), dt.datetime(2018, 9, 3), D(2018, 11, 15), D(2018, 9, 3), None),  # noqa: DTZ001
    ("TBC", None, None, None, None),
    ("Ongoing", None, None, None, None),
    ("Monthly", None, None, None, None),
    ("Jan 7th", None, D(2019, 1, 7), None, '"Jan 7th" has no year: read as 07 Jan 2019'),
    ("31 Sept 2017", None, None, None, '"31 Sept 2017" is not a date (September 2017 has 30 days)'),
    ("Jan 19", "Nov 19", D(2019, 1, 31), D(2019, 11, 1), 'starts "Nov 19", after its target "Jan 19"'),
    # Ongoing work from a start (the action's cadence: tests/plans/importing/test_cadence_and_colours.py).
    ("Sept 2018 and ongoing", None, None, D(2018, 9, 1), "was read as ongoing from 01 Sep 2018: a start"),
    ("Aug 99", None, D(2099, 8, 31), None, "years from the plan's other dates"),
    ("Starts Jan 2019", None, None, D(2019, 1, 1), "is a start, not a target: read as a start of 01 Jan 2019"),
    ("when the funding is agreed", None, None, None, '"when the funding is agreed" is not a date'),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("target", "start", "target_date", "start_date", "warning"), DATE_FORMS)
def test_it_reads_every_date_form_and_keeps_the_text(target, start, target_date, start_date, warning):
    rows = [
        ["Ref", "Action", "Start", "Target"],
        # Neighbours that place the plan in 2018-19, as real plans are.
        ["1", "Neighbour", "Oct 18", "Dec 18"],
        ["2", "Neighbour", "Nov 18", "Feb 19"],
        ["3", "Under test", start, target],
    ]
    preview, plan = import_rows(rows)
    action = actions(plan)["3"]
    assert (action.target_date, action.start_date) == (target_date, start_date)
    if isinstance(target, str) and not target.startswith("Starts"):
        assert action.target_text == target
    row_messages = [str(problem) for problem in preview.problems if problem.cell.endswith("4")]
    if warning:
        assert any(warning in message for message in row_messages), row_messages
        assert all(message.startswith("Plan!") for message in row_messages)
    else:
        assert row_messages == []


STATUSES = [
    ("Red", Status.IN_PROGRESS, True),
    ("Amber", Status.IN_PROGRESS, True),
    ("Yellow", Status.IN_PROGRESS, True),
    ("Green", Status.IN_PROGRESS, False),
    ("Blue", Status.COMPLETED, False),
    ("Completed", Status.COMPLETED, False),
    ("Complete", Status.COMPLETED, False),
    ("Done", Status.COMPLETED, False),
    ("Overdue", Status.IN_PROGRESS, True),
    ("At risk", Status.IN_PROGRESS, True),
    ("On track", Status.IN_PROGRESS, False),
    ("Not started", Status.NOT_STARTED, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "status", "at_risk"), STATUSES)
def test_it_reads_status_words(text, status, at_risk):
    preview, plan = import_rows([["Ref", "Action", "Status"], ["1", "Do it", text]])
    action = actions(plan)["1"]
    assert (action.status, action.at_risk, action.status_text) == (status, at_risk, text)
    assert [problem for problem in preview.warnings if problem.cell] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("colour", "status", "at_risk"),
    [("FF0000", Status.IN_PROGRESS, True), ("FFC000", Status.IN_PROGRESS, True), ("00B050", Status.IN_PROGRESS, False),
     ("0070C0", Status.COMPLETED, False)],
)  # fmt: skip
def test_it_reads_a_status_from_the_cell_colour_when_no_word_is_written(colour, status, at_risk):
    preview, plan = import_rows([["Ref", "Action", "RAG"], ["1", "Do it", None]], fills={"C2": colour})
    action = actions(plan)["1"]
    assert (action.status, action.at_risk) == (status, at_risk)
    assert any(message.startswith("Plan!C2: no status written; the cell is filled") for message in messages(preview))


@pytest.mark.django_db
def test_it_keeps_an_unknown_status_as_written_with_a_warning():
    preview, plan = import_rows([["Ref", "Action", "Status"], ["1", "Do it", "Waiting for the new director"]])
    action = actions(plan)["1"]
    assert (action.status, action.status_text) == (Status.NOT_STARTED, "Waiting for the new director")
    assert any(
        message.startswith('Plan!C2: "Waiting for the new director" is not a status') for message in messages(preview)
    )


@pytest.mark.django_db
def test_it_matches_sponsors_and_creates_new_ones_with_a_warning(manager_sponsor):
    # ADCSC exists (any case matches); the others are new.
    rows = [
        ["Ref", "Action", "Sponsor (Board member)"],
        ["1", "Do it", "adcsc / Head of IT & HFS and Director of Finance"],
    ]
    preview, plan = import_rows(rows)
    sponsors = list(actions(plan)["1"].sponsors.all())
    assert manager_sponsor in sponsors
    assert sorted(str(sponsor) for sponsor in sponsors) == ["ADCSC", "Director of Finance", "HFS", "Head of IT"]
    assert any(
        "Plan!C: New sponsors will be created: Head of IT, HFS, Director of Finance." in message
        for message in messages(preview)
    )


@pytest.mark.django_db
def test_a_duplicate_reference_is_an_error_naming_both_rows_and_the_rest_imports():
    rows = [["Ref", "Action", "Target"], ["1", "First", "Dec 18"], ["1", "Again", "Jan 19"], ["2", "Second", "Jan 19"]]
    preview, plan = import_rows(rows)
    assert [str(problem) for problem in preview.errors] == [
        "Plan!A3: action 1 appears twice (first in row 2); this row was not imported"
    ]
    assert {ref: action.title for ref, action in actions(plan).items()} == {"1": "First", "2": "Second"}
