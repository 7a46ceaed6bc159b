"""What openpyxl's read-only mode does not read from an xlsx: hidden rows and columns, merged cells, comments.

Read with the standard library from the zip's own parts (through defusedxml, as openpyxl does), so nothing
depends on openpyxl's private attributes, and streamed so that a large sheet is never held whole in memory.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import XMLPullParser

from defusedxml import DTDForbidden, ElementTree
from openpyxl.utils.cell import column_index_from_string as column_number
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

if TYPE_CHECKING:
    from .limits import Budget

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
COMMENTS = "/comments"  # the end of the comments relationship's type, in both the strict and transitional schemas
DOCTYPE = b"<!DOCTYPE"
# A hidden range can run to the last column (16,384): only the first columns can hold a table.
HIDDEN_COLUMNS_READ = 1000


@dataclass
class SheetLayout:
    """One sheet's cells that hold a value (how far they go), hidden rows and columns, merged ranges."""

    last_row: int = 0
    last_column: int = 0
    row_ends: dict[int, int] = field(default_factory=dict)  # row number -> its last column holding a value
    cells: int = 0  # holding a value, counted up to the reader's limit
    too_many_cells: bool = False  # streaming stopped there: the rest of the sheet was not looked at
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first column, first row, last ...)


class WorkbookParts:
    """The sheet parts of the xlsx in `data`, found by name through the workbook's relationships."""

    def __init__(self, data: bytes):
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self._sheet_parts: dict[str, str] | None = None

    def _xml(self, part: str):
        return ElementTree.fromstring(self.archive.read(part))

    def _relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part) of each relationship of `part`; none when it has no relationships."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.archive.namelist():
            return []
        found = []
        for relationship in self._xml(rels).iter(f"{PACKAGE}Relationship"):
            target = relationship.get("Target", "")
            if target.startswith("/"):  # openpyxl writes targets from the package's root, Excel from the part's folder
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            found.append((relationship.get("Id", ""), relationship.get("Type", ""), target))
        return found

    def sheet_part(self, title: str) -> str | None:
        """The zip member holding the sheet called `title` ("xl/worksheets/sheet1.xml"), or None."""
        if self._sheet_parts is None:
            targets = {rid: target for rid, _type, target in self._relationships("xl/workbook.xml")}
            self._sheet_parts = {
                sheet.get("name", ""): targets.get(sheet.get(RELATIONSHIP_ID, ""), "")
                for sheet in self._xml("xl/workbook.xml").iter(f"{MAIN}sheet")
            }
        part = self._sheet_parts.get(title)
        return part if part in self.archive.namelist() else None

    def layout(self, title: str, *, max_cells: int | None = None, budget: "Budget | None" = None) -> SheetLayout:
        """How far the sheet's values go, what it hides and merges; empty when the sheet cannot be found.

        Streaming stops once more than `max_cells` cells hold a value (`too_many_cells`), and `budget`'s clock is
        checked as rows go by: the XML of a small upload can still unpack to millions of cells.
        """
        layout = SheetLayout()
        part = self.sheet_part(title)
        if part is None:
            return layout
        with self.archive.open(part) as stream:
            sheet_data = None
            rows_seen = 0
            for event, element in _stream_events(stream):
                tag = element.tag
                if event == "start":
                    if tag == f"{MAIN}sheetData":
                        sheet_data = element
                    continue
                if tag == f"{MAIN}c":
                    if _holds_value(element) and (reference := element.get("r")):
                        letters, row = coordinate_from_string(reference)
                        column = column_number(letters)
                        layout.last_row = max(layout.last_row, row)
                        layout.last_column = max(layout.last_column, column)
                        layout.row_ends[row] = max(layout.row_ends.get(row, 0), column)
                        layout.cells += 1
                        if max_cells is not None and layout.cells > max_cells:
                            layout.too_many_cells = True
                            return layout
                elif tag == f"{MAIN}row":
                    if element.get("hidden") in ("1", "true") and element.get("r"):
                        layout.hidden_rows.add(int(element.get("r")))
                    if sheet_data is not None:
                        sheet_data.clear()  # rows already read are not kept
                    rows_seen += 1
                    if budget is not None and rows_seen % 256 == 0:
                        budget.check()
                elif tag == f"{MAIN}col":
                    if element.get("hidden") in ("1", "true"):
                        first, last = int(element.get("min", 0)), int(element.get("max", 0))
                        layout.hidden_columns.update(range(first, min(last, HIDDEN_COLUMNS_READ) + 1))
                elif tag == f"{MAIN}mergeCell" and element.get("ref"):
                    layout.merged.append(range_boundaries(element.get("ref")))
        return layout

    def comments(self, title: str) -> dict[str, str]:
        """{"C5": "the comment's text"} for the sheet called `title`."""
        part = self.sheet_part(title)
        if part is None:
            return {}
        found = {}
        for _rid, kind, target in self._relationships(part):
            if not kind.endswith(COMMENTS) or target not in self.archive.namelist():
                continue
            for comment in self._xml(target).iter(f"{MAIN}comment"):
                text = comment.find(f"{MAIN}text")
                if text is not None:
                    # Runs' text, not the phonetic guides (rPh) some East Asian versions of Excel add.
                    runs = [text.find(f"{MAIN}t"), *(run.find(f"{MAIN}t") for run in text.iter(f"{MAIN}r"))]
                    found[comment.get("ref", "")] = "".join(t.text or "" for t in runs if t is not None)
        return found


def _stream_events(stream, *, chunk_size: int = 64 * 1024):
    """("start" or "end", element) of the XML in `stream`, parsed by the standard library's C parser.

    defusedxml's parser is pure Python, about ten times slower, and a sheet's part can hold millions of cells.
    What it guards against (entity expansion, external entities) needs a document type declaration, so a part
    holding one is refused here as defusedxml would refuse it, before anything in it is parsed.
    """
    parser = XMLPullParser(events=("start", "end"))
    tail = b""
    while chunk := stream.read(chunk_size):
        if DOCTYPE in tail + chunk:  # across the boundary between two chunks too
            raise DTDForbidden(None, None, None)
        tail = chunk[-len(DOCTYPE) :]
        parser.feed(chunk)
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _holds_value(cell) -> bool:
    """A cached value or inline text: a cell with only a style or a formula never calculated holds nothing."""
    value = cell.find(f"{MAIN}v")
    if value is not None:
        return bool(value.text)
    inline = cell.find(f"{MAIN}is")
    return inline is not None and any(t.text for t in inline.iter(f"{MAIN}t"))
