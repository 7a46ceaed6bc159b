"""Reminder emails: each person gets one email listing their actions that are overdue, due soon or stale."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Action, Plan
from .rag import RAG

DUE_SOON_DAYS = 14


def why_remind(action, today):
    """The reasons an action needs its lead's attention today, worst first; empty if none."""
    if action.status == "completed":
        return []
    reasons = []
    if action.current_rag == RAG.RED:
        reasons.append(f"overdue since {action.target_date:%-d %b %Y}")
    elif action.target_date and action.target_date <= today + dt.timedelta(days=DUE_SOON_DAYS):
        reasons.append(f"due {action.target_date:%-d %b %Y}")
    if action.is_stale(today):
        reasons.append(f"no update for over {settings.STALE_AFTER_DAYS} days")
    return reasons


def people_to_remind(today=None):
    """{user: [(action, reasons)]}: the lead, or the sponsors when no lead user is named."""
    today = today or timezone.localdate()
    actions = (
        Action.objects.exclude(plan__status=Plan.Status.ARCHIVED).with_rag_data().prefetch_related("sponsors__user")
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


def reminders_send(*, today=None):
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
