"""Emails when something happens: requests to those who decide, decisions to the requester, sent after commit."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from plans import roles
from plans.models import Person
from plans.services import target_date_change_decide, target_date_change_request
from tests.factories import ActionFactory, SponsorFactory, person_of, user_with_role


@pytest.fixture
def setting_site(settings):
    settings.SITE_URL = "https://tracker.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(db, setting_site):
    """A lead who asks, a sponsor and an admin who may decide, a board member who may not."""
    lead = user_with_role(roles.MANAGER, username="lead", email="lead@example.org", first_name="Lee")
    sponsor = user_with_role(roles.MANAGER, username="sponsor", email="sponsor@example.org", first_name="Sol")
    admin = user_with_role(roles.ADMIN, username="admin", email="admin@example.org")
    user_with_role(roles.BOARD_MEMBER, username="board", email="board@example.org")
    action = ActionFactory(
        ref="7", title="Audit <b>casework</b>", target_date=dt.date(2030, 12, 31), leads=[lead],
        sponsors=[SponsorFactory(user=sponsor)],
    )  # fmt: skip
    return {"lead": lead, "sponsor": sponsor, "admin": admin, "action": action}


def request_change(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return target_date_change_request(
            action=people["action"], requested_by=people["lead"], new_target_date=dt.date(2031, 3, 31),
            reason="Waiting for the <new> system",
        )  # fmt: skip


def test_a_request_goes_to_those_who_may_decide_it(people, django_capture_on_commit_callbacks):
    request_change(people, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == ["admin@example.org", "sponsor@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Decide: a new target date for action 7")
    assert "https://tracker.example.org/plans/" in message.body and "/actions/7/" in message.body
    assert "31 Mar 2031" in message.body and "Waiting for the <new> system" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    # User text is escaped in the HTML part.
    assert "Audit &lt;b&gt;casework&lt;/b&gt;" in html and "Waiting for the &lt;new&gt; system" in html
    assert 'href="https://tracker.example.org/plans/' in html


def test_nothing_is_sent_before_the_commit_or_for_a_refused_request(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        target_date_change_request(
            action=people["action"], requested_by=people["lead"], new_target_date=dt.date(2031, 3, 31), reason="Late"
        )
    assert mail.outbox == [] and len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        target_date_change_request(
            action=people["action"], requested_by=people["lead"], new_target_date=dt.date(2031, 3, 31), reason=""
        )
    assert mail.outbox == []


def test_a_decider_who_opted_out_gets_no_request(people, django_capture_on_commit_callbacks):
    sponsor_person = Person.objects.get(user=people["sponsor"])
    sponsor_person.email_requests = False
    sponsor_person.save()
    request_change(people, django_capture_on_commit_callbacks)
    assert [message.to[0] for message in mail.outbox] == ["admin@example.org"]


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_goes_back_to_the_requester_even_if_they_opted_out(
    people, approve, django_capture_on_commit_callbacks
):
    change = request_change(people, django_capture_on_commit_callbacks)
    lead_person = person_of(people["lead"])
    lead_person.email_requests = lead_person.email_packs = lead_person.email_digest = False
    lead_person.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        target_date_change_decide(change=change, decided_by=people["sponsor"], approve=approve)
    assert [message.to[0] for message in mail.outbox] == ["lead@example.org"]
    body = mail.outbox[0].body
    assert ("was approved" if approve else "was rejected") in body
    assert ("target date is now 31 Mar 2031" if approve else "target date stays 31 Dec 2030") in body


def test_no_email_to_anyone_without_an_address(people, django_capture_on_commit_callbacks):
    for user in (people["sponsor"], people["admin"]):
        user.email = ""
        user.save()
    Person.objects.filter(user=people["sponsor"]).update(email="")
    request_change(people, django_capture_on_commit_callbacks)
    assert mail.outbox == []
