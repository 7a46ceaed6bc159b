"""Reads one sheet of a read-only workbook in a single pass: each row's values, and what read-only openpyxl drops.

openpyxl's read-only rows carry neither the hidden flags of rows and columns nor a bound on how far the sheet
really goes, which `parts.WorkbookParts.layout` finds by streaming the sheet's XML a first time. An importer that
reads every row anyway gets them here from the one pass that reads the values.

The sheet's XML is read with the standard library's expat parser, its handlers keeping only each cell's column,
value and style: openpyxl builds an element per tag and an object per inline string, three to four times the
work for the same values. Values are read as openpyxl reads them with `data_only=True` (the workbook's own
shared strings, date styles and epoch; cached results of formulas), which tests/common/test_stream.py checks
against openpyxl cell by cell. As in `parts`, a part declaring a document type is refused before anything in
it is read, as defusedxml would refuse it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DTDForbidden
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from .limits import Budget
from .opening import TOO_MANY_CELLS, WorkbookError
from .parts import HIDDEN_COLUMNS_READ

_HIDDEN = ("1", "true")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN, _PHONETIC, _COLUMN = (
    _MAIN + tag for tag in ("row", "c", "v", "is", "t", "r", "rPh", "col")
)
_DIGITS = "0123456789"
_CHUNK = 64 * 1024

Cell = tuple[int, object, int]  # (column number, value, style id)


def _row_number(text: str) -> int:
    """A row's number as openpyxl reads it: "12", or "12.0" from some writers; never a fraction."""
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def _refuse_document_type(*_args) -> None:
    raise DTDForbidden(None, None, None)


class _CellLimit:
    """Counts cells as they are parsed: one row of a crafted sheet can hold millions, so the limit on filled cells
    and the clock are checked cell by cell, not only when a row ends."""

    def __init__(self, *, max_cells: int, budget: Budget, refusal: str):
        self.max_cells, self.budget, self.refusal = max_cells, budget, refusal
        self.seen = self.filled = 0

    def counted(self, value: object) -> None:
        self.seen += 1
        if self.seen % 4096 == 0:
            self.budget.check()
        if value is not None and value != "":
            self.filled += 1
            if self.filled > self.max_cells:
                raise WorkbookError(self.refusal)


