"""A manager on a phone: sign-in to a saved update of an overdue action, and sideways scrolling on every page.

    .venv/bin/pip install -e '.[dev]'      # playwright (the Python package; the browser is Debian's Chromium)
    .venv/bin/python bench/phone.py [--runs 5] [--port 8114] [--screenshots /tmp/f14]

Loads the demo (`load_demo --current`) into a throwaway SQLite database, serves it with runserver and drives
/usr/bin/chromium at 390x844 (an iPhone 12-14 viewport):

1. The manager signs in and saves an update of an overdue action from "For you": prints the taps (clicks on
   links, buttons and fields) and the seconds from opening the sign-in page to the saved update, per run.
2. Every page each demo role can open, with every <details> opened: prints whether
   document.documentElement.scrollWidth equals the viewport's width (nothing to scroll sideways).

Not part of the test suite: the figures depend on the machine. Exits 1 if any page scrolls sideways.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchsetup import django_for_bench

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 390, 844
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
ROLES = ["admin", "manager", "board", "viewer"]
# What sticks out past the phone's width, to say why a page scrolls sideways: the deepest elements that do.
WIDEST = f"""Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > {WIDTH} + 1 && e.offsetParent !== null
               && !Array.from(e.children).some(c => c.getBoundingClientRect().right > {WIDTH} + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
  + ' ' + Math.round(e.getBoundingClientRect().right) + 'px').join(', ')"""


def load_demo():
    """The demo as `make run` loads it, and one request to move a target waiting for a decision."""
    django_for_bench()
    from django.core.management import call_command

    from plans.models import Action, Milestone, Plan
    from plans.services import milestone_add, target_date_change_request

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--current", stdout=open(os.devnull, "w"))  # noqa: SIM115
    plan = Plan.objects.get()
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username="manager")
    asked = Action.objects.filter(plan=plan).updatable_by(manager).exclude(target_date=None).first()
    target_date_change_request(action=asked, requested_by=manager, new_target_date=asked.target_date.replace(
        year=asked.target_date.year + 1), reason="Waiting for the partners' sign-off")  # fmt: skip
    milestone_add(action=asked, by=manager, title="Partners sign the protocol", target_date=asked.target_date)
    return plan, Milestone.objects.filter(action__plan=plan).first().action


def pages_for(role, plan, action_with_milestones):
    """The pages `role` opens; a manager's and an admin's include the forms of an action the manager holds."""
    from django.contrib.auth import get_user_model

    from kpis.models import Indicator, Section
    from plans.models import Action

    manager = get_user_model().objects.get(username="manager")
    theirs = Action.objects.filter(plan=plan, milestones__isnull=False).updatable_by(manager).first()

    slug = plan.slug
    indicator = Indicator.objects.first()
    section = Section.objects.first()
    pages = ["/", "/plans/", f"/plans/{slug}/", f"/plans/{slug}/dashboard/", f"/plans/{slug}/actions/",
             f"/plans/{slug}/actions/?rag=red", f"/plans/{slug}/actions/{action_with_milestones.ref}/",
             f"/plans/{slug}/target-changes/", "/kpis/", f"/kpis/{indicator.code}/", f"/reports/{slug}/",
             f"/reports/{slug}/narratives/"]  # fmt: skip
    if role in ("admin", "manager"):
        pages += ["/for-you/", "/plans/my-actions/", f"/plans/{slug}/actions/{theirs.ref}/",
                  f"/plans/{slug}/actions/{theirs.ref}/update/", f"/plans/{slug}/actions/{theirs.ref}/milestones/"
                  f"{theirs.milestones.first().pk}/"]  # fmt: skip
    if role == "admin":
        pages += ["/plans/import/", "/kpis/import/", f"/kpis/enter/{section.slug}/"]
    return pages


def serve(database_url, port):
    env = os.environ | {"DATABASE_URL": database_url, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "improvement.settings"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("runserver did not start")


class Taps:
    """Counts the taps a person makes: every click on a link, button or field."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator):
        self.count += 1
        locator.click()

    def type_into(self, locator, text):
        self.tap(locator)
        locator.type(text)


