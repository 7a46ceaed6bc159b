"""Importing KPI workbooks: `read_workbook` finds and reads the tables, `kpis_import` writes them."""

from .service import ImportResult, kpis_import
from .workbook import ImportFileError, read_workbook

__all__ = ["ImportFileError", "ImportResult", "kpis_import", "read_workbook"]
