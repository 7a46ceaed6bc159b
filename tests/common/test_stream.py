"""The one-pass sheet reader reads every value as openpyxl reads it, and the flags and bounds openpyxl drops."""

import datetime as dt
import io
import re
import zipfile
from html import escape, unescape

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from common.spreadsheets import Budget, WorkbookError, open_workbook
from common.spreadsheets.limits import TOO_MANY_CELLS
from common.spreadsheets.stream import SheetRows

WIDTH = 6
ROWS = [
    ["Text", "  spaced  out ", "two\nlines", "", "'=1+1", "ÄÖ & <b>bold</b>"],
    [1, -2, 3.5, 1e-20, 12345678901234, 0.1 + 0.2],
    # A spreadsheet's date and time has no time zone: naive, as openpyxl reads it.
    [dt.date(2026, 12, 7), dt.datetime(2026, 12, 7, 9, 30), dt.time(14, 5), dt.timedelta(hours=30), True, False],  # noqa: DTZ001
    ["=SUM(B2:C2)", "=A1", None, "#N/A", None, "last"],
    [None, None, None, None, None, None],
    [None, None, None, None, None, "only the last"],
]


def workbook_bytes(change=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    for row in ROWS:
        sheet.append(row)
    sheet["D4"].data_type = "e"  # an error value, as Excel caches "#N/A"
    sheet["D3"].number_format = "[h]:mm:ss"  # a duration
    sheet["A7"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold"), " end"])
    sheet["H7"] = "past the width"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return _edit(data, change) if change else data


def _edit(data, change):
    """The xlsx with `change({part: bytes}) -> {part: bytes}` applied to its parts."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in change(parts).items():
            target.writestr(name, content)
    return out.getvalue()


def shared_strings(parts):
    """The sheet's inline strings moved into a shared strings part, as Excel writes them."""
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    strings = []

    def shared(match):
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, sheet, flags=re.S)
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    ).encode()
    assert strings and unescape(strings[0]) == "Text"
    return parts


def phonetic_guides_and_cached_results(parts):
    """A pronunciation guide (rPh) in an inline string, and formulas with the results Excel caches beside them."""
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace("<t>Text</t></is>", '<t>Text</t><rPh sb="0" eb="1"><t>tekisuto</t></rPh></is>')
    sheet = sheet.replace("<f>SUM(B2:C2)</f><v />", "<f>SUM(B2:C2)</f><v>1.5</v>")
    sheet = sheet.replace("<f>A1</f><v />", "<f>A1</f><v>Text</v>").replace('r="B4"', 'r="B4" t="str"')
    assert "<v />" not in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    return parts


def no_references(parts):
    """Rows and cells without their numbers and letters (r="..."), which some writers leave out."""
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'(<(?:row|c)) r="[A-Z]*\d+"', r"\1", sheet)
    assert ' r="' not in sheet.split("<sheetData>")[1]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    return parts


def rows_of(data, *, width=WIDTH, first_row=1, max_row=1000, max_cells=1000):
    workbook = open_workbook(data)
    rows = SheetRows(
        workbook["Plan"], first_row=first_row, max_row=max_row, width=width, max_cells=max_cells, budget=Budget()
    )
    read = {number: values for number, values, _styles in rows}
    workbook.close()
    return read, rows


def openpyxl_rows(data, *, width=WIDTH):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    read = {
        number: list(values)
        for number, values in enumerate(workbook["Plan"].iter_rows(max_col=width, values_only=True), start=1)
        if any(value is not None for value in values)
    }
    workbook.close()
    return read


@pytest.mark.parametrize(
    "change",
    [None, shared_strings, phonetic_guides_and_cached_results, no_references],
    ids=["inline", "shared", "cached", "unnumbered"],
)
def test_every_value_is_read_as_openpyxl_reads_it(change):
    data = workbook_bytes(change)
    read, _ = rows_of(data)
    expected = openpyxl_rows(data)
    assert read == expected
    if change is no_references:
        # Cells counted along their row and rows down the sheet, as openpyxl counts them: the gaps close up.
        assert read[1][0] == "Text" and read[4][:4] == [None, None, "#N/A", "last"]
        return
    # The cases are there to be compared: a string, a date, a duration, an error, a formula's cached result.
    assert read[1][0] == "Text" and read[3][0] == dt.datetime(2026, 12, 7) and read[3][3] == dt.timedelta(hours=30)  # noqa: DTZ001
    assert read[4][3] == "#N/A" and read[7][0] == "plain bold end"
    if change is phonetic_guides_and_cached_results:
        assert read[4][:2] == [1.5, "Text"]


def test_the_rows_past_the_bounds_are_counted_not_kept():
    read, rows = rows_of(workbook_bytes(), width=2, first_row=2, max_row=4)
    assert sorted(read) == [2, 3, 4] and all(len(values) == 2 for values in read.values())
    # Row 7 holds values (one past the width): the last row with a value, however far the reader went.
    assert rows.last_row == 7


def test_hidden_rows_and_columns_are_known_once_read():
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
    workbook["Plan"].row_dimensions[2].hidden = True
    workbook["Plan"].column_dimensions["C"].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, rows = rows_of(buffer.getvalue())
    assert (rows.hidden_rows, rows.hidden_columns) == ({2}, {3})


def test_more_filled_cells_than_the_limit_is_refused_while_reading():
    with pytest.raises(WorkbookError) as refused:
        rows_of(workbook_bytes(), max_cells=10)
    assert str(refused.value) == TOO_MANY_CELLS.format(name="The file", sheet="Plan", limit=10)


def test_text_is_read_as_written_not_as_markup():
    read, _ = rows_of(workbook_bytes())
    assert read[1][5] == "ÄÖ & <b>bold</b>" and escape(read[1][5]) != read[1][5]


def test_one_row_with_more_filled_cells_than_the_limit_is_refused():
    # A crafted sheet can put millions of values in one row (the reader counts them as they are parsed).
    workbook = openpyxl.Workbook()
    workbook.active.title = "Plan"
    workbook.active.append(list(range(1, 51)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(WorkbookError) as refused:
        rows_of(buffer.getvalue(), max_cells=20)
    assert str(refused.value) == TOO_MANY_CELLS.format(name="The file", sheet="Plan", limit=20)
