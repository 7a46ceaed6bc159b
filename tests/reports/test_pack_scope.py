"""Packs scoped to chosen areas, themes and parts: the board_pack command's --area contract, and the stored scope.

A committee that oversees some areas gets a pack with only their actions and exceptions, read back from the PDF.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.models import Theme
from plans.rag import Status
from reports import services
from reports.content import pack_html
from reports.models import BoardPack, BoardPackEntry
from reports.pack_scope import NO_PARTS, PackScope, scope_for
from reports.rendering import html_to_pdf
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.reports.conftest import days, pdf_pages


@pytest.fixture
def three_areas(db):
    """Three numbered areas, each with an overdue action and one on track; refs say which area they belong to."""
    plan = PlanFactory(slug="scoped-plan", title="Scoped Improvement Plan")
    safeguarding = Theme.objects.create(plan=plan, title="Safeguarding", position=1)
    areas = {
        "front": AreaFactory(plan=plan, number="1", title="Front door", theme=safeguarding),
        "cin": AreaFactory(plan=plan, number="2", title="Children in need", theme=safeguarding),
        "workforce": AreaFactory(plan=plan, number="3", title="Workforce"),
    }
    for key, area in areas.items():
        prefix = key[:2].upper()
        ActionFactory(plan=plan, area=area, ref=f"{prefix}-101", title=f"Overdue work of {area.title}",
                      target_date=days(-10), status=Status.IN_PROGRESS)  # fmt: skip
        ActionFactory(plan=plan, area=area, ref=f"{prefix}-102", title=f"Steady work of {area.title}",
                      target_date=days(60), status=Status.IN_PROGRESS)  # fmt: skip
    return plan, areas


REF = re.compile(r"\b(FR|CI|WO)-10[12]\b")


def _refs(text):
    return set(REF.findall(text))


def _command_pdf(tmp_path, plan, *args):
    output = tmp_path / "pack.pdf"
    call_command("board_pack", plan.slug, *args, "-o", str(output), stdout=io.StringIO())
    return " ".join(pdf_pages(output.read_bytes()))


def test_the_command_renders_only_the_chosen_areas_by_title_and_by_number(tmp_path, three_areas):
    plan, _areas = three_areas

    text = _command_pdf(tmp_path, plan, "--area", "Front door", "--area", "3", "--section", "exceptions",
                        "--section", "areas")  # fmt: skip

    assert {match for match in re.findall(r"\b(?:FR|CI|WO)-10[12]\b", text)} == {"FR-101", "FR-102", "WO-101", "WO-102"}
    assert "Overdue work of Front door" in text and "Overdue work of Workforce" in text
    assert "Children in need" not in text  # neither its actions nor its exceptions nor its heading
    assert "Covers only" in text


def test_without_area_the_command_renders_every_area(tmp_path, three_areas):
    plan, _areas = three_areas

    text = _command_pdf(tmp_path, plan, "--section", "areas")

    assert len(set(re.findall(r"\b(?:FR|CI|WO)-10[12]\b", text))) == 6
    assert "Covers only" not in text


def test_an_unknown_area_is_an_error_naming_it_and_listing_the_areas(tmp_path, three_areas):
    plan, _areas = three_areas

    with pytest.raises(CommandError) as error:
        _command_pdf(tmp_path, plan, "--area", "Front door", "--area", "Fostering")

    message = str(error.value)
    assert '"Fostering"' in message
    assert "1. Front door; 2. Children in need; 3. Workforce" in message
    assert not (tmp_path / "pack.pdf").exists()


def test_a_theme_scopes_the_pack_to_its_areas(three_areas):
    plan, areas = three_areas
    pack = BoardPack(plan=plan, as_of=days(0), meeting_date=days(7))

    html = pack_html(pack, scope=scope_for(themes=[plan.themes.get()], parts=["areas", "exceptions"]))

    assert {"FR-101", "CI-101", "CI-102"} <= set(re.findall(r"(?:FR|CI|WO)-10[12]", html))
    assert "WO-10" not in html
    assert "the theme Safeguarding" in html


def test_the_command_takes_themes_and_refuses_an_unknown_theme(tmp_path, three_areas):
    plan, _areas = three_areas

    text = _command_pdf(tmp_path, plan, "--theme", "safeguarding", "--section", "areas")
    assert "WO-101" not in text and "CI-101" in text

    with pytest.raises(CommandError, match='no theme "Housing". Its themes are: Safeguarding.'):
        _command_pdf(tmp_path, plan, "--theme", "Housing")
    with pytest.raises(CommandError, match='no part "appendix"'):
        _command_pdf(tmp_path, plan, "--section", "appendix")


def test_only_the_chosen_parts_are_printed_and_numbered_in_order(three_areas):
    plan, _areas = three_areas
    pack = BoardPack(plan=plan, as_of=days(0), meeting_date=days(7))

    text = " ".join(
        " ".join(
            pdf_pages(html_to_pdf(pack_html(pack, scope=PackScope(parts=("exceptions", "glossary")))).content)
        ).split()
    )

    assert "1. Exceptions" in text
    assert "2. Glossary" in text
    assert "Executive summary" not in text
    assert "Area by area" not in text
    assert "Annex" not in text


@pytest.mark.django_db(transaction=True)
def test_a_stored_scope_is_what_the_pack_generates_and_issues(three_areas, admin_user):
    plan, areas = three_areas
    pack = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7), areas=[areas["cin"]],
                                      sections=["summary", "exceptions", "areas"])  # fmt: skip

    draft = services.board_pack_generate(pack=pack)
    text = " ".join(pdf_pages(draft.read_pdf()))
    assert _refs(text) == {"CI"}
    issued = services.board_pack_issue(pack=BoardPack.objects.get(pk=pack.pk), issued_by=admin_user)

    text = " ".join(pdf_pages(issued.read_pdf()))
    assert _refs(text) == {"CI"}
    assert "Glossary" not in text
    recorded = set(issued.entries.filter(kind=BoardPackEntry.Kind.ACTION).values_list("key", flat=True))
    assert recorded == {"CI-101", "CI-102"}
    assert list(issued.areas.all()) == [areas["cin"]]
    assert issued.sections == ["summary", "exceptions", "areas"]


def test_the_preparation_form_stores_the_scope(client, admin_user, three_areas):
    plan, areas = three_areas
    client.force_login(admin_user)
    page = client.get(reverse("reports:pack_list", args=[plan.slug])).text
    assert "Front door" in page and 'name="sections"' in page and 'name="themes"' in page

    response = client.post(reverse("reports:pack_create", args=[plan.slug]), {
        "as_of": days(0), "meeting_date": days(7), "orientation": "portrait", "parts_shown": "True",
        "areas": [areas["workforce"].pk], "sections": ["summary", "kpis"],
    })  # fmt: skip

    assert response.status_code == 302
    pack = BoardPack.objects.get()
    assert list(pack.areas.all()) == [areas["workforce"]]
    assert pack.sections == ["summary", "kpis"]
    detail = client.get(pack.get_absolute_url()).text
    assert "3. Workforce" in detail and "Executive summary; Key performance indicators" in detail


def test_a_form_with_every_part_unticked_says_so(client, admin_user, three_areas):
    plan, _areas = three_areas
    client.force_login(admin_user)

    response = client.post(reverse("reports:pack_create", args=[plan.slug]), {
        "as_of": days(0), "meeting_date": days(7), "orientation": "portrait", "parts_shown": "True",
    })  # fmt: skip

    assert response.status_code == 400
    assert NO_PARTS in response.text
    assert not BoardPack.objects.exists()


def test_an_area_of_another_plan_is_refused(client, admin_user, three_areas):
    plan, _areas = three_areas
    stranger = AreaFactory(plan=PlanFactory(), title="Elsewhere")
    client.force_login(admin_user)

    response = client.post(reverse("reports:pack_create", args=[plan.slug]), {
        "as_of": days(0), "meeting_date": days(7), "orientation": "portrait", "areas": [stranger.pk],
    })  # fmt: skip

    assert response.status_code == 400
    assert not BoardPack.objects.exists()
    with pytest.raises(services.ValidationError):
        services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7), areas=[stranger])


@pytest.mark.parametrize("extra_areas", [2, 12])
def test_a_scoped_preview_costs_the_same_however_many_areas(client, admin_user, three_areas, extra_areas,
                                                           django_assert_max_num_queries):  # fmt: skip
    plan, areas = three_areas
    for n in range(extra_areas):
        area = AreaFactory(plan=plan, title=f"Extra area {n}")
        ActionFactory(plan=plan, area=area, ref=f"X-{n}", title=f"Extra action {n}", target_date=days(-3))
    chosen = [areas["front"], *plan.areas.filter(title__startswith="Extra")]
    pack = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7), areas=chosen,
                                      themes=[plan.themes.get()])  # fmt: skip
    client.force_login(admin_user)

    with django_assert_max_num_queries(22):
        response = client.get(reverse("reports:pack_preview", args=[plan.slug, pack.pk]))

    assert response.status_code == 200
    assert f"Extra action {extra_areas - 1}" in response.text
    assert "WO-101" not in response.text
