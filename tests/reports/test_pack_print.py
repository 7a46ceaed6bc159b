"""The pack in print: a light cover, numbers on chart bars on a light label, a chart that shares its page."""

import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from common.charts import rag_bars
from common.colours import INK
from plans.rag import RAG_SERIES
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.reports.conftest import charts_in, pdf_pages

# Some tests only read a pack laid out once for the module (read_only): they use the database through it.
pytestmark = pytest.mark.django_db


def _render(plan, tmp_path, *extra):
    output = tmp_path / "pack.pdf"
    call_command("board_pack", plan.slug, "-o", str(output), *extra, stdout=io.StringIO())
    return output


def make_many_areas():
    """A plan of 23 areas, as the demo plan has: a tall chart by area."""
    plan = PlanFactory(slug="print", title="Print plan")
    for number in range(23):
        area = AreaFactory(plan=plan, title=f"Area number {number}", position=number)
        ActionFactory(plan=plan, area=area)
        ActionFactory(plan=plan, area=area, target_date=None)
    return plan


@pytest.fixture
def many_areas(db):
    return make_many_areas()


# The 23 areas' pack in each orientation, laid out once (about 2.5 s of CPU each) for the tests that only read it.
@pytest.fixture(scope="module")
def portrait_pack(read_only, tmp_path_factory):
    with read_only():
        return _render(make_many_areas(), tmp_path_factory.mktemp("portrait")).read_bytes()


@pytest.fixture(scope="module")
def landscape_pack(read_only, tmp_path_factory):
    with read_only():
        return _render(make_many_areas(), tmp_path_factory.mktemp("landscape"), "--landscape").read_bytes()


def test_every_number_on_a_bar_sits_on_a_white_label_in_ink():
    svg = str(rag_bars([("Front door", {"red": 2, "green": 11}), ("Workforce", {"amber": 3})], series=RAG_SERIES,
                       title="By area"))  # fmt: skip
    numbers = re.findall(r'<rect [^>]*fill="#fff"[^>]*/><text [^>]*class="value">(\d+)</text>', svg)
    assert sorted(numbers) == ["11", "2", "3"]
    # In ink, whatever the bar's colour: the chart's text is ink and no number sets a colour of its own.
    assert f'fill="{INK}"' in svg.split(">", 1)[0]
    assert re.findall(r'<text [^>]*class="value"', svg) and not re.findall(r'<text [^>]*fill=[^>]*class="value"', svg)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_chart_by_area_shares_the_summarys_first_page(request, orientation):
    pages = pdf_pages(request.getfixturevalue(f"{orientation}_pack"))
    summary = next(text for text in pages if "1. Executive summary" in text)
    assert "RAG status of actions by area" in summary  # the chart's caption: not pushed to the next page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_cover_is_light_to_print_in_black_and_white(portrait_pack, tmp_path):
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(portrait_pack)
    # The cover as a small greyscale image (PGM: a header, then one byte per pixel).
    grey = subprocess.run(
        ["pdftoppm", "-gray", "-r", "20", "-f", "1", "-l", "1", str(pdf)], capture_output=True, check=True
    ).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", grey)
    pixels = grey[header.end() :]
    assert len(pixels) == int(header[1]) * int(header[2])
    ink = sum(1 for value in pixels if value < 128) / len(pixels)
    assert ink < 0.15  # a band of colour and the words: not a page of solid navy (that was nearly all of it)


def test_the_chart_by_area_is_written_in_the_font_the_pack_ships(many_areas, tmp_path):
    output = tmp_path / "pack.html"
    call_command("board_pack", many_areas.slug, "--format", "html", "-o", str(output), stdout=io.StringIO())
    drawn = charts_in(output.read_text())  # the PDF's HTML carries its charts as SVG images
    chart = re.search(r'<svg role="img" aria-label="[^"]*by area[^"]*".*?</svg>', drawn, re.S)
    assert chart, "no chart by area in the pack"
    assert re.findall(r'font-family="([^"]*)"', chart.group()) == ["'Source Sans 3', sans-serif"]
