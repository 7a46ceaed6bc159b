"""Every page carries the security headers, and keeps to its Content Security Policy: no inline script, no style
attribute, and every inline <style> (RAG colours, pygal's chart CSS) carries the nonce the header allows."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan
from reports import services as pack_services
from tests.conftest import FAST_HASHER

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


# The demo's pages are only read: the demo is loaded and committed once for the module (about 2.5 s of CPU a load).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The live demo and a draft pack of it; the database is emptied after the module (post_migrate recreates the
    roles). A draft pack has no file: nothing is written to the media folder."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        try:
            call_command("load_demo", "--current", stdout=io.StringIO())
            plan = Plan.objects.get()
            admin = get_user_model().objects.get(username="admin")
            pack = pack_services.board_pack_create(
                plan=plan,
                as_of=timezone.localdate(),
                meeting_date=timezone.localdate() + dt.timedelta(days=7),
                created_by=admin,
            )
            yield plan, admin, pack
        finally:
            call_command("flush", interactive=False, verbosity=0)


def main_pages(plan, pack):
    action = plan.areas.first().actions.first()
    from kpis.models import Indicator, Section

    return [
        reverse("plans:plan_list"),
        reverse("plans:my_actions"),
        plan.get_absolute_url(),
        reverse("reports:dashboard", args=[plan.slug]),
        reverse("reports:action_table", args=[plan.slug]),
        action.get_absolute_url(),
        reverse("kpis:scorecard"),
        reverse("kpis:indicator_detail", args=[Indicator.objects.first().code]),
        reverse("kpis:values_entry", args=[Section.objects.first().slug]),
        reverse("kpis:import"),
        reverse("plans:import_start"),
        reverse("reports:pack_list", args=[plan.slug]),
        pack.get_absolute_url(),
        reverse("reports:pack_preview", args=[plan.slug, pack.pk]),
        reverse("reports:narratives", args=[plan.slug]),
        reverse("plans:timeline", args=[plan.slug]),
        reverse("plans:risk_register", args=[plan.slug]),
        reverse("plans:risk_import", args=[plan.slug]),
        plan.risks.first().get_absolute_url(),
    ]


def test_it_keeps_every_main_page_to_its_content_security_policy(client, demo):
    plan, admin, pack = demo
    client.force_login(admin)
    for url in main_pages(plan, pack):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, url
        assert "frame-ancestors 'none'" in policy, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html))
        assert not EVENT_HANDLER.search(html.split("<body", 1)[1]), url
        styles = STYLE_TAG.findall(html)
        assert styles, url  # the RAG colours at least
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert all(f'nonce="{nonce}"' in tag for tag in styles), (url, [t for t in styles if nonce not in t])


@pytest.mark.parametrize("url", ["/accounts/login/", "/health/", "/plans/"])
def test_it_sends_the_security_headers_signed_out_too(client, db, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_renders_a_board_pack_pdf_without_a_nonce(demo):
    # The PDF is laid out with no request: the chart and colour styles are plain <style> blocks WeasyPrint reads.
    from reports.content import pack_html

    plan, admin, pack = demo
    html = pack_html(pack)
    assert "<style>" in html and "nonce=" not in html
