"""Workbooks as councils really send them: extra sheets, charts, hidden copies, sheets claiming a million rows."""

import io

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from common.spreadsheets import WorkbookError
from plans.importing import read_plan
from plans.importing.messages import CHART_SHEET, HIDDEN_COLUMN, HIDDEN_ROW, HIDDEN_SHEET, OTHER_TABLES, UNKNOWN_FILL

HEADER = ["Area", "Ref", "Action", "Start date", "Target date", "Sponsor", "Status"]
ROW = ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"]


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_with(*sheets):
    """A workbook with the sheets given as (name, rows), in that order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    return workbook


def test_a_sheet_that_claims_a_million_rows_and_16384_columns_is_read_by_its_headers_columns():
    # One formatted cell in the last cell of the sheet: Excel then says the sheet is A1:XFD1048576.
    workbook = workbook_with(("Plan", [HEADER, ROW]))
    workbook["Plan"]["XFD1048576"].fill = PatternFill(fill_type="solid", start_color="FF0000", end_color="FF0000")
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert [action.title for action in preview.actions] == ["Set up the board"]
    assert len(preview.mapping.columns) == len(HEADER)
    assert preview.problems == []


def test_the_plan_is_found_on_the_third_sheet_behind_a_cover_and_a_legend_even_when_protected():
    workbook = workbook_with(
        ("Cover", [["Improvement plan 2018-2020"], ["Contents: the plan is on sheet 3"]]),
        ("Legend", [["Status", "Meaning"], ["Red", "Overdue"]]),
        ("Plan 2018", [HEADER, ROW]),
    )
    workbook["Plan 2018"].protection.sheet = True
    workbook["Plan 2018"].protection.password = "secret"
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert (preview.sheet, preview.sheet_names) == ("Plan 2018", ["Cover", "Legend", "Plan 2018"])
    assert [action.ref for action in preview.actions] == ["1"]


def test_a_chart_sheet_is_passed_over_and_cannot_be_chosen():
    workbook = workbook_with(("Plan", [HEADER, ROW + [3]]))
    chart = BarChart()
    chart.add_data(Reference(workbook["Plan"], min_col=8, min_row=2, max_row=2))
    workbook.create_chartsheet("RAG chart", 0).add_chart(chart)
    data = save(workbook)
    preview = read_plan(data, name="plan.xlsx")
    assert (preview.sheet, preview.sheet_names) == ("Plan", ["Plan"])
    with pytest.raises(WorkbookError) as raised:
        read_plan(data, name="plan.xlsx", sheet="RAG chart")
    assert str(raised.value) == CHART_SHEET.format(sheet="RAG chart", sheets="Plan")


def test_a_hidden_old_copy_of_the_plan_is_not_read_before_the_visible_plan():
    workbook = workbook_with(
        ("Old plan", [HEADER, ["Old area", "1", "Last year's action", "Oct 16", "Dec 16", "DCS", "Blue"]]),
        ("Plan", [HEADER, ROW]),
    )
    workbook["Old plan"].sheet_state = "hidden"
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert [action.title for action in preview.actions] == ["Set up the board"]
    assert [str(problem) for problem in preview.problems] == [
        "Plan: " + OTHER_TABLES.format(sheet="Plan", others='"Old plan"')
    ]


def test_a_plan_on_a_hidden_sheet_only_is_read_with_a_warning():
    workbook = workbook_with(("Notes", [["Nothing here"]]), ("Plan", [HEADER, ROW]))
    workbook["Plan"].sheet_state = "hidden"
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert [str(problem) for problem in preview.problems] == ["Plan: " + HIDDEN_SHEET.format(sheet="Plan")]


def test_of_two_sheets_with_a_header_the_one_naming_more_columns_is_read():
    # A key sheet with "Action" and "Status" columns is not the plan beside it.
    workbook = workbook_with(("Key", [["Action", "Status"], ["Red", "Overdue"]]), ("Plan", [HEADER, ROW]))
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert preview.sheet == "Plan"
    assert [str(problem) for problem in preview.problems] == [
        "Plan: " + OTHER_TABLES.format(sheet="Plan", others='"Key"')
    ]


@pytest.mark.parametrize(
    ("colour", "status"),
    [
        # Excel's "Standard Colors" row, as councils pick them for RAG.
        ("FF0000", "At risk (reported Red – overdue)"),
        ("FFC000", "At risk"),
        ("FFFF00", "At risk"),
        ("00B050", "On track"),
        ("0070C0", "Completed"),
        # Conditional-format style light fills.
        ("FFC7CE", "At risk (reported Red – overdue)"),
        ("C6EFCE", "On track"),
        # The theme palette, read from the workbook's own theme (openpyxl writes Office 2007's): Red Accent 2,
        # Orange Accent 6, Olive Green Accent 3 lighter 40%, Blue Accent 1 darker 25%.
        ((5, 0), "At risk (reported Red – overdue)"),
        ((9, 0), "At risk"),
        ((6, 0.3999), "On track"),
        ((4, -0.25), "Completed"),
        ("92D050", "On track"),  # Excel's "Light Green"
        # White background (theme colour 0): no status.
        ((0, 0), "Not started"),
        # Purple is no RAG colour: reported, left not started.
        ("7030A0", "Not started"),
    ],
)
def test_a_status_column_of_fill_colours_only_is_read_from_the_colours(colour, status):
    workbook = workbook_with(("Plan", [HEADER, ROW[:6] + [None]]))
    if isinstance(colour, tuple):
        theme, tint = colour
        fill = PatternFill(fill_type="solid", fgColor=Color(theme=theme, tint=tint))
    else:
        fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    workbook["Plan"]["G2"].fill = fill
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert preview.actions[0].status_label == status
    if colour != (0, 0):
        assert [problem.cell for problem in preview.problems] == ["G2"]


def test_a_theme_fill_whose_colour_cannot_be_read_is_reported():
    workbook = workbook_with(("Plan", [HEADER, ROW[:6] + [None]]))
    workbook["Plan"]["G2"].fill = PatternFill(fill_type="solid", fgColor=Color(theme=40))
    preview = read_plan(save(workbook), name="plan.xlsx")
    assert [str(problem) for problem in preview.problems] == ["Plan!G2: " + UNKNOWN_FILL]


def test_hidden_rows_and_columns_are_read_and_said_to_be_hidden():
    # Councils hide old actions and superseded columns rather than delete them.
    header = ["Area", "Ref", "Action", "Target date", "Target date (revised)"]
    rows = [
        header,
        ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18"],
        [None, "2", "Old action, dropped", "Nov 18", None],
        [None, "3", "Appoint a chair", "Nov 18", "Jan 19"],
    ]
    workbook = workbook_with(("Plan", rows))
    workbook["Plan"].row_dimensions[3].hidden = True
    workbook["Plan"].column_dimensions["D"].hidden = True
    data = save(workbook)
    preview = read_plan(data, name="plan.xlsx")
    assert [str(problem) for problem in preview.problems] == [
        "Plan!D1: " + HIDDEN_COLUMN.format(letter="D", header="Target date", field="Target date"),
        "Plan!B3: " + HIDDEN_ROW,
    ]
    # The admin reads the revised column instead.
    preview = read_plan(data, name="plan.xlsx", columns={"D": "", "E": "target"})
    assert [action.target.text for action in preview.actions] == ["Dec 18", "", "Jan 19"]
    assert [str(problem) for problem in preview.problems] == ["Plan!B3: " + HIDDEN_ROW]
