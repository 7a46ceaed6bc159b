"""Reading the cells of a sheet that hold data, within bounds, each with its format, comment and merged origin."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .limits import TOO_MANY_CELLS, Budget, ReadLimits
from .opening import FILE_ERRORS, WorkbookError, open_workbook, unreadable
from .parts import WorkbookParts
from .problems import WARNING, Problem
from .text import clean_text

CUT_SHORT = "only the first {rows:,} rows and {columns} columns were read; the sheet has figures as far as {cell}"

CellValue = str | int | float | Decimal | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


@dataclass(slots=True)
class Cell:
    value: CellValue
    number_format: str
    comment: str
    sheet: str
    coordinate: str  # "D7"
    merged_from_elsewhere: bool = False  # inside a merged range, showing the value of its top-left cell

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.coordinate}"

    @property
    def text(self) -> str:
        return clean_text(self.value)


@dataclass
class SheetCells:
    """A sheet's rows from row 1, each row's cells from column A to its last filled one (merged ones filled)."""

    title: str
    rows: list[list[Cell]]
    last_row: int  # of the cells that hold a value, however far they go
    last_column: int
    problems: list[Problem] = field(default_factory=list)


def read_sheet(
    worksheet: Worksheet,
    parts: WorkbookParts,
    *,
    max_rows: int,
    max_columns: int,
    max_cells: int | None = None,
    budget: Budget | None = None,
    name: str = "The file",
) -> SheetCells:
    """The cells of `worksheet` (read-only or not) that hold data, up to `max_rows` and `max_columns`.

    A sheet's own dimensions can claim all 1,048,576 × 16,384 cells (one formatted cell at XFD1048576 is
    enough) and walking them would hang the import: the extent is that of the cells holding a value,
    found by streaming the sheet's XML, and each row is read only as far as its own last value (or the
    merged range over it, clipped to that extent). Past `max_cells` filled cells the sheet is refused
    (WorkbookError) before a cell is read; `budget`'s clock is checked as rows are read.
    """
    title = worksheet.title
    layout = parts.layout(title, max_cells=max_cells, budget=budget)
    if layout.too_many_cells:
        raise WorkbookError(TOO_MANY_CELLS.format(name=name, sheet=title, limit=max_cells))
    problems = []
    if layout.last_row > max_rows or layout.last_column > max_columns:
        far = f"{get_column_letter(layout.last_column)}{layout.last_row}"
        message = CUT_SHORT.format(rows=max_rows, columns=max_columns, cell=far)
        problems.append(Problem(WARNING, title, "", message))
    last_row, last_column = min(layout.last_row, max_rows), min(layout.last_column, max_columns)
    if not last_row or not last_column:
        return SheetCells(title, [], layout.last_row, layout.last_column, problems)
    comments = parts.comments(title)
    row_ends = {row: min(end, last_column) for row, end in layout.row_ends.items() if row <= last_row}
    origins = {}
    filled = layout.cells
    for first_column, first_row, final_column, final_row in layout.merged:
        if first_row > last_row or first_column > last_column or row_ends.get(first_row, 0) < first_column:
            continue  # past what is read, or its top-left cell is empty: nothing to spread
        final_row, final_column = min(final_row, last_row), min(final_column, last_column)
        # Each cell a merged value is spread to is read as one of the sheet's: it counts against the same limit.
        filled += (final_row - first_row + 1) * (final_column - first_column + 1) - 1
        if max_cells is not None and filled > max_cells:
            raise WorkbookError(TOO_MANY_CELLS.format(name=name, sheet=title, limit=max_cells))
        for row in range(first_row, final_row + 1):
            row_ends[row] = max(row_ends.get(row, 0), final_column)
            for column in range(first_column, final_column + 1):
                if (row, column) != (first_row, first_column):
                    origins[(row, column)] = (first_row, first_column)
    rows: list[list[Cell]] = []
    sources = worksheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column)
    for row_number, row in enumerate(budget.rows(sources) if budget else sources, 1):
        cells = []
        for column_number, source in enumerate(row[: row_ends.get(row_number, 0)], 1):
            coordinate = f"{get_column_letter(column_number)}{row_number}"
            origin = origins.get((row_number, column_number))
            if origin is not None:
                shown = rows[origin[0] - 1] if origin[0] < row_number else cells
                top_left = shown[origin[1] - 1] if origin[1] - 1 < len(shown) else None
                value = top_left.value if top_left else None
                number_format = top_left.number_format if top_left else "General"
                cells.append(Cell(value, number_format, "", title, coordinate, merged_from_elsewhere=True))
                continue
            comment = comments.get(coordinate, "").strip()
            cells.append(Cell(source.value, source.number_format or "General", comment, title, coordinate))
        rows.append(cells)
    for cells in rows:
        while cells and cells[-1].value is None:
            cells.pop()
    return SheetCells(title, rows, layout.last_row, layout.last_column, problems)


def read_sheets(data: bytes, *, name: str, limits: ReadLimits, budget: Budget | None = None) -> list[SheetCells]:
    """Every worksheet of the workbook in `data`, opened read-only once it passes the checks, read within `limits`.

    Raises WorkbookError when the file or one of its sheets cannot be read, holds more cells than the limits
    allow, or takes longer than the budget (settings.IMPORT_MAX_SECONDS unless given).
    """
    budget = budget or Budget(name=name)
    workbook = open_workbook(data, name=name)
    try:
        parts = WorkbookParts(data)
        return [
            read_sheet(
                sheet,
                parts,
                max_rows=limits.max_rows,
                max_columns=limits.max_columns,
                max_cells=limits.max_cells,
                budget=budget,
                name=name,
            )
            for sheet in workbook.worksheets
        ]
    except FILE_ERRORS as error:  # read-only openpyxl parses each sheet only as it is read
        raise unreadable(error, name=name) from error
    finally:
        workbook.close()
