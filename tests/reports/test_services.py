"""Issuing keeps the PDF, its checksum and every colour it showed; issued packs do not change afterwards."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from plans.rag import Status
from plans.services import action_update
from reports import services
from reports.models import BoardPack, BoardPackEntry
from tests.reports.conftest import days


@pytest.fixture
def draft(small_plan):
    plan, _actions = small_plan
    return services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7), next_meeting_date=days(35))


def test_it_numbers_versions_per_meeting(small_plan):
    plan, _actions = small_plan
    first = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    second = services.board_pack_create(plan=plan, as_of=days(1), meeting_date=days(7))
    other_meeting = services.board_pack_create(plan=plan, as_of=days(1), meeting_date=days(40))

    assert (first.version, second.version, other_meeting.version) == (1, 2, 1)


@pytest.mark.parametrize(
    ("as_of", "meeting", "next_meeting", "field", "message"),
    [
        (5, 0, None, "meeting_date", services.MEETING_BEFORE_AS_OF),
        (0, 7, 7, "next_meeting_date", services.NEXT_MEETING_NOT_AFTER),
        (0, 7, 3, "next_meeting_date", services.NEXT_MEETING_NOT_AFTER),
    ],
)
def test_it_refuses_dates_out_of_order(small_plan, as_of, meeting, next_meeting, field, message):
    plan, _actions = small_plan
    with pytest.raises(ValidationError) as error:
        services.board_pack_create(
            plan=plan, as_of=days(as_of), meeting_date=days(meeting),
            next_meeting_date=days(next_meeting) if next_meeting is not None else None,
        )  # fmt: skip
    assert error.value.message_dict[field] == [message]
    assert not BoardPack.objects.exists()


def test_issuing_stores_the_pdf_its_checksum_and_every_actions_colour(draft, admin_user, small_plan):
    _plan, actions = small_plan

    pack = services.board_pack_issue(pack=draft, issued_by=admin_user)

    content = pack.read_pdf()
    assert content.startswith(b"%PDF-")
    assert pack.sha256 == hashlib.sha256(content).hexdigest()
    assert pack.pages >= 5
    assert (pack.status, pack.issued_by, pack.generation) == (BoardPack.Status.ISSUED, admin_user, "done")
    snapshot = {entry.key: entry.rag for entry in pack.entries.filter(kind=BoardPackEntry.Kind.ACTION)}
    assert snapshot == {"1": "red", "2": "amber", "3": "blue", "4": "green", "5": "grey"}
    assert BoardPack.objects.last_issued(pack.plan) == pack


def test_an_issued_pack_downloads_unchanged_after_the_plan_moves_on(draft, admin_user, small_plan):
    _plan, actions = small_plan
    pack = services.board_pack_issue(pack=draft, issued_by=admin_user)
    issued = pack.read_pdf()
    action_update(action=actions["on_track"], author=admin_user, status=Status.COMPLETED, commentary="Done early.")
    actions["overdue"].title = "A new title"
    actions["overdue"].save()

    pack.refresh_from_db()

    assert pack.read_pdf() == issued
    assert pack.pdf_is_intact()
    assert pack.entries.get(key="4").rag == "green"


def test_it_will_not_issue_a_pack_twice_or_regenerate_it(draft, admin_user):
    pack = services.board_pack_issue(pack=draft, issued_by=admin_user)
    sha = pack.sha256

    with pytest.raises(ValidationError, match=services.ALREADY_ISSUED):
        services.board_pack_issue(pack=pack, issued_by=admin_user)
    with pytest.raises(ValidationError, match=services.ALREADY_ISSUED):
        services.board_pack_generate(pack=pack)
    with pytest.raises(ValidationError, match=services.ALREADY_ISSUED):
        services.board_pack_request(pack=pack)

    pack.refresh_from_db()
    assert pack.sha256 == sha
    assert pack.entries.count() == 5


def test_only_an_admin_may_issue(draft, board_member):
    with pytest.raises(ValidationError, match=services.NOT_ALLOWED_TO_PREPARE):
        services.board_pack_issue(pack=draft, issued_by=board_member)
    draft.refresh_from_db()
    assert draft.status == BoardPack.Status.DRAFT


def test_a_draft_pdf_can_be_generated_again(draft, django_capture_on_commit_callbacks):
    first = services.board_pack_generate(pack=draft)
    first_name = first.pdf.name

    # The previous file is removed once the new one is recorded (after the transaction commits).
    with django_capture_on_commit_callbacks(execute=True):
        second = services.board_pack_generate(pack=first)

    assert second.status == BoardPack.Status.DRAFT
    assert second.read_pdf().startswith(b"%PDF-")
    assert not first.pdf.storage.exists(first_name) or first_name == second.pdf.name


def test_last_issued_is_the_latest_position_on_or_before_a_date(small_plan, admin_user):
    plan, _actions = small_plan
    older = services.board_pack_issue(
        pack=services.board_pack_create(plan=plan, as_of=days(-40), meeting_date=days(-35)), issued_by=admin_user
    )
    newer = services.board_pack_issue(
        pack=services.board_pack_create(plan=plan, as_of=days(-5), meeting_date=days(0)), issued_by=admin_user
    )
    services.board_pack_create(plan=plan, as_of=days(1), meeting_date=days(30))  # a draft never counts

    assert BoardPack.objects.last_issued(plan) == newer
    assert BoardPack.objects.last_issued(plan, on_or_before=days(-5)) == newer
    assert BoardPack.objects.last_issued(plan, on_or_before=days(-6)) == older
    assert BoardPack.objects.last_issued(plan, on_or_before=days(-41)) is None
