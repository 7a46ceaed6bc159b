"""The committee report front matter (printed first, escaped everywhere, bounded) and issuing with care.

- Admins write a draft's front matter; an issued pack's stays as it was.
- "Issue this pack" asks first: the page says what will be recorded, and only its POST issues.
- Nobody is shown shell commands or "SHA-256" while a pack is prepared; admins get a plain hint about the worker.
"""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reports import services
from reports.front_matter import SECTION_MAX_LENGTH
from reports.models import BoardPack, PackFrontMatter
from reports.tasks import generate_board_pack
from tests.reports.conftest import days, pdf_pages

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)> & Co'
READERS = ["manager", "board_member", "viewer"]
DEVELOPER_WORDS = ["db_worker", "make run", "manage.py", "SHA-256", "sha256"]


def _pack_runs():
    return DBTaskResult.objects.filter(task_path=generate_board_pack.module_path)


def _url(name, pack):
    return reverse(f"reports:{name}", args=[pack.plan.slug, pack.pk])


@pytest.fixture
def draft(small_plan):
    plan, _actions = small_plan
    return services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))


def _write(client, pack, **values):
    fields = dict.fromkeys(PackFrontMatter.WRITTEN, "") | values
    return client.post(_url("pack_front_matter", pack), fields)


def test_the_front_matter_is_printed_first_and_escaped_in_html_and_pdf(client, admin_user, draft):
    client.force_login(admin_user)
    response = _write(client, draft, committee="CYP Select Committee", report_title=f"Safeguarding {PAYLOAD}",
                      item_number="7", ward="All", report_class="Part 1", purpose=f"Purpose words {PAYLOAD}",
                      recommendations="Note the report.\nComment on it.", legal_implications="None specific.",
                      originator="Lucie Heyes", contact="lucie@example.gov.uk")  # fmt: skip
    assert response.status_code == 302

    preview = client.get(_url("pack_preview", draft)).text
    assert "<script>alert" not in preview and "<img src=x" not in preview
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in preview
    pack = services.board_pack_generate(pack=BoardPack.objects.get(pk=draft.pk))
    pages = [" ".join(page.split()) for page in pdf_pages(pack.read_pdf())]

    first = pages[0]
    assert "CYP SELECT COMMITTEE" in first.upper()
    assert '<script>alert("x")</script><img src=x onerror=alert(1)> & Co' in first  # printed as typed, not run
    assert "Item no. 7" in first and "Class Part 1" in first and "Ward All" in first
    assert first.index("1. Purpose and summary of the report") < first.index("2. Recommendations")
    assert "2.1 Note the report. 2.2 Comment on it." in first
    text = " ".join(pages)
    # The implications headings are all printed, written or not, before the originator; then the pack's cover.
    for heading in ["Financial implications", "Legal implications", "Equalities implications",
                    "Climate and environmental implications", "Crime and disorder implications"]:  # fmt: skip
        assert heading in text
    assert text.index("Crime and disorder implications") < text.index("please contact Lucie Heyes")
    assert text.index("please contact Lucie Heyes") < text.index("Board pack Board meeting")


def test_a_pack_without_front_matter_starts_with_its_cover(draft):
    pack = services.board_pack_generate(pack=draft)
    assert pdf_pages(pack.read_pdf())[0].split()[:2] == ["IMPROVEMENT", "BOARD"]


def test_front_matter_longer_than_its_limit_is_refused_with_a_message(client, admin_user, draft):
    client.force_login(admin_user)

    response = _write(client, draft, purpose="x" * (SECTION_MAX_LENGTH + 1), item_number="1" * 21)

    assert response.status_code == 400
    assert f"Ensure this value has at most {SECTION_MAX_LENGTH} characters" in response.text
    assert "Ensure this value has at most 20 characters" in response.text
    assert not PackFrontMatter.objects.exists()
    with pytest.raises(services.ValidationError):
        services.pack_front_matter_save(pack=draft, values={"background": "y" * 6000}, saved_by=admin_user)


def test_an_issued_packs_front_matter_does_not_change(client, admin_user, draft):
    services.pack_front_matter_save(pack=draft, values={"item_number": "7"}, saved_by=admin_user)
    issued = services.board_pack_issue(pack=draft, issued_by=admin_user)
    client.force_login(admin_user)

    response = _write(client, issued, item_number="8")

    assert response.status_code == 302
    assert PackFrontMatter.objects.get().item_number == "7"
    with pytest.raises(services.ValidationError, match="already been issued"):
        services.pack_front_matter_save(pack=issued, values={"item_number": "8"}, saved_by=admin_user)


