"""The pack's tagged PDF gives each structure element its own page, with page references formatted once per page."""

import io

import pydyf
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from reports import pdf_page_refs
from reports.rendering import html_to_pdf

cached = pytest.mark.skipif(not pdf_page_refs.install(), reason="another pydyf or WeasyPrint: pydyf's own property")


@cached
def test_it_gives_pydyfs_references_and_formats_them_again_only_when_a_page_is_added():
    pdf = pydyf.PDF()
    for number in range(5):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        pdf.add_object(pydyf.Dictionary({"Type": "/Annot"}))  # other objects between pages: numbers are not 1, 2, 3

        assert pdf.page_references == pdf_page_refs.OWN.fget(pdf)
        assert len(pdf.page_references) == number + 1
        assert pdf.page_references is pdf.page_references


def _headings_by_page(content):
    """{heading text's page number: [heading tag, ...]} from the PDF's structure tree, pages counted from 1."""
    reader = PdfReader(io.BytesIO(content))
    pages = {page.indirect_reference.idnum: index + 1 for index, page in enumerate(reader.pages)}
    found = {}

    def walk(element):
        element = element.get_object()
        if isinstance(element, ArrayObject):
            for child in element:
                walk(child)
        elif isinstance(element, DictionaryObject):
            if str(element.get("/S", "")).startswith("/H") and "/Pg" in element:
                found.setdefault(pages[element.raw_get("/Pg").idnum], []).append(str(element["/S"]))
            if "/K" in element:
                walk(element["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@cached
def test_each_heading_is_tagged_on_the_page_it_is_printed_on(db):
    page = (
        '<!doctype html><html lang="en"><title>Pages</title><body>'
        + "".join(f'<h{level} style="break-before: page">Part {level}</h{level}>' for level in (1, 2, 3, 4))
        + "</body></html>"
    )

    assert _headings_by_page(html_to_pdf(page).content) == {1: ["/H1"], 2: ["/H2"], 3: ["/H3"], 4: ["/H4"]}
