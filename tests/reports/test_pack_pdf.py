"""Real PDFs of a small plan, read back: every action, page numbers, glossary, movement against the last pack."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from plans import roles
from plans.rag import Status
from plans.services import action_update
from reports.models import BoardPack
from reports.services import board_pack_create, board_pack_issue
from tests.factories import ActionFactory, AreaFactory, user_with_role
from tests.reports.conftest import days, make_small_plan, pdf_pages

# Some tests only read a pack laid out once for the module (read_only): they use the database through it.
pytestmark = pytest.mark.django_db


def _render(plan, tmp_path, *extra):
    output = tmp_path / "pack.pdf"
    call_command("board_pack", plan.slug, "-o", str(output), *extra, stdout=io.StringIO())
    return output.read_bytes()


def _flat(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def small_plan_pack(read_only, tmp_path_factory):
    """The small plan's pack as the command writes it, laid out once for the tests that only read it: the text of
    each page, and the plan's title and its actions' titles."""
    with read_only():
        plan, actions = make_small_plan(user_with_role(roles.ADMIN, username="admin-user"))
        pages = pdf_pages(_render(plan, tmp_path_factory.mktemp("pack")))
        return pages, plan.title, [action.title for action in actions.values()]


def test_it_shows_every_action_of_the_plan(small_plan_pack):
    pages, _plan_title, action_titles = small_plan_pack

    text = _flat(" ".join(pages))

    for title in action_titles:
        assert title in text
    assert "Commentary for action 1." in text
    assert "No applicants in the first round" in text  # why action 2 is at risk
    assert "Academy prospectus published" in text  # a milestone due before the next meeting


def test_it_numbers_every_page_after_the_cover(small_plan_pack):
    pages, plan_title, _action_titles = small_plan_pack

    total = len(pages)
    assert total >= 5
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
    assert plan_title in pages[2]  # the running header
    contents = _flat(pages[1])
    assert re.search(r"Glossary\s*\.*\s*\d+", contents)


def test_it_spells_out_sponsors_and_colours_in_the_glossary(small_plan_pack):
    pages, _plan_title, _action_titles = small_plan_pack

    # The glossary ends the pack's sections; the annexes (timeline, risk register) follow it.
    glossary = _flat(next(page for page in pages[2:] if "4. Glossary" in page))

    assert "Glossary" in glossary
    assert "ADCSC Assistant Director Children's Social Care" in glossary
    assert "HFS Head of Financial Services" in glossary
    assert "Red Overdue" in glossary
    assert "Amber At risk" in glossary
    assert "Grey Not started or timing to be confirmed" in glossary
    assert "MASH Multi-agency safeguarding hub" in glossary  # used in action 1's title


def test_it_measures_movement_against_the_last_issued_pack(small_plan, admin_user, tmp_path):
    plan, actions = small_plan
    first = board_pack_create(plan=plan, as_of=days(-1), meeting_date=days(0))
    first = board_pack_issue(pack=first, issued_by=admin_user)
    assert first.previous_rags()[actions["on_track"].pk] == "green"
    action_update(action=actions["on_track"], author=admin_user, status=Status.COMPLETED, commentary="Launched.")

    text = _flat(" ".join(pdf_pages(_render(plan, tmp_path, "--as-of", days(0).isoformat()))))

    issued = timezone.localtime(first.issued_at)
    assert (
        f"Movement is measured against the pack issued {issued:%-d %b %Y} for the meeting of {days(0):%-d %b %Y}"
        in text
    )
    assert "4 Launch the practice academy Green Blue Better" in text


def test_it_lays_out_landscape_when_asked(small_plan, tmp_path):
    plan, _actions = small_plan

    page = PdfReader(io.BytesIO(_render(plan, tmp_path, "--landscape"))).pages[3]

    assert page.mediabox.width > page.mediabox.height


def test_an_issued_pack_says_who_issued_it(small_plan, admin_user):
    plan, _actions = small_plan
    pack = board_pack_issue(
        pack=board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7)), issued_by=admin_user
    )

    cover = _flat(pdf_pages(pack.read_pdf())[0])

    assert pack.status == BoardPack.Status.ISSUED
    assert f"Issued by {admin_user.get_full_name()} on {pack.issued_at:%-d %B %Y}" in cover
    assert "Draft" not in cover


def test_the_command_writes_html_from_the_same_templates(small_plan, tmp_path):
    plan, actions = small_plan
    output = tmp_path / "pack.html"

    call_command("board_pack", plan.slug, "--format", "html", "-o", str(output), stdout=io.StringIO())

    html = output.read_text(encoding="utf-8")
    assert "/static/reports/pack.css" in html
    assert actions["at_risk"].title in html


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-plan"], 'No plan is called "no-such-plan".'),
        (["small-plan", "--as-of", "31/09/2026"], '"31/09/2026" is not a date: write it as YYYY-MM-DD.'),
    ],
)
def test_the_command_says_what_is_wrong(small_plan, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("board_pack", *arguments, "-o", str(tmp_path / "x.pdf"))


def test_long_tables_repeat_their_header_on_every_page(small_plan, tmp_path):
    plan, _actions = small_plan
    area = AreaFactory(plan=plan, title="A long area")
    for n in range(45):
        ActionFactory(plan=plan, area=area, ref=f"9.{n}", title=f"Long area action {n} {'with words ' * 12}ends{n}")

    pages = [_flat(text) for text in pdf_pages(_render(plan, tmp_path))]

    # The area's table, not the timeline annex that draws the same actions.
    with_rows = [text for text in pages if "Long area action" in text and "Annex A" not in text]
    assert len(with_rows) >= 3
    for text in with_rows:
        assert "Ref Action Lead and sponsor Target RAG Latest update" in text
    # Rows are never split: each action's reference and the end of its title sit on the same page.
    for n in range(45):
        [page] = [text for text in with_rows if f"9.{n} Long area action {n} " in text]
        assert f"ends{n} " in page