def test_a_new_version_starts_with_the_front_matter_of_the_last(admin_user, draft):
    services.pack_front_matter_save(pack=draft, values={"item_number": "7", "ward": "All"}, saved_by=admin_user)

    second = services.board_pack_create(plan=draft.plan, as_of=days(1), meeting_date=draft.meeting_date)

    assert (second.front_matter.item_number, second.front_matter.ward) == ("7", "All")
    assert PackFrontMatter.objects.count() == 2


def test_the_confirmation_says_what_will_be_recorded_and_get_never_issues(
    client, admin_user, small_plan, django_capture_on_commit_callbacks
):
    plan, _actions = small_plan
    earlier = services.board_pack_issue(
        pack=services.board_pack_create(plan=plan, as_of=days(-30), meeting_date=days(-28)), issued_by=admin_user
    )
    draft = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    services.pack_front_matter_save(pack=draft, values={"item_number": "7", "report_class": "Part 1"},
                                    saved_by=admin_user)  # fmt: skip
    client.force_login(admin_user)

    detail = client.get(_url("pack_detail", draft)).text
    assert f'href="{_url("pack_issue", draft)}"' in detail
    with django_capture_on_commit_callbacks(execute=True):
        page = " ".join(client.get(_url("pack_issue", draft)).text.split())
        client.get(_url("pack_issue", draft))

    assert f"Version {draft.version} of the board pack for the meeting on {days(7):%A %-d %B %Y}" in page
    assert f"the pack issued {earlier.issued_at:%-d %b %Y} for the meeting of {days(-28):%-d %b %Y}" in page
    assert admin_user.get_full_name() in page
    assert "Issuing cannot be undone." in page
    assert "item 7 (Part 1)" in page
    assert "The whole plan" in page
    draft.refresh_from_db()
    assert (draft.status, draft.generation) == (BoardPack.Status.DRAFT, BoardPack.Generation.IDLE)
    assert not _pack_runs().exists()
    # The old one-click route only leads to the confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("pack_generate", draft), {"issue": "yes"})
    assert response["Location"] == _url("pack_issue", draft)
    assert not _pack_runs().exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("pack_issue", draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.generation == BoardPack.Generation.QUEUED
    assert _pack_runs().get().args_kwargs["kwargs"]["issue"] is True


def test_an_issued_pack_has_no_confirmation_to_give(client, admin_user, draft):
    issued = services.board_pack_issue(pack=draft, issued_by=admin_user)
    client.force_login(admin_user)

    response = client.post(_url("pack_issue", issued))

    assert response.status_code == 302
    assert not _pack_runs().exists()


@pytest.mark.parametrize("role", ["admin_user", *READERS])
def test_no_pack_page_shows_developer_commands(client, request, admin_user, small_plan, role):
    plan, _actions = small_plan
    # The pages around the pack are read, not the PDF: its executive summary alone is laid out, for each role.
    issued = services.board_pack_issue(
        pack=services.board_pack_create(plan=plan, as_of=days(-30), meeting_date=days(-28), sections=["summary"]),
        issued_by=admin_user,
    )
    waiting = services.board_pack_request(
        pack=services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7)), requested_by=admin_user
    )
    user = request.getfixturevalue(role)
    client.force_login(user)
    pages = [reverse("reports:pack_list", args=[plan.slug]), _url("pack_detail", issued)]
    if role == "admin_user":
        pages += [_url("pack_detail", waiting), _url("pack_issue", waiting), _url("pack_front_matter", waiting)]

    for path in pages:
        text = client.get(path).text
        assert not [word for word in DEVELOPER_WORDS if word in text], path
    detail = client.get(_url("pack_detail", issued)).text
    assert "Fingerprint of the PDF" in detail and "what the board was sent" in detail


def test_a_waiting_pack_says_so_plainly_with_a_hint_for_admins(client, admin_user, draft):
    waiting = services.board_pack_request(pack=draft, requested_by=admin_user)
    client.force_login(admin_user)

    page = client.get(_url("pack_detail", waiting)).text

    assert "The PDF is being prepared; this page updates itself." in page
    assert "For admins: a pack usually starts within seconds" in page
    assert "background worker is not running" in page
