"""Reading a sheet's cells: only those holding data, within bounds, with formats, comments and merged values."""

import io

import openpyxl
from openpyxl.comments import Comment

from common.spreadsheets import ReadLimits, WorkbookParts, open_workbook, read_sheet, read_sheets
from common.spreadsheets.cells import CUT_SHORT

SMALL = ReadLimits(max_rows=100, max_columns=20, max_cells=10_000)


def xlsx(build):
    workbook = openpyxl.Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def texts(sheet):
    return [[cell.value for cell in row] for row in sheet.rows]


def test_it_reads_values_formats_and_refs():
    def build(sheet):
        sheet.title = "KPIs"
        sheet.append(["Indicator", "Jul 18"])
        sheet.append(["Contacts", 0.26])
        sheet["B2"].number_format = "0%"

    (sheet,) = read_sheets(xlsx(build), name="report.xlsx", limits=SMALL)
    assert texts(sheet) == [["Indicator", "Jul 18"], ["Contacts", 0.26]]
    assert (sheet.rows[1][1].number_format, sheet.rows[1][1].ref, sheet.rows[1][1].text) == ("0%", "KPIs!B2", "0.26")
    assert sheet.problems == []


def test_rows_end_at_their_last_value_and_blank_rows_are_kept():
    def build(sheet):
        sheet["A1"] = "Title"
        sheet["C3"] = 5
        sheet["E3"].number_format = "0.0"  # formatted, but empty

    (sheet,) = read_sheets(xlsx(build), name="r.xlsx", limits=SMALL)
    assert texts(sheet) == [["Title"], [], [None, None, 5]]


def test_merged_cells_show_the_top_left_value():
    def build(sheet):
        sheet["A1"] = "Target"
        sheet["B1"] = "Data under review"
        sheet.merge_cells("B1:D2")
        sheet["A2"] = "x"
        sheet["E1"] = "end"  # merged cells are filled as far as the sheet's values go, no further

    (sheet,) = read_sheets(xlsx(build), name="r.xlsx", limits=SMALL)
    first, second = sheet.rows
    assert [cell.value for cell in first] == ["Target", *["Data under review"] * 3, "end"]
    assert [cell.merged_from_elsewhere for cell in first] == [False, False, True, True, False]
    assert [cell.value for cell in second] == ["x", "Data under review", "Data under review", "Data under review"]


def test_comments_are_read_from_their_cell_only():
    def build(sheet):
        sheet["A1"] = 1786
        sheet["A1"].comment = Comment("Figure from the new system", "Analyst")
        sheet["B1"] = 12

    (sheet,) = read_sheets(xlsx(build), name="r.xlsx", limits=SMALL)
    assert [cell.comment for cell in sheet.rows[0]] == ["Figure from the new system", ""]


def test_hidden_rows_and_columns_are_known():
    def build(sheet):
        sheet.append(["a", "b", "c"])
        sheet.append(["d", "e", "f"])
        sheet.row_dimensions[2].hidden = True
        sheet.column_dimensions["B"].hidden = True

    layout = WorkbookParts(xlsx(build)).layout("Sheet")
    assert (layout.hidden_rows, layout.hidden_columns) == ({2}, {2})


def test_a_sheet_past_the_bounds_is_read_within_them_and_says_how_far_it_goes():
    def build(sheet):
        sheet.title = "KPIs"
        for row in range(1, 8):
            sheet.cell(row, 1, f"row {row}")
        sheet["J3"] = 7

    (sheet,) = read_sheets(xlsx(build), name="r.xlsx", limits=ReadLimits(max_rows=5, max_columns=4, max_cells=10_000))
    assert len(sheet.rows) == 5 and all(len(row) <= 4 for row in sheet.rows)
    assert [str(problem) for problem in sheet.problems] == ["KPIs: " + CUT_SHORT.format(rows=5, columns=4, cell="J7")]


def test_a_sheet_that_claims_every_cell_is_read_by_the_cells_that_hold_values():
    # One formatted cell at the last address makes the sheet's dimensions 16,384 x 1,048,576; its time and
    # memory are measured in tests/common/test_limits.py's bounds and bench/, never asserted as seconds here.
    def build(sheet):
        sheet.append(["Indicator", "Jul 18"])
        sheet["XFD1048576"].number_format = "0.0%"

    data = xlsx(build)
    workbook = open_workbook(data, name="r.xlsx")
    sheet = read_sheet(workbook.worksheets[0], WorkbookParts(data), max_rows=20_000, max_columns=400)
    assert texts(sheet) == [["Indicator", "Jul 18"]] and sheet.problems == []


def test_a_whole_workbook_reads_the_same_as_a_read_only_one():
    def build(sheet):
        sheet.append(["Indicator", "Jul 18"])
        sheet.merge_cells("A3:B3")
        sheet["A3"] = "Merged"

    data = xlsx(build)
    parts = WorkbookParts(data)
    read_only = read_sheet(open_workbook(data).worksheets[0], parts, max_rows=10, max_columns=10)
    whole = read_sheet(open_workbook(data, read_only=False).worksheets[0], parts, max_rows=10, max_columns=10)
    assert texts(read_only) == texts(whole) == [["Indicator", "Jul 18"], [], ["Merged", "Merged"]]
