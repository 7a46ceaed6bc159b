"""SVG labels in the pack's PDF are laid out and drawn a run at a time; letters placed one by one still are."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from reports.rendering import html_to_pdf
from reports.svg_text import placed_per_letter
from tests.reports.conftest import pdf_pages

LABEL = "Review the MASH threshold"


def _page(text_attributes):
    return (
        '<!doctype html><html lang="en"><title>Chart</title><body>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 60" width="400" height="60">'
        f'<text x="390" y="30" text-anchor="end" font-size="14" {text_attributes}>{LABEL}</text></svg></body></html>'
    )


def _text_shows(content):
    """How many text-showing operators (Tj, TJ) the PDF's streams hold: one per run drawn, or one per letter."""
    reader = PdfReader(io.BytesIO(content))
    count = 0
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if hasattr(obj, "get_data"):
            count += len(re.findall(rb"(?:\]|\))\s*T[Jj]\b", obj.get_data()))
    return count


def test_a_label_is_one_run_of_text_in_the_pdf(db):
    content = html_to_pdf(_page("")).content

    assert LABEL in " ".join(pdf_pages(content)[0].split())
    assert _text_shows(content) == 1


def test_letters_placed_one_by_one_are_still_drawn_one_by_one(db):
    content = html_to_pdf(_page('dx="0 2 2 2"')).content

    assert _text_shows(content) == len(LABEL.replace(" ", ""))  # WeasyPrint draws no spaces on their own


@pytest.mark.parametrize(
    ("attributes", "per_letter"),
    [
        ('x="4" y="12"', False),
        ('x="4"', False),
        ("", False),
        ('dx="0"', False),
        ('x="4 10 16" y="12"', True),
        ('x="4" y="12,14"', True),
        ('x="4" dx="3"', True),
        ('x="4" dy="1 1"', True),
        ('x="4" rotate="30"', True),
        ('x="4" letter-spacing="2"', True),
        ('x="4" textLength="80"', True),
    ],
)
def test_it_knows_which_text_places_its_letters_one_by_one(attributes, per_letter):
    assert placed_per_letter(ET.fromstring(f"<text {attributes}>Label</text>")) is per_letter
