"""The PDF's list of page references made once per page added, not once per tagged box: a large pack's tagging was
quadratic in its pages.

PDF/UA tagging (reports.rendering.PDF_VARIANT) gives every structure element the page it sits on. WeasyPrint 70 reads
that page as `pdf.page_references[page_number]`, and pydyf 0.13's `page_references` is a property that formats a
reference for every page of the document on each read: 67,000 reads of 344 pages (23 million references formatted)
for the 1,000-action pack, about a twelfth of its time (issue 20). `install()` makes the property hand back the same
tuple until a page is added. Under any other pydyf or WeasyPrint the property stays as it is: they may have moved.
"""

from __future__ import annotations

import pydyf
import weasyprint

# The versions whose page references this caches (pyproject.toml pins WeasyPrint; pydyf comes with it, >= 0.11).
REPLACES = {"pydyf": "0.13.0", "weasyprint": "70.0"}
OWN = pydyf.PDF.page_references  # pydyf's own property, kept for tests and for comparison
_CACHE = "_pack_page_references"


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `page_references`, formatted again only when the list of pages has changed (pages are only added)."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get(_CACHE)
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        cached = (kids, len(kids), OWN.fget(pdf))
        pdf.__dict__[_CACHE] = cached
    return cached[2]


def install() -> bool:
    """Cache page references from now on in this process; False when pydyf or WeasyPrint is not the one."""
    if (pydyf.__version__, weasyprint.__version__) != (REPLACES["pydyf"], REPLACES["weasyprint"]):
        return False
    pydyf.PDF.page_references = property(_page_references, doc=OWN.__doc__)
    return True
