"""An issued pack is emailed to the plan's board (readers with the board role), after commit, with its link."""

import pytest
from django.core import mail

from common.roles import BOARD_MEMBER, MANAGER, VIEWER
from plans.models import Person
from reports.services import board_pack_create, board_pack_issue
from tests.factories import user_with_role
from tests.reports.conftest import days


@pytest.fixture
def readers(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://tracker.example.org"
    return {
        "board": user_with_role(BOARD_MEMBER, username="chair", email="chair@example.org"),
        "member": user_with_role(BOARD_MEMBER, username="member", email="member@example.org"),
        "gone": user_with_role(BOARD_MEMBER, username="gone", email="gone@example.org", is_active=False),
        "manager": user_with_role(MANAGER, username="mgr", email="mgr@example.org"),
        "viewer": user_with_role(VIEWER, username="viewer2", email="viewer@example.org"),
    }


def test_an_issued_pack_goes_to_the_board(small_plan, admin_user, readers, django_capture_on_commit_callbacks):
    plan, _ = small_plan
    Person.objects.create(name="Member", user=readers["member"], email_packs=False)
    pack = board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack_issue(pack=pack, issued_by=admin_user)
    # Active board members who did not opt out; not managers, viewers or a disabled account.
    assert [message.to[0] for message in mail.outbox] == ["chair@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith(f"Board pack issued: {plan.title}")
    link = f"https://tracker.example.org/reports/{plan.slug}/{pack.pk}/download/"
    assert link in message.body and f'href="{link}"' in message.alternatives[0][0]


def test_a_draft_is_not_announced(small_plan, readers, django_capture_on_commit_callbacks):
    plan, _ = small_plan
    with django_capture_on_commit_callbacks(execute=True):
        board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    assert mail.outbox == []
