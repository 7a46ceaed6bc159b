"""Reminder emails: each person gets one email listing their actions that are overdue, due soon or stale."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Action, Plan
from .rag import RAG, Cadence
from .reading import read_action

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

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


def people_to_remind(today: dt.date | None = None) -> dict[AbstractBaseUser, list[tuple[Action, list[str]]]]:
    """{user: [(action, reasons)]}: the lead, or the sponsors when no lead user is named."""
    today = today or timezone.localdate()
    actions = (
        # Only plans in hand: a draft is not yet the managers' to read, a closed plan can no longer be updated.
        Action.objects.filter(plan__status=Plan.Status.ACTIVE).with_history_on(today).prefetch_related("sponsors__user")
    )
    reminders = {}
    for action in actions:
        reasons = why_remind(action, today)
        if not reasons:
            continue
        people = [action.lead_user] if action.lead_user else [s.user for s in action.sponsors.all() if s.user]
        for person in people:
            reminders.setdefault(person, []).append((action, reasons))
    return reminders


def reminders_send(*, today: dt.date | None = None) -> tuple[list[AbstractBaseUser], list[AbstractBaseUser]]:
    """Send the emails; returns (sent to, skipped for want of an email address)."""
    sent, skipped = [], []
    for person, items in people_to_remind(today).items():
        if not person.email or not person.is_active:
            skipped.append(person)
            continue
        context = {"person": person, "items": items, "site_url": settings.SITE_URL}
        send_mail(
            subject=f"Improvement plan: {len(items)} of your actions need an update",
            message=render_to_string("plans/email/reminder.txt", context),
            from_email=None,
            recipient_list=[person.email],
        )
        sent.append(person)
    return sent, skipped
