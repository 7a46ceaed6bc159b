"""The renderer reads only the project's static files, and everything a user typed reaches the page as text."""

import http.server
import threading

import pytest
from pypdf import PdfReader

from plans.models import ActionUpdate
from reports.content import pack_html
from reports.models import BoardPack
from reports.rendering import PACK_ORIGIN, StaticFilesOnly, html_to_pdf, static_file_for, svg_image
from tests.reports.conftest import TODAY, charts_in, pdf_pages


@pytest.mark.parametrize(
    "url",
    [
        f"{PACK_ORIGIN}/static/reports/pack.css",
        f"{PACK_ORIGIN}/static/fonts/source-sans-3/source-sans-3-latin-400-normal.woff",
        f"{PACK_ORIGIN}/static/css/app.css",
    ],
)
def test_it_serves_the_projects_static_files(url):
    assert static_file_for(url).is_file()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/reports/pack.css",
        "https://example.org/static/reports/pack.css",
        "file:///etc/passwd",
        "file:///work/static/reports/pack.css",
        "data:text/css,body{color:red}",
        "ftp://example.org/x",
        f"{PACK_ORIGIN}/etc/passwd",
        f"{PACK_ORIGIN}/static/../improvement/settings.py",
        f"{PACK_ORIGIN}/static/%2e%2e/improvement/settings.py",
        f"{PACK_ORIGIN}/static/reports/../../manage.py",
        f"{PACK_ORIGIN}/static//etc/passwd",
        f"{PACK_ORIGIN}/static/reports/no-such-file.css",
        f"{PACK_ORIGIN}/static/",
        "http://board-pack.invalid/static/reports/pack.css",
    ],
)
def test_it_refuses_anything_else(url):
    assert static_file_for(url) is None


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    """A real HTTP server on this machine that records any request the renderer makes to it."""
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _CountingHandler.hits
    server.shutdown()
    server.server_close()


def test_it_fetches_nothing_from_the_network_or_the_disk(loopback_server):
    address, hits = loopback_server
    unsafe = [
        f"{address}/tracker.png",
        f"{address}/style.css",
        "file:///etc/passwd",
        "file:///etc/hostname",
        f"{address}/font.woff",
    ]
    html = f"""<html><head>
      <link rel="stylesheet" href="{unsafe[1]}">
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="attachment" href="file:///etc/hostname" title="leak">
      <style>@font-face {{ font-family: Leak; src: url("{unsafe[4]}"); }} body {{ font-family: Leak; }}</style>
      </head><body>
      <p>Board pack body</p>
      <img src="{unsafe[0]}" alt="remote">
      <img src="file:///etc/passwd" alt="local">
      <object data="file:///etc/passwd"></object>
      </body></html>"""
    fetcher = StaticFilesOnly()

    rendered = html_to_pdf(html, url_fetcher=fetcher)

    assert hits == []
    assert set(unsafe) <= set(fetcher.refused)
    reader = PdfReader(__import__("io").BytesIO(rendered.content))
    assert reader.attachments == {}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Board pack body" in text
    assert "root:" not in text


def test_a_chart_is_an_image_whose_own_references_are_refused(loopback_server):
    address, hits = loopback_server
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 40" '
        'class="pygal-chart" role="img" aria-label="Actions &amp; their &lt;colours&gt;">'
        f'<image href="{address}/beacon.png" width="10" height="10"/><image xlink:href="file:///etc/passwd" '
        'width="10" height="10"/><text x="4" y="20" font-size="12">Chart label</text></svg>'
    )
    image = svg_image(chart)
    fetcher = StaticFilesOnly()

    rendered = html_to_pdf(f'<html lang="en"><title>Charts</title><body>{image}</body></html>', url_fetcher=fetcher)

    assert image.startswith('<img class="pygal-chart" alt="Actions &amp; their &lt;colours&gt;" src="data:image/svg')
    assert "Chart label" in pdf_pages(rendered.content)[0]
    assert hits == []
    assert {f"{address}/beacon.png", "file:///etc/passwd"} <= set(fetcher.refused)


@pytest.mark.parametrize(
    "url", ["data:text/css,body{color:red}", "data:image/png;base64,iVBORw0KGgo=", "data:image/svg+xml;base64,%%%"]
)
def test_it_decodes_no_other_data_url(url):
    with pytest.raises(ValueError, match="board pack|Not a chart"):
        StaticFilesOnly().fetch(url)


def test_it_fetches_its_own_stylesheet_and_fonts():
    html = '<html><head><link rel="stylesheet" href="/static/reports/pack.css"></head><body><p>x</p></body></html>'
    fetcher = StaticFilesOnly()

    html_to_pdf(html, url_fetcher=fetcher)

    assert fetcher.refused == []


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<link href=file:///etc/passwd>",
    '<img src="http://127.0.0.1:9/beacon.png">',
]


@pytest.fixture
def hostile_plan(small_plan, admin_user):
    plan, actions = small_plan
    action = actions["overdue"]
    action.title = f"Review {HOSTILE[0]} and {HOSTILE[1]}"
    action.save()
    ActionUpdate.objects.create(
        action=action, author=admin_user, status=action.status, rag="red",
        commentary=f"See {HOSTILE[2]} then {HOSTILE[3]}",
    )  # fmt: skip
    actions["at_risk"].area.title = f"Front door {HOSTILE[1]}"
    actions["at_risk"].area.save()
    return plan


def test_it_escapes_what_users_typed_in_the_html(hostile_plan):
    html = pack_html(BoardPack(plan=hostile_plan, as_of=TODAY, meeting_date=TODAY))

    for text in HOSTILE:
        assert text not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;link href=file:///etc/passwd&gt;" in html
    charts = charts_in(html)  # the timeline draws the action's title: escaped there too
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in charts
    for text in HOSTILE:
        assert text not in charts


def test_it_shows_what_users_typed_as_text_in_the_pdf(hostile_plan, loopback_server):
    _address, hits = loopback_server
    fetcher = StaticFilesOnly()

    rendered = html_to_pdf(
        pack_html(BoardPack(plan=hostile_plan, as_of=TODAY, meeting_date=TODAY)), url_fetcher=fetcher
    )

    # Long words wrap at slashes in the narrow columns, so compare without spaces and line breaks.
    text = "".join("".join(pdf_pages(rendered.content)).split())
    for typed in HOSTILE:
        assert "".join(typed.split()) in text
    assert fetcher.refused == []  # the typed URLs were text, never something to fetch
    assert hits == []
