"""Board packs as HTML and PDF from one set of templates, with WeasyPrint reading nothing but our static files.

The same template (`reports/pack/pack.html`) is the page a browser shows and the document WeasyPrint
lays out. WeasyPrint is handed a custom URL fetcher: a pack's stylesheet, fonts and images may come
only from the project's own static files, so nothing a user typed can make the server read a local
file (`file:///etc/passwd`), call another machine (`http://169.254.169.254/`) or embed either in a PDF.
"""

from __future__ import annotations

import base64
import binascii
import html as html_text
import mimetypes
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils._os import safe_join
from django.utils.html import format_html
from django.utils.safestring import SafeString

from . import pdf_libraries

pdf_libraries.load()  # before anything below imports WeasyPrint
# isort: split
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from . import pdf_page_refs, svg_text  # noqa: E402
from .pack_ua import PackHTML  # noqa: E402

if TYPE_CHECKING:
    from django.http import HttpRequest

PACK_TEMPLATE = "reports/pack/pack.html"
# Board papers must be accessible documents (Public Sector Bodies Accessibility Regulations): PDF/UA-1 tags the
# PDF (structure tree of headings, lists and tables; language and title from the page's <html lang> and <title>)
# so that a screen reader reads it in order.
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint needs an absolute base URL to resolve "/static/..." links. This origin exists only
# inside the renderer (".invalid" never resolves), so a URL on it can only mean one of our files.
PACK_ORIGIN = "https://board-pack.invalid"
REFUSED = "Refused {url}: a board pack may only use the tracker's own static files."
# The pack's charts reach WeasyPrint as SVG images in data: URLs, not as inline <svg>. WeasyPrint gives every element
# of an inline SVG a CSS style of its own (and six pseudo-elements' styles), then reads the SVG again as an image
# and throws those styles away: about 2,500 elements in the demo pack, 10,000 in a 1,000-action timeline. An image
# is read only the once. The fetcher below decodes these URLs and no other data: URL.
SVG_IMAGE = "data:image/svg+xml;base64,"
_LABEL = re.compile(r'\saria-label="([^"]*)"')
_CLASS = re.compile(r'\sclass="([^"]*)"')


def render_pack_html(context: Mapping[str, Any], *, request: HttpRequest | None = None) -> str:
    """The pack as an HTML document: the page a browser previews and the input to the PDF."""
    return render_to_string(PACK_TEMPLATE, context, request=request)


def svg_image(svg: str) -> SafeString:
    """A chart drawn as SVG (pygal's or our own) as an <img> for the PDF, with the chart's label as its text."""
    opening = svg[: svg.index(">")]
    label, css_class = _LABEL.search(opening), _CLASS.search(opening)
    return format_html(
        '<img class="{}" alt="{}" src="{}{}">',
        html_text.unescape(css_class[1]) if css_class else "",
        html_text.unescape(label[1]) if label else "",
        SVG_IMAGE,
        base64.b64encode(svg.encode()).decode("ascii"),
    )


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def html_to_pdf(
    html: str, *, on_progress: Callable[[int, str], None] | None = None, url_fetcher: URLFetcher | None = None
) -> RenderedPdf:
    """Lay out `html` as a PDF; `on_progress(percent, words)` hears how far it got."""
    url_fetcher = url_fetcher or StaticFilesOnly()
    report = on_progress or (lambda percent, words: None)
    report(40, "Laying out the pages")
    svg_text.install()
    pdf_page_refs.install()
    # presentational_hints stays off (its default): only our stylesheet decides how content looks.
    page = PackHTML(string=html, base_url=f"{PACK_ORIGIN}/", url_fetcher=url_fetcher)
    document = page.render(pdf_variant=PDF_VARIANT)
    report(80, f"Writing {len(document.pages)} pages to PDF")
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    report(95, "PDF written")
    return RenderedPdf(content=pdf, pages=len(document.pages))


def static_file_for(url: str) -> Path | None:
    """The static file a URL on the pack's origin names, or None for anything else (other hosts, schemes, ../)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != urlsplit(PACK_ORIGIN).netloc:
        return None
    prefix = urlsplit(static("")).path
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        return None
    relative = path[len(prefix) :]
    if not relative or posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
        return None
    try:
        found = finders.find(relative) or safe_join(str(settings.STATIC_ROOT), relative)
    except SuspiciousFileOperation:
        return None
    found = Path(found)
    return found if found.is_file() else None


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's URL fetcher, serving the project's static files and refusing every other URL.

    `refused` lists what was turned away, so callers (and tests) can tell that something tried.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(SVG_IMAGE):
            try:
                body = base64.b64decode(url[len(SVG_IMAGE) :], validate=True)
            except binascii.Error:
                raise ValueError(f"Not a chart: {url[:200]}") from None
            # What the SVG itself refers to comes back through this fetcher and is refused like the rest.
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/svg+xml"})
        path = static_file_for(url)
        if path is None:
            self.refused.append(url)
            # WeasyPrint catches this, logs a warning and leaves the resource out.
            raise ValueError(REFUSED.format(url=url[:200]))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
