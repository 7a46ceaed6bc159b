"""Every page, for every role that may see it, at 1280 and 390 px: nothing for axe-core to flag, no sideways scroll.

One demo site (the seed plan, its KPIs and narratives, a draft pack) is loaded once for the module and served by
Django's live server thread; each test opens one page in the shared browser, signed in as its role.
"""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import (
    ADMIN_IMPACTS,
    DESKTOP,
    TIMEOUT_MS,
    WIDTHS,
    assert_accessible,
    assert_no_sideways_scroll,
    sign_in,
)

# The module's demo site is committed by a module fixture and read by the server thread; each test only reads it.
pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager", "board", "viewer"]
READERS = set(ROLES)
ADMIN = {"admin"}
WRITERS = {"admin", "manager"}


@dataclass(frozen=True)
class Site:
    url: str
    plan: str
    action: str
    indicator: str
    section: str
    pack: int
    action_pk: int
    board: int = 1
    meeting: int = 1


def _trim_the_demo():
    """The seed plan's areas that between them show every RAG colour (about 20 actions), and two KPI sections.

    Every page keeps its shape (tables, charts, forms, each colour) while axe-core, whose time grows with the size
    of the page, checks a quarter of the rows: the whole module's time is what `make test` pays on each database.
    """
    from kpis.models import Indicator, Section
    from plans.models import Action, Area

    colours_by_area = {}
    for action in Action.objects.with_rag_data():
        colours_by_area.setdefault(action.area_id, set()).add(action.current_rag)
    keep, shown = [], set()
    for area in Area.objects.order_by("position"):
        if len(keep) < 2 or colours_by_area.get(area.pk, set()) - shown:
            keep.append(area.pk)
            shown |= colours_by_area.get(area.pk, set())
    Action.objects.exclude(area__in=keep).delete()
    Area.objects.exclude(pk__in=keep).delete()
    dropped = Section.objects.exclude(pk__in=Section.objects.order_by("position")[:2].values("pk"))
    Indicator.objects.filter(section__in=dropped).delete()
    dropped.delete()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo plan served by a live server thread of its own for the whole module; the database emptied after.

    pytest-django's `live_server` would make each test transactional, emptying the database after every one: the
    seed plan would be loaded 150 times. These tests only read, so one load serves them all.
    """
    from plans.models import Action
    from reports.services import board_pack_create

    with django_db_blocker.unblock():
        call_command("load_demo", "--current", stdout=io.StringIO())
        _trim_the_demo()
        action = Action.objects.select_related("plan").filter(sponsors__abbreviation="ADCSC").first()
        from kpis.models import Indicator, Section

        today = timezone.localdate()
        from boards.models import Meeting

        # The demo board's last held meeting: decisions, actions arising, the forms of each role.
        meeting = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-date").first()
        pack = board_pack_create(plan=action.plan, as_of=today, meeting_date=today + dt.timedelta(days=7))
        from reports.models import PackFrontMatter

        # The preview then shows the committee report's front matter too.
        PackFrontMatter.objects.create(
            pack=pack, item_number="7", ward="All", report_class="Part 1", purpose="Progress on the plan.",
            recommendations="Members are asked to note the report.\nMembers are asked to comment on it.",
        )  # fmt: skip
        site = Site(
            url="",
            plan=action.plan.slug,
            action=action.ref,
            indicator=Indicator.objects.order_by("pk").first().code,
            section=Section.objects.order_by("position").first().slug,
            pack=pack.pk,
            action_pk=action.pk,
            board=meeting.board_id,
            meeting=meeting.pk,
        )
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield Site(**{**site.__dict__, "url": server.url})
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # Leave the database as the next test expects it: empty but for the roles (post_migrate recreates them).
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def signed_in(browser, demo_site):
    """Each role's cookies after signing in through the login page once."""
    states = {}
    for role in ROLES:
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, demo_site.url, role)
        states[role] = context.storage_state()
        context.close()
    return states


def _pages(site):
    """{name: (path, roles who may see it)}."""
    plan = site.plan
    return {
        "home": ("/", READERS),
        "plan list": (reverse("plans:plan_list"), READERS),
        "my actions": (reverse("plans:my_actions"), READERS),
        "plan": (reverse("plans:plan_detail", args=[plan]), READERS),
        "dashboard": (reverse("reports:dashboard", args=[plan]), READERS),
        "timeline": (reverse("plans:timeline", args=[plan]), READERS),
        "risks": (reverse("plans:risk_register", args=[plan]), READERS),
        "risk": (reverse("plans:risk_detail", args=[plan, "R1"]), READERS),
        "risk import": (reverse("plans:risk_import", args=[plan]), ADMIN),
        "for you": (reverse("reports:for_you"), WRITERS),
        "target date requests": (reverse("plans:target_date_requests", args=[plan]), WRITERS),
        "people": (reverse("plans:people"), ADMIN),
        "email choices": (reverse("plans:preferences"), READERS),
        "action table": (reverse("reports:action_table", args=[plan]), READERS),
        "action table filtered": (
            reverse("reports:action_table", args=[plan]) + "?rag=red&rag=amber&due_after=2020-01-01&sort=-target",
            READERS,
        ),
        "action": (reverse("plans:action_detail", args=[plan, site.action]), READERS),
        "action update": (reverse("plans:action_update", args=[plan, site.action]), WRITERS),
        "import": (reverse("plans:import_start"), ADMIN),
        "kpi scorecard": (reverse("kpis:scorecard"), READERS),
        "kpi indicator": (reverse("kpis:indicator_detail", args=[site.indicator]), READERS),
        "kpi import": (reverse("kpis:import"), ADMIN),
        "kpi entry": (reverse("kpis:values_entry", args=[site.section]), ADMIN),
        "packs": (reverse("reports:pack_list", args=[plan]), READERS),
        "narratives": (reverse("reports:narratives", args=[plan]), READERS),
        "pack": (reverse("reports:pack_detail", args=[plan, site.pack]), ADMIN),
        "pack preview": (reverse("reports:pack_preview", args=[plan, site.pack]), ADMIN),
        "pack issue": (reverse("reports:pack_issue", args=[plan, site.pack]), ADMIN),
        "pack front matter": (reverse("reports:pack_front_matter", args=[plan, site.pack]), ADMIN),
        "boards": (reverse("reports:board_list"), {"admin", "viewer"}),
        "board": (reverse("reports:board_detail", args=[site.board]), {"board"}),
        "meeting": (reverse("reports:meeting_detail", args=[site.meeting]), READERS),
        "not found": ("/plans/no-such-plan/", READERS),
        "forbidden": (reverse("plans:import_start"), READERS - ADMIN),
    }


