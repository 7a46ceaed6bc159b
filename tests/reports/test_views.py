"""Board pack pages per role.

- Admins prepare drafts, preview them, generate PDFs and issue packs.
- Managers, board members and viewers read and download issued packs; drafts do not exist for them.
- Nobody but an admin may write: every write answers 403 to the other roles.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans import roles
from reports import services
from reports.models import GENERATION_TIMEOUT, BoardPack
from reports.tasks import generate_board_pack
from tests.factories import ActionFactory, AreaFactory, user_with_role
from tests.reports.conftest import days

READERS = ["manager", "board_member", "viewer"]


@pytest.fixture
def other_admin(db):
    return user_with_role(roles.ADMIN, username="other-admin")


@pytest.fixture
def draft(small_plan):
    plan, _actions = small_plan
    return services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))


@pytest.fixture
def packs(small_plan, draft, admin_user):
    """A draft, and an issued pack. Issuing lays out its PDF for each test that asks for it; these tests read who may
    see and download it, not what it says, so it prints the executive summary alone (half the CPU of the whole)."""
    plan, _actions = small_plan
    issued = services.board_pack_issue(
        pack=services.board_pack_create(plan=plan, as_of=days(-30), meeting_date=days(-25), sections=["summary"]),
        issued_by=admin_user,
    )
    return plan, draft, issued


def _url(name, pack, **kwargs):
    return reverse(f"reports:{name}", args=[pack.plan.slug, pack.pk])


@pytest.mark.parametrize("role", ["admin_user", *READERS])
def test_every_reader_sees_the_issued_packs(client, request, packs, role):
    plan, draft, issued = packs
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("reports:pack_list", args=[plan.slug]))

    assert response.status_code == 200
    assert _url("pack_detail", issued) in response.text
    assert (_url("pack_detail", draft) in response.text) == (role == "admin_user")
    assert ("Prepare a new pack" in response.text) == (role == "admin_user")


@pytest.mark.parametrize("role", ["admin_user", *READERS])
def test_every_reader_downloads_an_issued_pack_byte_for_byte(client, request, packs, role):
    _plan, _draft, issued = packs
    client.force_login(request.getfixturevalue(role))

    response = client.get(_url("pack_download", issued))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == issued.read_pdf()
    assert response["X-Content-SHA256"] == issued.sha256
    assert issued.file_name() in response["Content-Disposition"]


def test_a_pdf_altered_on_disk_is_not_handed_out(client, admin_user, packs):
    _plan, _draft, issued = packs
    with issued.pdf.open("ab") as stored:
        stored.write(b"%% tampered")
    client.force_login(admin_user)

    response = client.get(_url("pack_download", issued))

    assert response.status_code == 409
    assert services.PDF_ALTERED in response.text


def test_a_pdf_missing_from_storage_is_reported(client, admin_user, packs):
    _plan, _draft, issued = packs
    issued.pdf.storage.delete(issued.pdf.name)
    client.force_login(admin_user)

    response = client.get(_url("pack_download", issued))

    assert response.status_code == 409
    assert services.PDF_MISSING in response.text


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("page", ["pack_detail", "pack_download", "pack_preview"])
def test_drafts_do_not_exist_for_readers(client, request, draft, role, page):
    client.force_login(request.getfixturevalue(role))

    response = client.get(_url(page, draft))

    assert response.status_code in (403, 404)


@pytest.mark.parametrize("role", READERS)
def test_readers_may_not_prepare_generate_issue_or_preview(client, request, packs, role):
    plan, draft, issued = packs
    client.force_login(request.getfixturevalue(role))

    responses = [
        client.post(reverse("reports:pack_create", args=[plan.slug]),
                    {"as_of": days(0), "meeting_date": days(7), "orientation": "portrait"}),
        client.post(_url("pack_generate", draft)),
        client.post(_url("pack_generate", draft), {"issue": "yes"}),
        client.get(_url("pack_preview", issued)),
        client.get(_url("pack_issue", draft)),
        client.post(_url("pack_issue", draft)),
        client.get(_url("pack_front_matter", draft)),
        client.post(_url("pack_front_matter", draft), {"item_number": "7"}),
    ]  # fmt: skip

    assert [response.status_code for response in responses] == [403] * 8
    draft.refresh_from_db()
    assert (draft.status, draft.generation) == (BoardPack.Status.DRAFT, BoardPack.Generation.IDLE)
    assert BoardPack.objects.count() == 2


def test_a_signed_out_visitor_is_sent_to_sign_in(client, packs):
    _plan, _draft, issued = packs

    response = client.get(_url("pack_download", issued))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The worker closes and reopens database connections between tasks, as it would in production; that
# needs real commits rather than a test wrapped in one transaction.
@pytest.mark.django_db(transaction=True)
def test_an_admin_prepares_previews_and_issues_a_pack(client, admin_user, small_plan):
    plan, actions = small_plan
    client.force_login(admin_user)

    response = client.post(
        reverse("reports:pack_create", args=[plan.slug]),
        {"as_of": days(0), "meeting_date": days(7), "next_meeting_date": days(35), "orientation": "landscape"},
    )
    pack = BoardPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pack.get_absolute_url()

    preview = client.get(_url("pack_preview", pack))
    assert preview.status_code == 200
    for action in actions.values():
        assert action.title in preview.text
    assert "size: A4 landscape" in preview.text

    confirmation = client.get(_url("pack_issue", pack))
    assert confirmation.status_code == 200
    response = client.post(_url("pack_issue", pack))
    assert response.status_code == 302
    waiting = client.get(_url("pack_detail", pack))
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    assert "The PDF is being prepared; this page updates itself" in waiting.text

    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)

    pack.refresh_from_db()
    assert (pack.status, pack.generation, pack.progress) == (BoardPack.Status.ISSUED, "done", 100)
    done = client.get(_url("pack_detail", pack))
    assert 'http-equiv="refresh"' not in done.text
    assert pack.sha256 in done.text


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_is_reported_on_the_page(client, admin_user, other_admin, packs):
    _plan, draft, _issued = packs
    services.board_pack_request(pack=draft, issue=True, requested_by=other_admin)
    # The person who asked lost the admin role while the run waited in the queue.
    other_admin.groups.clear()

    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)

    draft.refresh_from_db()
    assert (draft.generation, draft.status) == (BoardPack.Generation.FAILED, BoardPack.Status.DRAFT)
    client.force_login(admin_user)
    page = client.get(_url("pack_detail", draft)).text
    assert services.NOT_ALLOWED_TO_PREPARE in page
    assert "Issue this pack" in page  # it can be tried again


def test_a_stalled_run_can_be_requested_again(client, admin_user, packs):
    _plan, draft, _issued = packs
    services.board_pack_request(pack=draft)
    BoardPack.objects.filter(pk=draft.pk).update(progress_at=timezone.now() - GENERATION_TIMEOUT * 2)
    client.force_login(admin_user)

    page = client.get(_url("pack_detail", draft)).text

    assert "The last run stopped without finishing" in page
    assert 'http-equiv="refresh"' not in page
    assert services.board_pack_request(pack=draft).generation == BoardPack.Generation.QUEUED


def test_a_request_made_twice_issues_once(admin_user, packs, django_capture_on_commit_callbacks):
    _plan, draft, _issued = packs
    with django_capture_on_commit_callbacks(execute=True):
        services.board_pack_request(pack=draft, issue=True, requested_by=admin_user)
    BoardPack.objects.filter(pk=draft.pk).update(progress_at=timezone.now() - GENERATION_TIMEOUT * 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.board_pack_request(pack=draft, issue=True, requested_by=admin_user)

    results = [generate_board_pack.call(pack_id=draft.pk, issue=True, user_id=admin_user.pk) for _ in range(2)]

    draft.refresh_from_db()
    assert draft.status == BoardPack.Status.ISSUED
    assert results[1]["skipped"] is True
    assert results[1]["sha256"] == results[0]["sha256"] == draft.sha256
    assert draft.entries.filter(kind="action").count() == 5


def test_bad_dates_are_shown_on_the_form(client, admin_user, small_plan):
    plan, _actions = small_plan
    client.force_login(admin_user)

    response = client.post(
        reverse("reports:pack_create", args=[plan.slug]),
        {"as_of": days(10), "meeting_date": days(0), "orientation": "portrait"},
    )

    assert response.status_code == 400
    assert services.MEETING_BEFORE_AS_OF in response.text
    assert not BoardPack.objects.exists()


@pytest.mark.parametrize("extra_packs", [1, 12])
def test_the_list_page_costs_the_same_however_many_packs(client, board_member, small_plan, admin_user, extra_packs,
                                                         django_assert_max_num_queries):  # fmt: skip
    plan, _actions = small_plan
    for n in range(extra_packs):
        pack = services.board_pack_create(plan=plan, as_of=days(-100 + n), meeting_date=days(-99 + n))
        BoardPack.objects.filter(pk=pack.pk).update(
            status=BoardPack.Status.ISSUED, issued_at=pack.created_at, issued_by=admin_user, sha256="0" * 64,
            pdf=f"board-packs/p{n}.pdf", pages=10,
        )  # fmt: skip
    client.force_login(board_member)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:pack_list", args=[plan.slug]))

    assert response.text.count("Download (10 pages)") == extra_packs


def test_the_plan_page_links_to_its_board_packs(client, viewer, small_plan):
    plan, _actions = small_plan
    client.force_login(viewer)

    response = client.get(plan.get_absolute_url())

    assert reverse("reports:pack_list", args=[plan.slug]) in response.text


@pytest.mark.parametrize("actions", [3, 40])
def test_the_preview_costs_the_same_however_many_actions(client, admin_user, small_plan, actions,
                                                         django_assert_max_num_queries):  # fmt: skip
    plan, _existing = small_plan
    area = AreaFactory(plan=plan, title="More")
    for n in range(actions):
        ActionFactory(plan=plan, area=area, ref=f"9.{n}", title=f"Extra action {n}")
    pack = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    client.force_login(admin_user)

    # The same at both sizes (the users who wrote the updates are one query, not joined to every update).
    with django_assert_max_num_queries(21):
        response = client.get(_url("pack_preview", pack))

    assert response.status_code == 200
    assert f"Extra action {actions - 1}" in response.text


def test_the_new_pack_form_offers_today_and_next_week(client, admin_user, small_plan):
    plan, _actions = small_plan
    client.force_login(admin_user)

    page = client.get(reverse("reports:pack_list", args=[plan.slug])).text

    assert f'name="as_of" value="{days(0).isoformat()}"' in page
    assert f'name="meeting_date" value="{days(7).isoformat()}"' in page
