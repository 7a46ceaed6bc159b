"""The pack is laid out with WeasyPrint's user-agent stylesheet, less the pseudo-elements no pack uses."""

from reports.pack_ua import pack_ua_stylesheet
from reports.rendering import html_to_pdf
from tests.reports.conftest import pdf_pages


def test_the_installed_weasyprints_stylesheet_is_the_one_it_scopes():
    # None would mean WeasyPrint's stylesheet no longer reads as expected, and its own (slower) one is used.
    assert pack_ua_stylesheet() is not None


def test_lists_keep_their_bullets_and_numbers():
    page = (
        '<!doctype html><html lang="en"><title>Lists</title><body><ul><li>Agree the policy</li></ul>'
        "<ol><li>First step</li><li>Second step</li></ol></body></html>"
    )

    text = pdf_pages(html_to_pdf(page).content)[0]

    # pypdf reads the markers after the items' text: the words, then "•", "1.", "2.".
    assert "Agree the policy" in text and "First step" in text
    assert text.split()[-3:] == ["•", "1.", "2."]
