"""The weekly digest: to each lead, once per ISO week, scheduled by the app's own worker; once over real SMTP."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from plans.models import DigestSent
from plans.reminders import digests_send
from plans.tasks import digest_schedule, next_digest_at, send_weekly_digests
from tests.factories import ActionFactory, PersonFactory, SponsorFactory, UserFactory

OVERDUE = dt.date(2020, 1, 31)


@pytest.fixture
def leads(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://tracker.example.org"
    partner = PersonFactory(name="DI Sam Reid", email="sam.reid@police.example", organisation="Metropolitan Police")
    account = UserFactory(username="jo", email="jo@example.org")
    ActionFactory(ref="1", title="Overdue, led by a partner", target_date=OVERDUE, leads=[partner, account])
    ActionFactory(ref="2", title="Sponsored only", target_date=OVERDUE, sponsors=[SponsorFactory(user=account)])
    return {"partner": partner, "account": account}


def test_each_lead_gets_one_digest_even_without_an_account(leads):
    result = digests_send()
    assert sorted(message.to[0] for message in mail.outbox) == ["jo@example.org", "sam.reid@police.example"]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Overdue, led by a partner" in by_recipient["sam.reid@police.example"].body
    assert "Sponsored only" not in by_recipient["sam.reid@police.example"].body
    jo = by_recipient["jo@example.org"]
    assert "Overdue, led by a partner" in jo.body and "Sponsored only" in jo.body
    assert "overdue since 31 Jan 2020" in jo.body and "https://tracker.example.org/plans/" in jo.body
    assert jo.alternatives[0][1] == "text/html" and "Sponsored only" in jo.alternatives[0][0]
    assert len(result.sent) == 2


def test_a_digest_is_never_sent_twice_in_one_week(leads):
    digests_send()
    again = digests_send()
    assert len(mail.outbox) == 2 and len(again.already_sent) == 2 and again.sent == []
    # The database refuses a second row for the same person and week, whoever writes it.
    this_week = DigestSent.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestSent.objects.create(person=this_week.person, iso_year=this_week.iso_year, iso_week=this_week.iso_week)
    # Next week is another digest.
    digests_send(today=timezone.localdate() + dt.timedelta(days=7))
    assert len(mail.outbox) == 4


def test_a_person_who_opted_out_gets_no_digest(leads):
    leads["partner"].email_digest = False
    leads["partner"].save()
    result = digests_send()
    assert [message.to[0] for message in mail.outbox] == ["jo@example.org"]
    assert result.opted_out == [leads["partner"]]


def test_a_digest_the_mail_server_refused_is_tried_again(leads, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    result = digests_send()
    assert len(result.failed) == 2 and not DigestSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(digests_send().sent) == 2


def test_the_command_sends_this_weeks_digest_and_says_what_it_skipped(leads):
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert "Sent 2 reminder emails." in out.getvalue() and "Sent 0 reminder emails." in out.getvalue()
    assert "Not sent to DI Sam Reid: this week's digest went out already." in out.getvalue()


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ((2026, 12, 2, 12, 0), (2026, 12, 7, 7, 0)),  # a Wednesday: next Monday
        ((2026, 12, 7, 6, 59), (2026, 12, 7, 7, 0)),  # Monday before seven: today
        ((2026, 12, 7, 7, 0), (2026, 12, 14, 7, 0)),  # Monday at seven: the week after
    ],
)
def test_the_digest_runs_on_monday_morning(now, expected):
    local = timezone.get_current_timezone()
    assert next_digest_at(dt.datetime(*now, tzinfo=local)) == dt.datetime(*expected, tzinfo=local)


def waiting_digests():
    return DBTaskResult.objects.filter(task_path=send_weekly_digests.module_path, status=TaskResultStatus.READY)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_digest_and_enqueues_the_next_week(leads):
    DBTaskResult.objects.all().delete()
    assert digest_schedule() is True
    assert digest_schedule() is False  # one run waits at a time
    waiting = waiting_digests().get()
    assert waiting.run_after == next_digest_at()
    # Monday morning has come: the app's own worker runs it (no outside cron).
    waiting_digests().update(run_after=timezone.now() - dt.timedelta(minutes=1))
    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)
    assert len(mail.outbox) == 2
    assert DBTaskResult.objects.get(pk=waiting.pk).status == TaskResultStatus.SUCCESSFUL
    assert waiting_digests().get().run_after == next_digest_at()


def test_migrate_restarts_the_chain_when_nothing_waits(db):
    DBTaskResult.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert waiting_digests().count() == 1
