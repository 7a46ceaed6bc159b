"""Rows as councils really write them: a second table under the plan, references that are not references,
formulas (with and without the values Excel saved), formula-like text, very long text, emoji, hard spaces."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from plans.importing import ImportRefused, plan_import, plan_preview, read_plan, rows
from plans.importing.layout import plan_workbook
from plans.importing.messages import ANOTHER_TABLE, NO_TEXT, NOT_A_REFERENCE, NOTHING_TO_IMPORT, TOO_LONG
from plans.models import Action
from tests.plans.importing.workbooks import xlsx

HEADER = ["Area", "Ref", "Action", "Start date", "Target date", "Sponsor", "Status"]


def messages(preview):
    return [str(problem) for problem in preview.problems]


def with_cached_values(data, values):
    """The workbook as Excel saves it: each formula cell in `values` ({"E2": ("n", "43465")}) keeps its result."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, (kind, value) in values.items():
        typed = ' t="str"' if kind == "str" else ""
        sheet, count = re.subn(
            rf'(<c r="{cell}"[^>]*?)(/?)>(<f>.*?</f>)<v ?/>', rf"\g<1>{typed}>\g<3><v>{value}</v>", sheet
        )
        assert count == 1, cell
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for name, content in parts.items():
            rewritten.writestr(name, content)
    return buffer.getvalue()


def test_a_second_table_with_its_own_header_ends_the_plan_with_a_warning():
    rows = [
        HEADER,
        ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"],
        [],
        ["Workforce plan"],
        ["Ref", "Action", "Owner", "Deadline"],
        ["W1", "Recruit social workers", "HR", "March 2019"],
    ]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert [action.title for action in preview.actions] == ["Set up the board"]
    headers = '"Ref", "Action", "Owner", "Deadline"'
    assert messages(preview) == ["Plan!A5: " + ANOTHER_TABLE.format(headers=headers, row=1)]


def test_the_header_repeated_on_a_later_page_with_a_cell_left_blank_is_skipped_not_a_new_table():
    rows = [
        HEADER,
        ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"],
        [None, "Ref", "Action", "Start date", "Target date", "Sponsor", "Status"],
        [None, "2", "Appoint a chair", None, "Jan 19", "DCS", "Amber"],
    ]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert [action.ref for action in preview.actions] == ["1", "2"]
    assert preview.problems == []


