"""The pack's annexes: the timeline on landscape pages (whatever the pack's orientation), the risk register with
its heat map, read back from real PDFs."""

import io
import re

from django.core.management import call_command
from pypdf import PdfReader

from plans.risks.services import action_prerequisite_add, risk_create
from plans.summary import plan_summary
from reports import pack_annexes
from reports.content import pack_context, pack_html
from reports.models import BoardPack
from tests.plans.test_dashboard import big_plan
from tests.reports.conftest import TODAY, charts_in


def _render(plan, tmp_path, *extra, format="pdf"):
    output = tmp_path / f"pack.{format}"
    call_command("board_pack", plan.slug, "--format", format, "-o", str(output), *extra, stdout=io.StringIO())
    return output.read_bytes()


def test_the_timeline_annex_is_landscape_and_draws_every_action(small_plan, tmp_path):
    plan, actions = small_plan
    action_prerequisite_add(action=actions["at_risk"], prerequisite=actions["overdue"])

    html = _render(plan, tmp_path, format="html").decode()
    reader = PdfReader(io.BytesIO(_render(plan, tmp_path)))

    drawn = charts_in(html)  # the PDF's HTML carries the charts as SVG images
    assert sorted(re.findall(r'data-ref="([^"]+)"', drawn)) == ["1", "2", "3", "4", "5"]
    assert "2 depends on 1, which is late" in drawn
    pages = [(page.extract_text(), page.mediabox) for page in reader.pages]
    annex = [box for text, box in pages[2:] if "Annex A: work stream timeline" in text]
    assert annex, "no page of the timeline annex"
    assert all(box.width > box.height for box in annex)  # landscape in a portrait pack
    assert pages[2][1].width < pages[2][1].height  # the pack itself stays portrait
    timeline_text = " ".join(" ".join(text.split()) for text, box in pages if box.width > box.height)
    assert "Review the MASH threshold" in timeline_text and "Waiting on a late prerequisite" in timeline_text
    assert "Annex A: work stream timeline" in " ".join(pages[1][0].split())  # in the contents


def test_the_timeline_links_actions_to_their_pages_in_the_preview_and_labels_them_in_the_pdf(small_plan, tmp_path):
    plan, actions = small_plan
    pack = BoardPack(plan=plan, as_of=TODAY, meeting_date=TODAY)

    preview = "".join(pack_context(pack, preview=True)["annexes"]["timeline"])
    for_pdf = charts_in(pack_html(pack))

    for action in actions.values():
        assert f'<a href="{action.get_absolute_url()}" aria-label="Action {action.ref}: ' in preview
        assert f'<g aria-label="Action {action.ref}: ' in for_pdf  # an image in the PDF: a link would lead nowhere
    assert "<a " not in for_pdf


def test_the_risk_annex_lists_the_register_with_its_heat_map(small_plan, tmp_path):
    plan, actions = small_plan
    risk_create(plan=plan, ref="R1", title="Agency <b>staff</b> leave", likelihood=4, impact=5, owner="ADCSC",
                mitigations=[actions["overdue"]])  # fmt: skip

    html = _render(plan, tmp_path, format="html").decode()
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(_render(plan, tmp_path))).pages
    )

    assert 'class="risk-heat-map"' in html and "<b>staff</b>" not in html
    assert "Annex B: risk register" in text
    assert "Agency <b>staff</b> leave" in text  # written as text, not read as markup
    assert "mitigated by 1 (Red)" in text
    assert "Scores: High 15–25" in text


def test_a_plan_without_risks_has_no_risk_annex(small_plan, tmp_path):
    plan, _actions = small_plan
    html = _render(plan, tmp_path, format="html").decode()
    assert "Annex B" not in html and "Annex A" in html


def test_a_long_plan_is_cut_into_page_sized_timelines_each_area_continued_under_its_title(db):
    plan = big_plan(60, areas=2, updates_per_action=1)
    summary = plan_summary(plan, as_of=TODAY)

    pages = pack_annexes._pages(summary)

    assert all(sum(len(rows) + 1 for _title, rows in page) <= pack_annexes.ROWS_PER_PAGE for page in pages)
    assert sum(len(rows) for page in pages for _title, rows in page) == 60
    titles = [title for page in pages for title, _rows in page]
    assert titles[1].endswith("(continued)")
