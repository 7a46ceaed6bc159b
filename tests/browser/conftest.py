"""Browser tests: Debian's Chromium driven by pytest-playwright against the real server, checked with axe-core."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download is not reachable here: Debian's Chromium, without the services that phone home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"1280": DESKTOP, "390": PHONE}
DEMO_PASSWORD = "demo"
# Impacts that fail a page: the app's own pages may have none of these; Django's admin none critical or serious.
APP_IMPACTS = {"critical", "serious", "moderate"}
ADMIN_IMPACTS = {"critical", "serious"}
# Playwright waits this long for a page or an element; a journey step should never come near it.
TIMEOUT_MS = 15_000


def _is_browser_test(item):
    return "tests/browser/" in str(item.fspath).replace(os.sep, "/")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Last, after pytest-django's ordering: the shared browser's event loop and the demo site's database then never
    # meet the rest of the suite.
    items.sort(key=_is_browser_test)
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")
        for item in filter(_is_browser_test, items):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwrights_event_loop():
    """pytest-playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a thread with
    a running loop unless told the caller is synchronous (pytest-playwright's documented setting). Only while the
    browser tests run: `check --deploy` (tests/test_settings.py) rightly refuses the variable."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": shutil.which(CHROMIUM) or CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe():
    return Axe()


def violations(axe, page, impacts=APP_IMPACTS):
    """axe-core's violations on the page at or above the impacts given, as readable lines (empty when none)."""
    # axe-playwright-python's run() evaluates the whole of axe.min.js (half a megabyte) before every check; a page
    # checked at two widths needs it once.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    response = page.evaluate("axe.run({resultTypes: ['violations']})")
    found = []
    for violation in response["violations"]:
        if violation["impact"] in impacts:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return found


def assert_accessible(axe, page, impacts=APP_IMPACTS):
    found = violations(axe, page, impacts)
    assert not found, f"{page.url} at {page.viewport_size['width']} px:\n" + "\n".join(found)


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at {page.viewport_size['width']} px"


def sign_in(page, base_url, username, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def new_page(browser):
    """A page in a context of its own (cookies, viewport) in the one shared browser; closed after the test."""
    contexts = []

    def make(viewport=DESKTOP, **kwargs):
        context = browser.new_context(viewport=viewport, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
