"""The bounds every import reads a workbook within: rows, columns, cells holding values, and time.

A few kilobytes of xlsx can declare a million rows, a merged range over the whole sheet or one value at
XFD1048576; what a reader builds grows with what it reads, so the bounds are checked on the sheet's XML,
streamed, before any cell is read. Cells bound the memory (each one read becomes an object), the clock
bounds the rest (a web worker must never be wedged by one upload).
"""

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings

from .opening import TOO_MANY_CELLS, WorkbookError

__all__ = ["TOO_MANY_CELLS", "TOO_SLOW", "Budget", "ReadLimits"]

# Messages tests import (TOO_MANY_CELLS is raised by stream.SheetRows too, so it is kept in opening).
TOO_SLOW = (
    "{name} took longer than {seconds:g} seconds to read and was stopped; "
    "keep only the table to import in the workbook and try again."
)

Row = TypeVar("Row")


@dataclass(frozen=True)
class ReadLimits:
    """How much of one sheet an importer reads: rows and columns past these are cut with a warning, cells refused."""

    max_rows: int
    max_columns: int
    max_cells: int


class Budget:
    """The time one import may take to read its file (settings.IMPORT_MAX_SECONDS unless given)."""

    def __init__(self, *, name: str = "The file", seconds: float | None = None):
        self.name = name
        self.seconds = settings.IMPORT_MAX_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() >= self.deadline:
            raise WorkbookError(TOO_SLOW.format(name=self.name, seconds=self.seconds))

    def rows(self, rows: Iterable[Row], *, every: int = 256) -> Iterator[Row]:
        """`rows` as they come, the clock checked every `every` rows (a check per row would cost more than a row)."""
        for count, row in enumerate(rows):
            if count % every == 0:
                self.check()
            yield row
