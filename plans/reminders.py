"""The weekly digest: each lead gets one email a week listing their actions that are overdue, due soon or stale.

Sent at most once per person and ISO week: the DigestSent row is claimed (its unique constraint refuses a
second) and committed before the email goes, and given back only if sending fails, so a run repeated in the
same week (a restarted worker, `send_reminders` by hand) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.mail import email_send

from .models import Action, DigestSent, Person, Plan
from .rag import RAG, Cadence
from .reading import read_action

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 14


def why_remind(action: Action, today: dt.date) -> list[str]:
    """The reasons an action needs its lead's attention on `today`, worst first; empty if none.

    Colour, target and staleness are one reading of the action on that one date."""
    reading = read_action(action, today)
    if reading.rag == RAG.BLUE:
        return []
    reasons = []
    target = reading.state.target_date
    if reading.rag == RAG.RED:
        reasons.append(f"overdue since {target:%-d %b %Y}")
    elif target and not reading.state.cadence and target <= today + dt.timedelta(days=DUE_SOON_DAYS):
        reasons.append(f"due {target:%-d %b %Y}")
    if reading.state.update_missed(today):
        reasons.append(f"its {Cadence(reading.state.cadence).label.lower()} update is due")
    elif reading.stale:
        reasons.append(f"no update for over {settings.STALE_AFTER_DAYS} days")
    return reasons


def people_to_remind(today: dt.date | None = None) -> dict[Person, list[tuple[Action, list[str]]]]:
    """{person: [(action, reasons)]}: the action's leads, or the holders of its sponsor posts when it has none."""
    today = today or timezone.localdate()
    # Only plans in hand: a draft is not yet the managers' to read, a closed plan can no longer be updated.
    actions = Action.objects.filter(plan__status=Plan.Status.ACTIVE).with_history_on(today)
    reminders = {}
    for action in actions:
        reasons = why_remind(action, today)
        if not reasons:
            continue
        people = list(action.leads.all()) or [sponsor.person for sponsor in action.sponsors.all() if sponsor.person]
        for person in people:
            reminders.setdefault(person, []).append((action, reasons))
    return reminders


@dataclass
class DigestsSent:
    sent: list[Person] = field(default_factory=list)
    already_sent: list[Person] = field(default_factory=list)  # this week's digest went out before
    opted_out: list[Person] = field(default_factory=list)
    no_address: list[Person] = field(default_factory=list)
    failed: list[Person] = field(default_factory=list)


def digests_send(*, today: dt.date | None = None) -> DigestsSent:
    """Send this ISO week's digest to every person who has actions needing attention and has not had it yet."""
    today = today or timezone.localdate()
    iso_year, iso_week, _ = today.isocalendar()
    result = DigestsSent()
    for person, items in sorted(people_to_remind(today).items(), key=lambda pair: pair[0].name.lower()):
        if not person.email_digest:
            result.opted_out.append(person)
            continue
        if not person.address or (person.user_id and not person.user.is_active):
            result.no_address.append(person)
            continue
        try:
            with transaction.atomic():
                claim = DigestSent.objects.create(
                    person=person, iso_year=iso_year, iso_week=iso_week, actions=len(items)
                )
        except IntegrityError:
            result.already_sent.append(person)
            continue
        try:
            email_send(
                to=person.address,
                subject=f"Improvement plan: {len(items)} of your actions need an update",
                template="plans/email/digest",
                context={"person": person, "items": items, "week": f"{iso_year}-W{iso_week:02d}"},
            )
        except Exception:
            # Given back so that the next run (the next check of the worker, or by hand) tries again.
            logger.exception("The digest for %s could not be sent", person)
            claim.delete()
            result.failed.append(person)
            continue
        result.sent.append(person)
    return result
