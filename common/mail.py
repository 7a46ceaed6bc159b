"""Emails in plain text and HTML from one pair of templates, with links made absolute from settings.SITE_URL."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_send(*, to: str, subject: str, template: str, context: Mapping[str, object]) -> None:
    """Send `template`.txt (the body) with `template`.html (the alternative) to one address.

    One email per person: addresses of other recipients are never shown to each other.
    """
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],  # a header: no line breaks from user text
        body=render_to_string(f"{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