class _SheetHandlers:
    """expat's callbacks for a worksheet part: each finished <row> as (number, hidden, cells), and hidden columns."""

    def __init__(self, workbook, shared_strings, *, limit: "_CellLimit"):
        self.shared_strings = shared_strings
        self.limit = limit
        self.date_styles = getattr(workbook, "_date_formats", None) or set()
        self.duration_styles = getattr(workbook, "_timedelta_formats", None) or set()
        self.epoch = workbook.epoch
        self.rows: list[tuple[int, bool, list[Cell]]] = []
        self.hidden_columns: set[int] = set()
        self.row_number = 0
        self.row_hidden = False
        self.cells: list[Cell] = []
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.value: str | None = None  # the <v> of the cell being read
        self.inline: list[str] | None = None  # the texts of its inline string's runs, when it has one
        self.plain: str | None = None  # the inline string's own text, before its runs
        self.run: str | None = None  # the text of the rich text run being read
        self.in_run = False
        self.phonetic = 0  # inside pronunciation guides (rPh), whose text is not the cell's
        self.text: list[str] | None = None  # character data being collected (<v> or <t>)

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _CELL:
            reference = attributes.get("r")
            if reference:
                self.column = column_index_from_string(reference.rstrip(_DIGITS))
            else:
                self.column += 1
            self.kind = attributes.get("t", "n")
            style = attributes.get("s")
            self.style = int(style) if style else 0
            self.value = self.inline = None
        elif tag == _VALUE:
            self.text = []
        elif tag == _TEXT:
            if self.inline is not None and not self.phonetic:
                self.text = []
        elif tag == _ROW:
            number = attributes.get("r")
            self.row_number = _row_number(number) if number else self.row_number + 1
            self.row_hidden = attributes.get("hidden") in _HIDDEN
            self.cells = []
            self.column = 0
        elif tag == _INLINE:
            self.inline = []
            self.plain = None
        elif tag == _RUN:
            self.in_run, self.run = True, None
        elif tag == _PHONETIC:
            self.phonetic += 1
        elif tag == _COLUMN and attributes.get("hidden") in _HIDDEN:
            first, last = int(attributes.get("min", 0)), int(attributes.get("max", 0))
            self.hidden_columns.update(range(first, min(last, HIDDEN_COLUMNS_READ) + 1))

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, tag: str) -> None:
        if tag == _CELL:
            value = self._cell_value()
            self.cells.append((self.column, value, self.style))
            self.limit.counted(value)
        elif tag == _VALUE:
            if self.text is not None and self.value is None:  # the first <v>, as openpyxl's findtext takes
                self.value = "".join(self.text) or None
            self.text = None
        elif tag == _TEXT:
            if self.text is not None:
                # openpyxl keeps the last <t> of the string and of each run (an attribute set once per element).
                if self.in_run:
                    self.run = "".join(self.text)
                else:
                    self.plain = "".join(self.text)
            self.text = None
        elif tag == _ROW:
            self.rows.append((self.row_number, self.row_hidden, self.cells))
        elif tag == _RUN:
            if self.run is not None and self.inline is not None:
                self.inline.append(self.run)
            self.in_run = False
        elif tag == _INLINE:
            if self.plain is not None:
                self.inline.insert(0, self.plain)
        elif tag == _PHONETIC:
            self.phonetic -= 1

    def _cell_value(self) -> object:
        kind = self.kind
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline is not None else None
        value = self.value
        if value is None:
            return None
        if kind == "n":
            number = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if self.style in self.date_styles:
                try:
                    return from_excel(number, self.epoch, timedelta=self.style in self.duration_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # what openpyxl reads for a date serial out of range
            return number
        if kind == "s":
            return self.shared_strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error such as #N/A)


@dataclass
class SheetRows:
    """The rows of `worksheet` from `first_row` to `max_row` that hold a value, `width` values each.

    Iterate once: (row number, values, style ids). Cells past `width` are not kept but count against `max_cells`
    (WorkbookError past it, as `cells.read_sheet` refuses); rows past `max_row` are read to the end only to
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
        worksheet = self.worksheet
        refusal = TOO_MANY_CELLS.format(name=self.name, sheet=worksheet.title, limit=self.max_cells)
        limit = _CellLimit(max_cells=self.max_cells, budget=self.budget, refusal=refusal)
        handlers = _SheetHandlers(worksheet.parent, worksheet._shared_strings, limit=limit)
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_document_type
        parser.StartElementHandler = handlers.start
        parser.EndElementHandler = handlers.end
        parser.CharacterDataHandler = handlers.characters
        read = 0
        with worksheet._get_source() as source:
            while True:
                chunk = source.read(_CHUNK)
                try:
                    parser.Parse(chunk, not chunk)
                except expat.ExpatError as error:
                    raise ParseError(str(error)) from error  # as openpyxl's parser reports a damaged part
                for number, hidden, cells in handlers.rows:
                    if read % 256 == 0:
                        self.budget.check()
                    read += 1
                    if hidden:
                        self.hidden_rows.add(number)
                    row = self._row(number, cells)
                    if row is not None:
                        yield row
                handlers.rows.clear()
                if not chunk:
                    break
        self.hidden_columns |= handlers.hidden_columns

    def _row(self, number: int, cells: list[Cell]) -> tuple[int, list, list[int]] | None:
        present = filled = 0
        for _column, value, _style in cells:
            if value is not None:
                present = 1
                if value != "":
                    filled += 1
        if not present:
            return None
        if filled:
            self.cells += filled  # against the limit as they were parsed (_CellLimit)
            self.last_row = number
        if number < self.first_row or number > self.max_row:
            return None
        width = self.width
        values = [None] * width
        styles = [0] * width
        for column, value, style in cells:
            if column <= width:
                values[column - 1] = value
                styles[column - 1] = style
        return number, values, styles

    def fill(self, style_id: int):
        """The fill of cells with the style `style_id` (openpyxl's, as a read-only cell gives it)."""
        if style_id not in self._fills:
            self._fills[style_id] = ReadOnlyCell(self.worksheet, 1, 1, None, "n", style_id).fill
        return self._fills[style_id]
