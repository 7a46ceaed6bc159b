"""The spreadsheet toolkit every importer uses: open an upload safely, read its cells, clean text, report problems.

Each importer knows only its own layouts and records; opening, checking and reading a workbook happen here.

Names are imported from their modules on first use: the models import `uploads` (PendingUpload), which loads this
package in every process, and openpyxl, which `cells` and `opening` need, is a tenth of a second that a process
making a board pack or serving a page never uses (issue 20).
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cells import Cell, SheetCells, read_sheet, read_sheets
    from .limits import Budget, ReadLimits
    from .opening import WorkbookError, check_workbook_bytes, hidden_rows_and_columns, open_workbook, unreadable
    from .parts import WorkbookParts
    from .problems import ERROR, WARNING, Problem
    from .text import clean_text

_MODULE_OF = {
    **dict.fromkeys(["Cell", "SheetCells", "read_sheet", "read_sheets"], "cells"),
    **dict.fromkeys(["Budget", "ReadLimits"], "limits"),
    **dict.fromkeys(
        ["WorkbookError", "check_workbook_bytes", "hidden_rows_and_columns", "open_workbook", "unreadable"], "opening"
    ),
    "WorkbookParts": "parts",
    **dict.fromkeys(["ERROR", "WARNING", "Problem"], "problems"),
    "clean_text": "text",
}

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


def __getattr__(name):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value  # found here directly from now on
    return value
