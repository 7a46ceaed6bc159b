"""Which sheet of a workbook holds the plan, where its header is, and what the rows above the header say."""

import re
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from common.spreadsheets import WorkbookError
from common.spreadsheets.cells import CellValue

from .columns import (
    AREA,
    AREA_DETAILS,
    HEADER_SEARCH_ROWS,
    THEME,
    ColumnMapping,
    field_for_header,
    find_header,
    is_column_name,
    map_header,
    reference_beside_text,
)
from .messages import CHART_SHEET, EMPTY_WORKBOOK, NO_HEADER, NO_SUCH_SHEET
from .values import value_text

_LEGEND = re.compile(r"^(?P<abbreviation>[A-Z][A-Za-z]{1,9})\s*[=:–-]\s*(?P<role>[A-Za-z].{2,80})$")
HEADER_SEARCH_COLUMNS = 200
# A sheet listing the areas' outcomes is a page or two; past this many rows it is not such a list.
OUTCOME_LIST_ROWS = 1000


@dataclass
class PlanTable:
    """The sheet chosen, its header's columns, the legend above it and the other sheets that have a header."""

    worksheet: Worksheet
    mapping: ColumnMapping  # as the header (and a second header row) name the columns
    header_fields: dict[str, int]  # as the first header row alone names them
    sub_header: dict[str, str]  # {column letter: text} of a second header row, or {}
    legend: dict[str, str]  # abbreviation -> role
    sheet_names: list[str]  # of the sheets that can hold a table (not charts)
    others: list[str] = field(default_factory=list)  # titles of the other sheets with a header
    above: list[list[CellValue]] = field(default_factory=list)  # the rows above the header; above[0] is row 1
    outcome_lists: list["OutcomeList"] = field(default_factory=list)  # other sheets listing the areas' outcomes


@dataclass
class OutcomeList:
    """A sheet of its own saying each area's outcome (objectives, measures): "Area | Outcome", no actions."""

    sheet: str
    header_row: int
    fields: dict[str, int]  # AREA or THEME, and the AREA_DETAILS fields it has -> column index
    rows: list[tuple[int, list[CellValue]]]  # (row number, values) of every row with content under the header


def choose_table(workbook: Workbook, *, name: str, sheet: str | None) -> PlanTable:
    """The plan's table in `workbook`: on the sheet called `sheet`, else the best sheet with a header.

    Raises WorkbookError when there is no such sheet, or no sheet with a header.
    """
    # Chart sheets hold no cells; only worksheets can hold a plan.
    sheet_names = [worksheet.title for worksheet in workbook.worksheets]
    if sheet and sheet not in sheet_names:
        if sheet in workbook.sheetnames:
            raise WorkbookError(CHART_SHEET.format(sheet=sheet, sheets=", ".join(sheet_names)))
        raise WorkbookError(NO_SUCH_SHEET.format(sheet=sheet, name=name, sheets=", ".join(sheet_names)))
    tables = []
    outcome_lists = []
    any_rows = False
    for sheet_name in [sheet] if sheet else sheet_names:
        worksheet = workbook[sheet_name]
        mapping, above, has_rows, sub_header = _find_table(worksheet)
        any_rows = any_rows or has_rows
        if mapping is not None:
            tables.append((worksheet, mapping, above, sub_header))
        elif not sheet and (outcomes := _outcome_list(worksheet)) is not None:
            outcome_lists.append(outcomes)
    if not tables:
        if not any_rows and not sheet:
            raise WorkbookError(EMPTY_WORKBOOK.format(name=name))
        searched = [sheet] if sheet else sheet_names
        raise WorkbookError(NO_HEADER.format(sheets=", ".join(f'"{sheet_name}"' for sheet_name in searched)))
    # Workbooks keep legends, old plans and hidden copies beside the plan: the visible sheet whose header
    # names the most columns is taken, and the admin is told which others could have been.
    worksheet, mapping, above, sub_header = max(
        tables, key=lambda table: (table[0].sheet_state == "visible", len(table[1].fields), -tables.index(table))
    )
    header_fields = mapping.fields
    if sub_header:
        mapping = mapping.widened(max(column_index_from_string(letter) for letter in sub_header))
        mapping = mapping.changed({letter: field_for_header(text) for letter, text in sub_header.items()})
    return PlanTable(
        worksheet=worksheet,
        mapping=mapping,
        header_fields=header_fields,
        sub_header=sub_header,
        legend=_legend(above),
        sheet_names=sheet_names,
        others=[other.title for other, *_ in tables if other is not worksheet],
        above=above,
        outcome_lists=outcome_lists,
    )


