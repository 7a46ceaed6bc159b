"""Reads one sheet of a read-only workbook in a single pass: each row's values, and what read-only openpyxl drops.

openpyxl's read-only rows carry neither the hidden flags of rows and columns nor a bound on how far the sheet
really goes, which `parts.WorkbookParts.layout` finds by streaming the sheet's XML a first time. An importer that
reads every row anyway gets them here from the one parse that reads the values: openpyxl's own sheet parser
(the one its read-only rows come from, so values, dates and shared strings are read exactly as there), driven
directly, so that the flags of each <row> and <col> are seen as they go by and no cell object is built.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from .limits import Budget
from .opening import TOO_MANY_CELLS, WorkbookError
from .parts import HIDDEN_COLUMNS_READ

_HIDDEN = ("1", "true")


@dataclass
class SheetRows:
    """The rows of `worksheet` from `first_row` to `max_row` that hold a value, `width` values each.

    Iterate once: (row number, values, style ids). Cells past `width` are not kept but count against `max_cells`
    (WorkbookError past it, as `opening.sheet_layout` refuses); rows past `max_row` are read to the end only to
    know `last_row`, the last row holding a value, so that a reader can say how much it left. `budget`'s clock is
    checked as rows go by. `hidden_rows` (those read) and `hidden_columns` are complete once iterated.
    """

    worksheet: ReadOnlyWorksheet
    first_row: int
    max_row: int
    width: int
    max_cells: int
    budget: Budget
    name: str = "The file"
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    last_row: int = 0
    cells: int = 0  # holding a value, in the whole sheet
    _fills: dict[int, object] = field(default_factory=dict)

    def __iter__(self) -> Iterator[tuple[int, list, list[int]]]:
        worksheet, workbook = self.worksheet, self.worksheet.parent
        width, first_row, max_row = self.width, self.first_row, self.max_row
        check_every = 256
        with worksheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                worksheet._shared_strings,
                data_only=workbook.data_only,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            dimensions = parser.row_dimensions  # only rows with attributes beyond their number land here
            for count, (number, cells) in enumerate(parser.parse()):
                if count % check_every == 0:
                    self.budget.check()
                if dimensions:
                    attributes = dimensions.pop(str(number), None)
                    if attributes and attributes.get("hidden") in _HIDDEN:
                        self.hidden_rows.add(number)
                present = filled = 0
                for cell in cells:
                    value = cell["value"]
                    if value is not None:
                        present = 1
                        if value != "":
                            filled += 1
                if not present:
                    continue
                if filled:
                    self.cells += filled
                    if self.cells > self.max_cells:
                        raise WorkbookError(
                            TOO_MANY_CELLS.format(name=self.name, sheet=worksheet.title, limit=self.max_cells)
                        )
                    self.last_row = number
                if number < first_row or number > max_row:
                    continue
                values = [None] * width
                styles = [0] * width
                for cell in cells:
                    column = cell["column"]
                    if column <= width:
                        values[column - 1] = cell["value"]
                        styles[column - 1] = cell["style_id"]
                yield number, values, styles
            self._read_columns(parser.column_dimensions)

    def _read_columns(self, dimensions: dict[str, dict[str, str]]) -> None:
        for attributes in dimensions.values():
            if attributes.get("hidden") in _HIDDEN:
                first, last = int(attributes.get("min", 0)), int(attributes.get("max", 0))
                self.hidden_columns.update(range(first, min(last, HIDDEN_COLUMNS_READ) + 1))

    def fill(self, style_id: int):
        """The fill of cells with the style `style_id` (openpyxl's, as a read-only cell gives it)."""
        if style_id not in self._fills:
            self._fills[style_id] = ReadOnlyCell(self.worksheet, 1, 1, None, "n", style_id).fill
        return self._fills[style_id]
