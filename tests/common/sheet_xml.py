"""Workbooks edited where openpyxl cannot write them: the sheet's XML changed inside the zip, as an attacker would."""

import io
import re
import zipfile


def edit_sheet(data: bytes, change, *, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The xlsx in `data` with `change(xml text) -> xml text` applied to the sheet `part`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


def with_merged_range(reference: str):
    """Declares a merged range over `reference` ("D10:XFD1048576") and the sheet's dimension as the whole sheet."""

    def change(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        if "<mergeCells" in xml:
            return re.sub(r"<mergeCells[^>]*>", rf'\g<0><mergeCell ref="{reference}"/>', xml)
        return xml.replace("</sheetData>", f'</sheetData><mergeCells><mergeCell ref="{reference}"/></mergeCells>')

    return change


def with_value_at(reference: str, value: int = 1):
    """Adds one number at `reference` ("XFD1048576"), in a row of its own at the end of the sheet."""
    row = re.sub(r"[A-Z]+", "", reference)

    def change(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{reference}"/>', xml)
        return xml.replace("</sheetData>", f'<row r="{row}"><c r="{reference}"><v>{value}</v></c></row></sheetData>')

    return change