def _find_table(
    worksheet: Worksheet,
) -> tuple[ColumnMapping | None, list[list[CellValue]], bool, dict[str, str]]:
    """(header mapping or None, the rows above the header, whether the sheet has any text, a second header row)."""
    if getattr(worksheet, "max_row", None) is None or worksheet.max_row <= 1:
        # Some writers leave out the sheet's dimension; without it read-only mode stops at row 1.
        worksheet.reset_dimensions()
    above = []
    any_rows = False
    # A sheet can claim 16,384 columns (one formatted cell in XFD is enough): the header is looked for
    # in the first HEADER_SEARCH_COLUMNS only, so that a small file cannot keep the server busy.
    rows = worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS + 1, max_col=HEADER_SEARCH_COLUMNS)
    rows = [_trimmed([cell.value for cell in cells]) for cells in rows]
    for row_number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        if not values:
            above.append([])
            continue
        any_rows = True
        mapping = find_header([(row_number, values)])
        if mapping:
            below = rows[row_number] if row_number < len(rows) else []
            mapping = reference_beside_text(mapping, rows[row_number:])
            return mapping, above, any_rows, _sub_header(mapping, below)
        above.append(values)
    return None, above, any_rows, {}


def _trimmed(values: list[CellValue]) -> list[CellValue]:
    filled = [index for index, value in enumerate(values) if value not in (None, "")]
    return values[: filled[-1] + 1] if filled else []


def _sub_header(mapping: ColumnMapping, values: list[CellValue]) -> dict[str, str]:
    """{column letter: text} of a second header row ("Start", "Target" under a merged "Timescales"), or {}.

    Only a row of column names with at least one under a blank header cell (the rest of a merged group) counts.
    """
    filled = [index for index, value in enumerate(values) if value not in (None, "")]
    if not filled or not all(isinstance(values[index], str) and is_column_name(values[index]) for index in filled):
        return {}
    headers = [column.header for column in mapping.columns]
    if not any(index >= len(headers) or not headers[index] for index in filled):
        return {}
    return {get_column_letter(index + 1): value_text(values[index]) for index in filled}


def _legend(rows: list[list[CellValue]]) -> dict[str, str]:
    """Sponsor abbreviations a legend above the table spells out ("ADCSC= Assistant Director CSC")."""
    legend = {}
    for values in rows:
        for value in values:
            if isinstance(value, str) and (match := _LEGEND.match(" ".join(value.split()))):
                legend[match.group("abbreviation")] = match.group("role").strip()
    return legend


def _outcome_list(worksheet: Worksheet) -> OutcomeList | None:
    """The sheet's list of areas and their outcomes ("Area | Outcome", "Key area | Measures of success"), or None."""
    rows = worksheet.iter_rows(max_row=OUTCOME_LIST_ROWS, max_col=HEADER_SEARCH_COLUMNS)
    found = None
    listed = []
    for row_number, cells in enumerate(rows, start=1):
        values = _trimmed([cell.value for cell in cells])
        if found is None:
            if row_number > HEADER_SEARCH_ROWS:
                return None
            fields = {column.field: column.index for column in map_header(values) if column.field}
            named = AREA in fields or THEME in fields
            if named and set(fields) & set(AREA_DETAILS) and set(fields) <= {AREA, THEME, *AREA_DETAILS}:
                found = OutcomeList(sheet=worksheet.title, header_row=row_number, fields=fields, rows=listed)
        elif values:
            listed.append((row_number, values))
    return found
