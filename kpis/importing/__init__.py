"""Importing KPI workbooks: `read_workbook` finds and reads the tables, `kpis_import` writes them."""

from .result import ImportResult
from .service import kpis_import, kpis_import_bytes
from .uploads import kpis_upload_import, kpis_upload_preview
from .workbook import ImportFileError, read_workbook, read_workbook_bytes

__all__ = [
    "ImportFileError",
    "ImportResult",
    "kpis_import",
    "kpis_import_bytes",
    "kpis_upload_import",
    "kpis_upload_preview",
    "read_workbook",
    "read_workbook_bytes",
]