def sign_in(page, base, username, taps=None):
    taps = taps or Taps(page)
    page.goto(f"{base}/")
    taps.type_into(page.get_by_label("Username"), username)
    taps.type_into(page.get_by_label("Password"), "demo")
    taps.tap(page.get_by_role("button", name="Sign in"))
    page.wait_for_load_state()
    return taps


def update_an_overdue_action(browser, base, run):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)  # fmt: skip
    page = context.new_page()
    started = time.perf_counter()
    taps = sign_in(page, base, "manager")
    assert page.url.endswith("/for-you/"), page.url
    overdue = page.locator("section[aria-labelledby=overdue] li.action-card").first
    ref = overdue.locator(".action-card-ref").inner_text()
    taps.tap(overdue.get_by_role("button", name=f"Update action {ref}"))
    page.wait_for_load_state()
    taps.type_into(page.get_by_label("Commentary"), f"Chased the partners again (run {run}); sign-off due Friday.")
    taps.tap(page.get_by_role("button", name="Save update"))
    page.get_by_text(f"Action {ref} updated.").wait_for()
    seconds = time.perf_counter() - started
    context.close()
    return ref, taps.count, seconds


def scroll_widths(browser, base, pages, screenshots):
    results = []
    for role in ROLES:
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
        page = context.new_page()
        sign_in(page, base, role)
        for path in pages[role]:
            response = page.goto(f"{base}{path}")
            # Every task on the page, including those behind a <details> (filters, forms), must fit.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            width = page.evaluate("document.documentElement.scrollWidth")
            viewport = page.evaluate("window.innerWidth")
            results.append(
                (role, path, response.status, width, viewport, page.evaluate(WIDEST) if width > WIDTH else "")
            )
            if screenshots:
                name = f"{role}{path.replace('/', '_').replace('?', '_')}.png"
                page.screenshot(path=str(Path(screenshots) / f"390-{name}"), full_page=True)
        context.close()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8114)
    parser.add_argument("--screenshots", help="a folder for full-page screenshots of every page at 390px")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    database_url = f"sqlite:///{tempfile.mkdtemp()}/phone.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    plan, action_with_milestones = load_demo()
    # Read before Playwright starts: its event loop forbids the ORM's synchronous queries.
    pages = {role: pages_for(role, plan, action_with_milestones) for role in ROLES}
    if options.screenshots:
        Path(options.screenshots).mkdir(parents=True, exist_ok=True)
    server = serve(database_url, options.port)
    base = f"http://127.0.0.1:{options.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"Manager at {WIDTH}x{HEIGHT}: sign-in to a saved update of an overdue action (runserver, DEBUG)")
            times = []
            for run in range(1, options.runs + 1):
                ref, taps, seconds = update_an_overdue_action(browser, base, run)
                times.append(seconds)
                print(f"  run {run}: action {ref}, {taps} taps, {seconds:.2f} s")
            print(f"  median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s")
            print(f"\nSideways scrolling at {WIDTH}px (scrollWidth against the viewport's width, <details> open)")
            results = scroll_widths(browser, base, pages, options.screenshots)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    failures = 0
    for role, path, status, width, viewport, widest in results:
        # A phone widens its layout viewport to the content when it overflows: both must stay at the phone's width.
        fits = width == viewport == WIDTH and status == 200
        failures += not fits
        print(
            f"  {'ok  ' if fits else 'FAIL'} {role:8} {status} {width:4}/{WIDTH} {path}"
            + (f"  {widest}" if widest else "")
        )
    print(f"\n{len(results) - failures} of {len(results)} pages fit {WIDTH}px with nothing to scroll sideways.")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
