"""WeasyPrint's HTML document with its user-agent stylesheet's pseudo-elements kept to those a board pack uses.

WeasyPrint 70's user-agent stylesheet styles `::marker`, `::footnote-call`, `::footnote-marker`, `::note-call`,
`::note-marker` and `::note-callback` with no element named, so every element of a document gets six pseudo-element
styles computed, used or not: about 25,000 in the demo pack, a tenth of its layout time. A pack has no footnotes or
notes and its only markers are its lists' bullets, so `PackHTML` scopes those rules to list items and to an attribute
nothing in a pack carries; everything else is WeasyPrint's own stylesheet, read from the installed WeasyPrint.
"""

from __future__ import annotations

import functools

from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle

UNUSED_PSEUDO_ELEMENTS = ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")
# Footnotes and notes are styled only where an element asks for them with this attribute, which no pack writes.
NO_NOTES = "data-pack-has-no-notes"


@functools.cache
def pack_ua_stylesheet() -> CSS | None:
    """WeasyPrint's user-agent stylesheet, its pseudo-element rules scoped as above; None if it reads otherwise."""
    text = weasyprint_html.UA
    rules = [("::marker {", "li::marker {")]
    rules += [(f"::{name} {{", f"[{NO_NOTES}]::{name} {{") for name in UNUSED_PSEUDO_ELEMENTS]
    for rule, scoped in rules:
        if text.count(rule) != 1:
            return None  # another WeasyPrint, another stylesheet: keep its own
        text = text.replace(rule, scoped)
    # Its @counter-style rules are read into a dictionary of their own: the document's counter styles are still
    # WeasyPrint's (HTML._ua_counter_style), which already hold them, and refuse 'disc' and 'decimal' a second time.
    return CSS(string=text, counter_style=CounterStyle())


class PackHTML(HTML):
    """An HTML document laid out with `pack_ua_stylesheet()` (WeasyPrint's own when that is None, or for forms)."""

    def _ua_stylesheets(self, forms=False):
        sheet = None if forms else pack_ua_stylesheet()
        return [sheet] if sheet is not None else super()._ua_stylesheets(forms)