PAGE_NAMES = list(_pages(Site("", "p", "1", "k", "s", 1, 1)))
CASES = [
    pytest.param(name, role, id=f"{name}-{role}")
    for name, (_, roles) in _pages(Site("", "p", "1", "k", "s", 1, 1)).items()
    for role in ROLES
    if role in roles
]
EXPECTED_STATUS = {"not found": 404, "forbidden": 403}


@pytest.fixture(scope="module")
def role_page(browser, signed_in):
    """One page per role, signed in, kept for the module: each test opens its own address in it, at 1280 px first.

    A new browser context per test started a renderer process and compiled axe-core's half a megabyte afresh each
    time; the role's page keeps its process, and a test's state ends when the next test navigates away."""
    contexts = {}

    def page_for(role):
        if role not in contexts:
            context = browser.new_context(storage_state=signed_in[role])
            context.set_default_timeout(TIMEOUT_MS)
            contexts[role] = context.new_page()
        page = contexts[role]
        page.set_viewport_size(DESKTOP)
        return page

    yield page_for
    for page in contexts.values():
        page.context.close()


@pytest.mark.parametrize(("name", "role"), CASES)
def test_every_page_is_accessible_at_1280_and_390_px(demo_site, role_page, axe, name, role):
    # One load, checked at each width in turn: narrowing the window lays the same page out again by the stylesheet's
    # media queries (the app has no script that reads the width), as loading it at that width would, at half the cost.
    path, _ = _pages(demo_site)[name]
    page = role_page(role)
    response = page.goto(demo_site.url + path)
    assert response.status == EXPECTED_STATUS.get(name, 200)
    assert page.locator("main").count() == 1
    for viewport in WIDTHS.values():
        page.set_viewport_size(viewport)
        assert_accessible(axe, page)
        assert_no_sideways_scroll(page)


def test_the_sign_in_page_is_accessible_at_1280_and_390_px(demo_site, new_page, axe):
    page = new_page()
    page.goto(demo_site.url + "/accounts/login/")
    for viewport in WIDTHS.values():
        page.set_viewport_size(viewport)
        assert_accessible(axe, page)
        assert_no_sideways_scroll(page)


# The admin pages the app's own pages link to: the menu's "Admin", "add a plan" (plan list, no plans yet) and the
# tracker's own "Record an update" page inside the admin.
ADMIN_PAGES = {
    "admin index": lambda site: reverse("admin:index"),
    "admin add plan": lambda site: reverse("admin:plans_plan_add"),
    "admin record update": lambda site: reverse("admin:plans_action_record_update", args=[site.action_pk]),
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_pages_the_app_links_to_have_no_serious_problem(demo_site, signed_in, new_page, axe, name):
    page = new_page(storage_state=signed_in["admin"])
    response = page.goto(demo_site.url + ADMIN_PAGES[name](demo_site))
    assert response.status == 200
    for viewport in WIDTHS.values():
        page.set_viewport_size(viewport)
        assert_accessible(axe, page, impacts=ADMIN_IMPACTS)


# Pages with many kinds of control: links, buttons, radios, checkboxes, selects, text and date boxes, summaries.
FOCUS_PAGES = ["action", "action table filtered", "kpi entry"]


@pytest.mark.parametrize("name", FOCUS_PAGES)
def test_every_control_shows_a_focus_ring_of_at_least_3_to_1(demo_site, signed_in, new_page, name):
    path, _ = _pages(demo_site)[name]
    page = new_page(viewport=WIDTHS["1280"], storage_state=signed_in["admin"])
    page.goto(demo_site.url + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    seen = set()
    for _ in range(60):  # the first 60 stops of the Tab key: the header, the forms and the start of the content
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None:
            break
        seen.add(ring["what"].split("#")[0])
        assert ring["style"] == "solid" and ring["width"] >= 3, ring
        assert contrast(ring["color"], ring["background"]) >= 3, ring
    assert len(seen) >= 3, seen  # several kinds of control were reached, not one link over and over


# The focused element's outline, and the colour of the page behind the element (the first opaque ancestor).
FOCUS_RING = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let behind = el.parentElement, background = "rgb(255, 255, 255)";
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour && colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    behind = behind.parentElement;
  }
  return {what: el.tagName + "#" + (el.id || el.name || el.textContent.trim().slice(0, 30)),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, background};
})()"""


def _luminance(rgb):
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    """WCAG contrast ratio of two CSS rgb() colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