def test_words_and_figures_in_the_reference_column_are_not_references():
    # A table of measures pasted under the plan: its columns fall under Area, Ref and Action.
    rows = [
        HEADER,
        ["Leadership", "1a", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"],
        [None, "(b)", "Appoint a chair", None, "Jan 19", "DCS", "Amber"],
        [None, "LC 2.10", "Review terms", None, "Jan 19", "DCS", "Amber"],
        [],
        ["Measure", "Target", "Actual"],
        ["Re-referrals", "20%", "22%"],
    ]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert [action.ref for action in preview.actions] == ["1a", "(b)", "LC 2.10"]
    assert messages(preview) == [
        "Plan!B6: " + NOT_A_REFERENCE.format(ref="Target"),
        "Plan!B7: " + NOT_A_REFERENCE.format(ref="20%"),
    ]


@pytest.mark.django_db
def test_an_action_with_a_reference_and_no_text_is_an_error_not_an_untitled_action():
    # A formula in a file saved by a script holds no value: openpyxl reads it as blank.
    rows = [HEADER, ["Leadership", "1", '="Set up " & "the board"', None, "Dec 18", "DCS", None]]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert messages(preview) == ["Plan!C2: " + NO_TEXT.format(ref="1")]
    with pytest.raises(ImportRefused, match=NOTHING_TO_IMPORT):
        plan_import(preview=preview, slug="plan")


def test_formulas_are_read_by_the_values_excel_saved_with_them():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append(HEADER)
    sheet.append(["Leadership", "1", '="Set up " & "the board"', None, "=DATE(2018,12,31)", "DCS", '=IF(1,"Amber")'])
    sheet["E2"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = with_cached_values(
        buffer.getvalue(), {"C2": ("str", "Set up the board"), "E2": ("n", "43465"), "G2": ("str", "Amber")}
    )
    preview = read_plan(data, name="plan.xlsx")
    action = preview.actions[0]
    assert (action.title, action.target.date, action.status_label) == (
        "Set up the board",
        dt.date(2018, 12, 31),
        "At risk",
    )
    assert preview.problems == []


@pytest.mark.django_db
def test_formula_like_text_is_kept_as_text_and_exported_so_that_it_cannot_run():
    long_text = "Make step change in practice 🚀 " * 40
    rows = [
        HEADER,
        ["Leadership\u00a0", "1", '=HYPERLINK("http://example.com","x")', None, "Dec\u00a018", "@DCS", None],
        [None, "2", "+44 helpline\u00a0 to open", None, "Jan 19", "-HR", None],
        [None, "3", long_text, None, "Feb 19", "DCS", None],
    ]
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    # Typed in Excel with a leading apostrophe: stored as text, not as a formula.
    workbook.active["C2"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview, _ = plan_preview(buffer.getvalue(), name="plan.xlsx", slug="plan")
    record = plan_import(preview=preview, slug="plan", title="Plan")
    actions = {action.ref: action for action in Action.objects.filter(plan=record.plan)}
    assert actions["1"].title == '=HYPERLINK("http://example.com","x")'
    assert (actions["1"].area.title, actions["1"].target_text, actions["1"].target_date) == (
        "Leadership", "Dec 18", dt.date(2018, 12, 31)
    )  # fmt: skip
    assert actions["2"].title == "+44 helpline to open"
    assert len(actions["3"].title) == 500 and actions["3"].description == long_text.strip()
    exported = openpyxl.load_workbook(io.BytesIO(plan_workbook(record.plan)))["Plan"]
    cells = {row[2].value: row for row in exported.iter_rows(min_row=2)}
    assert "f" not in {cell.data_type for row in exported.iter_rows() for cell in row}
    assert cells["1"][3].value == '\'=HYPERLINK("http://example.com","x")'
    assert (cells["1"][7].value, cells["2"][7].value) == ("'@DCS", "'-HR")
    # And the export reads back as the same plan.
    _, changes = plan_preview(plan_workbook(record.plan), name="export.xlsx", slug="plan")
    assert (len(changes.unchanged), len(changes.updated), len(changes.created)) == (3, 0, 0)


def test_target_cells_as_councils_fill_them_are_read_or_reported_by_cell():
    rows = [
        HEADER,
        ["Leadership", "1", "Serial number", None, 43465, None, None],
        [None, "2", "Year typed as a number", None, 2019, None, None],
        [None, "3", "Financial year with a hyphen", None, "2018-19", None, None],
        [None, "4", "A start in the target column", None, "From Jan 2019", None, None],
        [None, "5", "Week commencing", None, "w/c 3 Sept 2018", None, None],
        [None, "6", "No such day", None, "31/09/2018", None, None],
        [None, "7", "Quarter without its year", None, "end of Q3", None, None],
        [None, "8", "Two months", None, "Sept/Oct 2018", None, None],
        [None, "9", "A real date", None, dt.date(2019, 1, 31), None, None],
    ]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    read = {action.ref: (action.start.date, action.target.date, action.target.text) for action in preview.actions}
    assert read == {
        "1": (None, dt.date(2018, 12, 31), "43465"),
        "2": (None, dt.date(2019, 12, 31), "2019"),
        "3": (None, dt.date(2019, 3, 31), "2018-19"),
        "4": (dt.date(2019, 1, 1), None, ""),
        "5": (None, dt.date(2018, 9, 3), "w/c 3 Sept 2018"),
        "6": (None, None, "31/09/2018"),
        "7": (None, None, "end of Q3"),
        "8": (None, dt.date(2018, 10, 31), "Sept/Oct 2018"),
        "9": (None, dt.date(2019, 1, 31), "2019-01-31"),
    }
    assert messages(preview) == [
        "Plan!E2: the number 43465 was read as the Excel date 31 Dec 2018",
        'Plan!E5: "From Jan 2019" is a start, not a target: read as a start of 01 Jan 2019, with no target date',
        'Plan!E6: "w/c 3 Sept 2018" was read as 03 Sep 2018; the words "w/c" are kept with it',
        'Plan!E7: "31/09/2018" is not a date (September 2018 has 30 days)',
        'Plan!E8: "end of Q3" has no financial year (write it as "Q2 2018/19")',
        'Plan!E9: "Sept/Oct 2018" was read as 31 Oct 2018; the words "Sept/" are kept with it',
    ]


def test_a_row_of_data_that_starts_like_column_names_does_not_end_the_table():
    rows = [
        HEADER,
        ["Leadership", "1", "Set up the board", None, "Dec 18", "DCS", None],
        [None, "30", "Action 30", "From Jan 2019", "Lead officer", "Owner", "Status update"],
        [None, "31", "Appoint a chair", None, "Jan 19", "DCS", None],
    ]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert [action.ref for action in preview.actions] == ["1", "30", "31"]


def test_references_2_10_and_2_1_stay_distinct_as_text_and_collide_as_numbers_with_a_message():
    rows = [
        HEADER,
        ["Leadership", "2.1", "First", None, "Dec 18", None, None],
        [None, "2.10", "Tenth", None, "Dec 18", None, None],
        [None, "2.2", "Second", None, "Dec 18", None, None],
    ]
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert [action.ref for action in preview.actions] == ["2.1", "2.10", "2.2"]
    # Typed into a number cell, Excel keeps 2.10 as the number 2.1: the second is reported, not merged.
    rows[1][1], rows[2][1], rows[3][1] = 2.1, 2.10, 2.2
    preview = read_plan(xlsx(rows), name="plan.xlsx")
    assert [action.ref for action in preview.actions] == ["2.1", "2.2"]
    assert messages(preview) == ["Plan!B3: action 2.1 appears twice (first in row 2); this row was not imported"]


def test_a_two_row_header_with_dates_grouped_under_a_merged_cell_reads_each_date_column():
    # "Timescales" merged over two columns, named "Start" and "Target" in the row below; printed pages repeat both.
    header = ["Area", "Ref", "Action", "Timescales", None, "Sponsor", "RAG"]
    sub_header = [None, None, None, "Start", "Target", None, None]
    rows = [
        header,
        sub_header,
        ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"],
        header,
        sub_header,
        [None, "2", "Appoint a chair", "Nov 18", "Jan 19", "DCS", "Amber"],
    ]
    preview = read_plan(xlsx(rows, merges=["D1:E1", "D4:E4"]), name="plan.xlsx")
    read = [(action.ref, action.start.text, action.target.text) for action in preview.actions]
    assert read == [("1", "Oct 18", "Dec 18"), ("2", "Nov 18", "Jan 19")]
    assert {column.letter: column.field for column in preview.mapping.columns if column.field} == {
        "A": "area", "B": "ref", "C": "action", "D": "start", "E": "target", "F": "sponsor", "G": "status"
    }  # fmt: skip
    assert preview.problems == []


def test_an_area_name_over_its_limit_is_cut_with_a_warning_not_taken_for_a_damaged_file():
    # Reported to the admin as "damaged or incomplete" while every error was caught as the file's fault.
    long_area = "Leadership " * 30
    preview = read_plan(xlsx([HEADER, [long_area, "1", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"]]))
    title = " ".join(long_area.split())
    assert [action.area for action in preview.actions] == [title[:300]]
    message = TOO_LONG.format(what="The area name", length=len(title), limit=300)
    assert messages(preview) == [f"Plan!A2: {message}"]


def test_a_bug_while_reading_rows_surfaces_instead_of_blaming_the_file(monkeypatch):
    def broken(self, row_number, cells, values):
        raise AttributeError("a bug in the reader")

    monkeypatch.setattr(rows.RowReader, "read_row", broken)
    with pytest.raises(AttributeError, match="a bug in the reader"):
        read_plan(xlsx([HEADER, ["Leadership", "1", "Set up the board", "Oct 18", "Dec 18", "DCS", "Green"]]))
