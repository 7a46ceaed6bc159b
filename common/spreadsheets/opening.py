"""Opens an uploaded workbook safely: refuses what is not an xlsx, too big, encrypted or built to explode."""

import io
import zipfile
import zlib
from typing import Protocol
from xml.etree.ElementTree import ParseError

import openpyxl
from django.conf import settings
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from .parts import WorkbookParts

# Messages tests import; {name} is the file name as uploaded.
EMPTY_FILE = "{name} is empty."
TOO_BIG = "{name} is {size}; the largest file that can be imported is {limit}."
A_PDF = "{name} is a PDF. Import the Excel workbook (.xlsx) it was made from instead."
OLD_EXCEL = "{name} is an old Excel 97–2003 workbook (.xls). Open it in Excel and save it as .xlsx, then import that."
PASSWORD_PROTECTED = (
    "{name} is protected by a password. Remove the password in Excel (File › Info › Protect Workbook) and import again."
)
A_TEXT_FILE = (
    "{name} is a text file (CSV or similar), not an Excel workbook. Open it in Excel and save it as .xlsx, "
    "then import that."
)
NOT_A_WORKBOOK = "{name} is not an Excel workbook (.xlsx)."
OTHER_ZIP = (
    "{name} is not an Excel workbook: it is a zip of other files (a Word or OpenDocument file?). Save it as .xlsx."
)
CORRUPT = "{name} is damaged or incomplete (was the upload cut short?) and cannot be read: {reason}"
TOO_MANY_CELLS = (
    "{name}: the sheet “{sheet}” holds more than {limit:,} filled cells, more than an import reads; "
    "keep only the table to import in the workbook and try again."
)
ZIP_BOMB = "{name} would unpack to {size}, more than the {limit} a plan needs; it was refused as unsafe."
UNSAFE_XML = "{name} contains XML that could be used to attack the server (entity declarations); it was refused."

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel stores an encrypted xlsx inside an OLE container with this stream name (UTF-16).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# Past this ratio a part is not a spreadsheet any more: real sheets compress 5-20 times.
MAX_COMPRESSION_RATIO = 200


class WorkbookError(Exception):
    """A file that cannot be imported; the message says why in the user's words."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_workbook_bytes(data: bytes, *, name: str = "The file") -> None:
    """Raise WorkbookError unless `data` looks like an xlsx that is safe to open."""
    if not data:
        raise WorkbookError(EMPTY_FILE.format(name=name))
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise WorkbookError(TOO_BIG.format(name=name, size=_megabytes(len(data)), limit=_megabytes(limit)))
    if data.startswith(b"%PDF"):
        raise WorkbookError(A_PDF.format(name=name))
    if data.startswith(OLE_SIGNATURE):
        if ENCRYPTION_STREAM in data:
            raise WorkbookError(PASSWORD_PROTECTED.format(name=name))
        raise WorkbookError(OLD_EXCEL.format(name=name))
    if not data.startswith(b"PK"):
        if _looks_like_text(data):
            raise WorkbookError(A_TEXT_FILE.format(name=name))
        raise WorkbookError(NOT_A_WORKBOOK.format(name=name))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise WorkbookError(CORRUPT.format(name=name, reason=error)) from error
    # The declared sizes are what an attacker controls, but zipfile refuses to inflate a member past
    # its declared size, so checking them here bounds what openpyxl can be made to unpack.
    unpacked = sum(member.file_size for member in members)
    unpacked_limit = settings.IMPORT_MAX_UNPACKED_BYTES
    too_compressed = any(
        member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
        for member in members
        if member.file_size > 1024 * 1024
    )
    if unpacked > unpacked_limit or too_compressed:
        raise WorkbookError(ZIP_BOMB.format(name=name, size=_megabytes(unpacked), limit=_megabytes(unpacked_limit)))
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise WorkbookError(OTHER_ZIP.format(name=name))


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def open_workbook(data: bytes, *, name: str = "The file", read_only: bool = True) -> Workbook:
    """The workbook in `data` once the bytes pass every check; read-only (fast, low memory) unless asked otherwise."""
    check_workbook_bytes(data, name=name)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files; unreadable sorts them out
        raise unreadable(error, name=name) from error


def unreadable(error: BaseException, *, name: str = "The file") -> WorkbookError:
    """The WorkbookError to raise when openpyxl fails part way through a file (it raises many kinds)."""
    cause = error
    for _ in range(10):  # openpyxl wraps the parser's error in its own
        if cause is None:
            break
        if type(cause).__module__.startswith("defusedxml"):
            return WorkbookError(UNSAFE_XML.format(name=name))
        cause = cause.__cause__ or cause.__context__
    reason = str(error) or type(error).__name__
    return WorkbookError(CORRUPT.format(name=name, reason=reason[:200]))


# The errors a damaged part of a workbook can cause while it is read, after opening: a part missing or cut
# short, XML that does not parse or that defusedxml refuses (a ValueError), a value or index that does not fit.
# Anything else is a bug in our code and is left to surface.
FILE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    IndexError,
    OSError,
    EOFError,
    ParseError,
    ValueError,
    InvalidFileException,
)


class _Titled(Protocol):
    title: str


def hidden_rows_and_columns(data: bytes, worksheet: _Titled) -> tuple[set[int], set[int]]:
    """(row numbers, column numbers) that Excel hides on `worksheet` of the workbook in `data`; empty if unknown.

    Hidden rows and columns are flags on the sheet's <row> and <col> tags, which read-only openpyxl does not keep.
    """
    try:
        layout = WorkbookParts(data).layout(worksheet.title)
    except FILE_ERRORS:
        return set(), set()
    return layout.hidden_rows, layout.hidden_columns
