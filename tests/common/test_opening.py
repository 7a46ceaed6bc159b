"""The toolkit refuses files that are not a safe xlsx with a message naming the file, whichever importer asks."""

import io
import zipfile

import pytest

from common.spreadsheets import ReadLimits, read_sheets
from common.spreadsheets import opening as workbook
from tests.plans.importing.workbooks import xlsx

GOOD = [["Ref", "Action", "Target"], ["1", "Do it", "Dec 18"]]


def refused(data):
    with pytest.raises(workbook.WorkbookError) as raised:
        read_sheets(data, name="plan.xlsx", limits=ReadLimits(max_rows=100, max_columns=20, max_cells=10_000))
    return str(raised.value)


def rezip(data, replace):
    """The xlsx in `data` with some of its parts replaced: {part name: bytes}."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name in replace.keys() - set(source.namelist()):
            target.writestr(name, replace[name])
    return buffer.getvalue()


def pdf_bytes():
    from weasyprint import HTML

    return HTML(string="<p>Improvement plan</p>").write_pdf()


# A real Excel 97-2003 file starts with the OLE signature; so does an encrypted xlsx, which also names its
# EncryptionInfo stream. These headers are what the check reads; the rest of each file does not matter to it.
OLE = workbook.OLE_SIGNATURE + b"\x00" * 504
ENCRYPTED = OLE + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", workbook.EMPTY_FILE.format(name="plan.xlsx")),
        (OLE + "Workbook".encode("utf-16-le") + b"\x00" * 100, workbook.OLD_EXCEL.format(name="plan.xlsx")),
        (ENCRYPTED, workbook.PASSWORD_PROTECTED.format(name="plan.xlsx")),
        (b"Area,Action,Target\nLeadership,Set up board,Dec 18\n", workbook.A_TEXT_FILE.format(name="plan.xlsx")),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", workbook.NOT_A_WORKBOOK.format(name="plan.xlsx")),
    ],
    ids=["empty", "xls", "password", "csv", "image"],
)  # fmt: skip
def test_it_refuses_files_that_are_not_xlsx(data, expected):
    assert refused(data) == expected


def test_it_refuses_a_pdf():
    assert refused(pdf_bytes()) == workbook.A_PDF.format(name="plan.xlsx")


def test_it_refuses_a_truncated_file():
    message = refused(xlsx(GOOD)[:1500])
    assert message.startswith("plan.xlsx is damaged or incomplete")


def test_it_refuses_a_file_with_a_damaged_sheet():
    data = rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r='A1' t='s'><v>"})
    assert refused(data).startswith("plan.xlsx is damaged or incomplete")


def test_it_refuses_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as document:
        document.writestr("word/document.xml", "<w:document/>")
        document.writestr("[Content_Types].xml", "<Types/>")
    assert refused(buffer.getvalue()) == workbook.OTHER_ZIP.format(name="plan.xlsx")


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 1024
    message = refused(xlsx(GOOD * 50))
    assert message.startswith("plan.xlsx is 0.0 MB; the largest file that can be imported is 0.0 MB.")


def test_it_refuses_a_zip_bomb_from_its_declared_sizes(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    # 50 MB of zeros compresses to about 50 KB: past the ratio and the unpacked limit.
    data = rezip(xlsx(GOOD), {"xl/media/padding.bin": b"\x00" * (50 * 1024 * 1024)})
    message = refused(data)
    assert message.startswith("plan.xlsx would unpack to 50.")
    assert "refused as unsafe" in message


def test_it_refuses_an_xml_bomb():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Action</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>&lol3;</t></is></c>'
        b"</row></sheetData></worksheet>"
    )
    data = rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": laughs})
    assert refused(data) == workbook.UNSAFE_XML.format(name="plan.xlsx")


def test_it_opens_a_good_workbook_read_only():
    opened = workbook.open_workbook(xlsx(GOOD), name="plan.xlsx")
    assert opened.read_only and opened.sheetnames == ["Plan"]


def test_it_opens_a_whole_workbook_when_asked():
    assert not workbook.open_workbook(xlsx(GOOD), name="plan.xlsx", read_only=False).read_only
