"""send_reminders: one email per person, listing their overdue, due-soon and stale actions."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from plans.models import Action
from plans.rag import Cadence, Status
from plans.reminders import why_remind
from plans.services import action_update
from tests.factories import ActionFactory, UserFactory


def test_each_person_gets_one_email_with_their_actions_that_need_attention(manager, manager_sponsor):
    manager.email = "manager@example.org"
    manager.save()
    today = timezone.localdate()
    overdue = ActionFactory(ref="1", title="Overdue one", target_date=dt.date(2020, 1, 31), sponsors=[manager_sponsor])
    due_soon = ActionFactory(
        ref="2", title="Due soon", target_date=today + dt.timedelta(days=10), sponsors=[manager_sponsor]
    )
    quiet = ActionFactory(
        ref="3", title="Fine and fresh", target_date=today + dt.timedelta(days=90), sponsors=[manager_sponsor]
    )
    action_update(action=quiet, author=manager, status=Status.IN_PROGRESS, commentary="All good")
    done = ActionFactory(ref="4", title="Finished", target_date=dt.date(2020, 1, 31), sponsors=[manager_sponsor])
    action_update(action=done, author=manager, status=Status.COMPLETED, commentary="Done")
    lead = UserFactory(username="lead", email="lead@example.org")
    ActionFactory(
        ref="5", title="Led by someone", target_date=dt.date(2020, 1, 31), leads=[lead], sponsors=[manager_sponsor]
    )
    UserFactory(username="no-email")

    out = io.StringIO()
    call_command("send_reminders", stdout=out)

    assert "Sent 2 reminder emails." in out.getvalue()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"manager@example.org", "lead@example.org"}
    body = by_recipient["manager@example.org"].body
    assert "Overdue one" in body and "overdue since 31 Jan 2020" in body
    assert "Due soon" in body and "no update for over 30 days" in body
    assert "Fine and fresh" not in body and "Finished" not in body and "Led by someone" not in body
    assert f"/plans/{overdue.plan.slug}/actions/1/" in body
    assert due_soon.title in body
    assert "Led by someone" in by_recipient["lead@example.org"].body


def test_a_person_without_an_email_address_is_reported(manager, manager_sponsor):
    ActionFactory(target_date=dt.date(2020, 1, 31), sponsors=[manager_sponsor])
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert f"Not sent to {manager_sponsor.person}: no email address." in out.getvalue()
    assert mail.outbox == []


def test_a_monthly_action_is_reminded_of_its_update_not_a_date(manager, manager_sponsor):
    today = timezone.localdate()
    monthly = ActionFactory(target_date=None, cadence=Cadence.MONTHLY, sponsors=[manager_sponsor])
    action_update(
        action=monthly, author=manager, status=Status.IN_PROGRESS, commentary="May's figures",
        at=timezone.now() - dt.timedelta(days=45),
    )  # fmt: skip
    loaded = Action.objects.with_history_on(today).get(pk=monthly.pk)
    assert why_remind(loaded, today) == ["its monthly update is due"]
    # On the day after its update, the same reading has nothing to ask for.
    the_day_after = today - dt.timedelta(days=44)
    assert why_remind(Action.objects.with_history_on(the_day_after).get(pk=monthly.pk), the_day_after) == []
