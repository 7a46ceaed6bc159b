"""The spreadsheet toolkit every importer uses: open an upload safely, read its cells, clean text, report problems.

Each importer knows only its own layouts and records; opening, checking and reading a workbook happen here.
"""

from .cells import Cell, SheetCells, read_sheet, read_sheets
from .limits import Budget, ReadLimits
from .opening import WorkbookError, check_workbook_bytes, hidden_rows_and_columns, open_workbook, unreadable
from .parts import WorkbookParts
from .problems import ERROR, WARNING, Problem
from .text import clean_text

__all__ = [
    "ERROR",
    "Budget",
    "ReadLimits",
    "WARNING",
    "Cell",
    "Problem",
    "SheetCells",
    "WorkbookError",
    "WorkbookParts",
    "check_workbook_bytes",
    "clean_text",
    "hidden_rows_and_columns",
    "open_workbook",
    "read_sheet",
    "read_sheets",
    "unreadable",
]
