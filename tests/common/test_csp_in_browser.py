"""In a real browser (Chromium through Playwright), the main pages report no Content Security Policy violation:
the policy the server sends is one the pages, htmx and the charts keep to."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import sync_playwright

from plans.models import Plan
from reports import services as pack_services
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.common.test_security_headers import main_pages

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}`);
});
"""


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--current", stdout=io.StringIO())
    plan = Plan.objects.get()
    admin = get_user_model().objects.get(username="admin")
    today = timezone.localdate()
    pack = pack_services.board_pack_create(
        plan=plan, as_of=today, meeting_date=today + dt.timedelta(days=7), created_by=admin
    )
    # Every address is worked out before the browser starts: its event loop makes the ORM refuse to run.
    return main_pages(plan, pack)


# After a resize: the new layout has been painted and any violation it caused has been reported.
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))"


def report(problems, page, message):
    if "Content Security Policy" in message.text or "CSP violation" in message.text:
        problems.append((page.url, message.text))


def test_no_main_page_breaks_its_content_security_policy_in_chromium(live_server, demo_site):
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.add_init_script(LISTEN)
            page.on("console", lambda message: report(problems, page, message))
            page.goto(f"{live_server.url}{reverse('login')}")
            page.fill("#id_username", "admin")
            page.fill("#id_password", "demo")
            page.click("form[action='/accounts/login/'] button[type=submit]")
            page.wait_for_load_state()
            for url in demo_site:
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, url
                assert "Content-Security-Policy" in {name.title() for name in response.headers}, url
                page.wait_for_load_state("networkidle")
                # Narrowed to a phone's width, the page is laid out again by the stylesheet's media queries (no
                # script of the app reads the width), fetching what that layout needs under the same policy: as
                # loading it again at that width would, at half the cost.
                page.set_viewport_size({"width": 390, "height": 900})
                page.evaluate(SETTLED)
                page.set_viewport_size({"width": 1280, "height": 900})
            page.close()
        finally:
            browser.close()
    assert problems == []
