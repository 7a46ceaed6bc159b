"""What each role does, done in Chromium against the live server: clicks, forms, htmx, the board pack worker."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from plans import roles
from plans.models import Action
from plans.rag import Status
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_no_sideways_scroll, sign_in
from tests.factories import ActionFactory, AreaFactory, PlanFactory, SponsorFactory, user_with_role
from tests.kpis.factories import IndicatorFactory, SectionFactory
from tests.plans.importing.workbooks import xlsx

PASSWORD = "secret-password"  # tests.factories.UserFactory's
TODAY = timezone.localdate()


@pytest.fixture
def site(live_server, settings, tmp_path):
    """A small live plan: the manager sponsors actions 1 and 2; an admin, a board member and a viewer."""
    settings.MEDIA_ROOT = tmp_path / "media"
    users = {
        "admin": user_with_role(roles.ADMIN, username="admin-user"),
        "manager": user_with_role(roles.MANAGER, username="manager-user"),
        "board": user_with_role(roles.BOARD_MEMBER, username="board-user"),
        "viewer": user_with_role(roles.VIEWER, username="viewer-user"),
    }
    sponsor = SponsorFactory(abbreviation="ADCSC", role="Assistant Director CSC", user=users["manager"])
    plan = PlanFactory(slug="csc", title="Children's Services Improvement Plan")
    front = AreaFactory(plan=plan, title="Front door")
    workforce = AreaFactory(plan=plan, title="Workforce")
    actions = {
        "1": ActionFactory(plan=plan, area=front, ref="1", title="Review the MASH threshold document",
                           target_date=TODAY - dt.timedelta(days=20), status=Status.IN_PROGRESS, sponsors=[sponsor]),
        "2": ActionFactory(plan=plan, area=front, ref="2", title="Recruit two permanent team managers",
                           target_date=TODAY + dt.timedelta(days=90), status=Status.IN_PROGRESS, sponsors=[sponsor]),
        "3": ActionFactory(plan=plan, area=workforce, ref="3", title="Launch the practice academy",
                           target_date=TODAY + dt.timedelta(days=120), status=Status.NOT_STARTED),
    }  # fmt: skip
    return {"url": live_server.url, "plan": plan, "users": users, "actions": actions}


def signed_in_page(new_page, site, role, viewport=DESKTOP):
    page = new_page(viewport=viewport)
    sign_in(page, site["url"], site["users"][role].username, PASSWORD)
    return page


def run_the_worker():
    """What `manage.py db_worker` does in production, in this process: every queued task, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


def open_details(page, summary_text):
    """Open a <details> by its summary unless it is open already (the update form opens by itself on a new action)."""
    summary = page.locator("summary", has_text=summary_text)
    if not summary.evaluate("el => el.parentElement.open"):
        summary.click()


def test_a_manager_updates_an_action_by_the_form_and_inline(site, new_page):
    page = signed_in_page(new_page, site, "manager")
    assert page.url.endswith("/for-you/")  # a manager lands on what is asked of them
    page.get_by_role("link", name="My actions", exact=True).click()
    page.get_by_role("link", name="Recruit two permanent team managers").click()

    open_details(page, "Update this action")
    page.get_by_label("In progress").check()
    page.get_by_label("Completion is at risk").check()
    page.get_by_label("Why is it at risk?").fill("No applicants in the first round")
    page.get_by_label("Commentary").fill("Advert closes next week; agency cover until then.")
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_text("Action 2 updated.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("No applicants in the first round")
    action = Action.objects.get(ref="2")
    assert action.at_risk and action.updates.count() == 1

    page.goto(f"{site['url']}/plans/csc/actions/")
    page.get_by_role("button", name="Update action 1").click()  # htmx opens the form under the row
    inline = page.locator("tr.inline-update")
    expect(inline).to_be_visible()
    inline.get_by_label("Completed").check()
    inline.get_by_label("Commentary").fill("Threshold document signed off by the partnership.")
    inline.get_by_role("button", name="Save update").click()

    expect(page.locator("tr.inline-update-done")).to_contain_text("Action 1 updated")
    expect(page.locator("table.actions tbody tr").filter(has_text="Review the MASH threshold")).to_contain_text("Blue")
    assert page.url.endswith("/plans/csc/actions/")  # in place: no page load
    assert Action.objects.get(ref="1").status == Status.COMPLETED


def test_a_manager_asks_to_move_a_target_and_an_admin_decides(site, new_page, axe):
    page = signed_in_page(new_page, site, "manager")
    page.goto(f"{site['url']}/plans/csc/actions/2/")
    open_details(page, "Ask to move the target date")
    new_target = TODAY + dt.timedelta(days=150)
    page.get_by_role("button", name="Ask to move the target").click()  # nothing filled in: a failed submit

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()  # the mistakes are read first
    expect(summary.get_by_role("link")).to_have_count(2)  # the date and the reason, each linked to its field
    assert_accessible(axe, page)
    summary.get_by_role("link", name=re.compile("need to move")).click()
    expect(page.get_by_label("Why does it need to move?")).to_be_focused()

    page.get_by_label("New target date").fill(new_target.isoformat())
    page.get_by_label("Why does it need to move?").fill("The recruitment round was re-run")
    page.get_by_role("button", name="Ask to move the target").click()
    expect(page.get_by_text("waiting for a sponsor or an admin")).to_be_visible()
    # The manager who asked cannot approve their own slippage.
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    admin = signed_in_page(new_page, site, "admin")
    admin.goto(f"{site['url']}/plans/csc/actions/2/")
    admin.get_by_role("button", name="Approve").click()
    expect(admin.get_by_text("New target date approved.")).to_be_visible()
    expect(admin.locator("main")).to_contain_text(f"{new_target:%-d %b %Y}")
    assert Action.objects.get(ref="2").target_date == new_target


def test_a_board_member_follows_a_number_to_its_actions_and_changes_the_date(site, new_page):
    page = signed_in_page(new_page, site, "board")
    assert page.url.endswith("/plans/csc/dashboard/")  # the board lands on the plan's dashboard

    page.get_by_role("link", name=re.compile(r"^1 overdue")).click()
    expect(page.locator("table.actions tbody tr")).to_have_count(1)
    expect(page.locator("table.actions")).to_contain_text("Review the MASH threshold document")
    assert "attention=overdue" in page.url

    page.go_back()
    before_the_target = TODAY - dt.timedelta(days=30)  # action 1 was not yet overdue then
    open_details(page, "Other dates")
    page.get_by_label("View as at").fill(before_the_target.isoformat())
    page.get_by_role("button", name="Show").click()
    assert f"as_of={before_the_target.isoformat()}" in page.url
    expect(page.get_by_role("link", name=re.compile(r"^0 overdue"))).to_be_visible()


def test_an_admin_imports_a_plan_from_a_spreadsheet(site, new_page, tmp_path, axe):
    workbook = tmp_path / "new-plan.xlsx"
    workbook.write_bytes(xlsx([
        ["Area", "Ref", "Action", "Target date", "Sponsor"],
        ["Leadership", "1", "Set up the improvement board", "Dec 30", "ADCSC"],
        [None, "2", "Appoint an independent chair", "Mar 31", "ADCSC"],
    ]))  # fmt: skip
    page = signed_in_page(new_page, site, "admin")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("Plan workbook (.xlsx)").set_input_files(str(workbook))
    page.get_by_label("Title of the new plan").fill("Leadership Plan")
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.locator("main h1")).to_contain_text("Check before importing")
    expect(page.locator("main")).to_contain_text("Set up the improvement board")
    for viewport in (DESKTOP, PHONE):  # the preview: the one page the module-wide check cannot reach
        page.set_viewport_size(viewport)
        assert_accessible(axe, page)
        assert_no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Import 2 actions").click()

    expect(page.locator("main")).to_contain_text("Leadership Plan")
    assert Action.objects.filter(plan__title="Leadership Plan").count() == 2


def reload_past_its_own_refresh(page, tries=3):
    """Reload a pack page that reloads itself every few seconds while it waits: ours may meet its own and abort."""
    for attempt in range(tries):
        try:
            page.goto(page.url)
            return
        except PlaywrightError as error:
            if "ERR_ABORTED" not in str(error) or attempt == tries - 1:
                raise


def test_an_admin_prepares_generates_issues_and_downloads_a_pack(site, new_page, axe):
    page = signed_in_page(new_page, site, "admin")
    page.goto(f"{site['url']}/reports/csc/")
    page.get_by_label("Board meeting", exact=True).fill((TODAY + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Prepare draft").click()
    expect(page.get_by_text("Draft version 1 prepared")).to_be_visible()

    page.get_by_role("button", name="Generate draft PDF").click()
    run_the_worker()
    reload_past_its_own_refresh(page)
    expect(page.get_by_role("button", name=re.compile("Download the PDF"))).to_be_visible()

    page.get_by_role("button", name=re.compile("Issue this pack")).click()
    # A confirmation says what will be recorded and that it cannot be undone; only its button issues.
    expect(page.locator("main")).to_contain_text("Issuing cannot be undone")
    page.get_by_role("button", name="Issue version 1").click()
    run_the_worker()
    reload_past_its_own_refresh(page)
    expect(page.locator("main")).to_contain_text("the current version · issued")
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download the PDF")).click()
    pdf = PdfReader(download.value.path())
    assert "Review the MASH threshold document" in " ".join(p.extract_text() for p in pdf.pages)
    assert pdf.trailer["/Root"]["/StructTreeRoot"]  # the tagged PDF is what the board downloads


def test_an_admin_enters_a_months_kpi_figures(site, new_page):
    section = SectionFactory(name="Front door")
    indicator = IndicatorFactory(section=section, name="% of contacts decided within 24 hours")
    month = TODAY.replace(day=1)
    page = signed_in_page(new_page, site, "admin")
    page.goto(f"{site['url']}/kpis/enter/{section.slug}/?month={month:%Y-%m}")

    cell = page.get_by_label("% of contacts decided within 24 hours", exact=True)
    cell.fill("lots")
    page.get_by_role("button", name=re.compile("^Save")).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("% of contacts decided within 24 hours")
    summary.get_by_role("link").first.click()
    expect(cell).to_be_focused()

    cell.fill("87.5")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(".message")).to_be_visible()
    assert indicator.values.get(period=month).value == Decimal("87.5")


VIEWER_PAGES = [
    "/plans/",
    "/plans/csc/",
    "/plans/csc/dashboard/",
    "/plans/csc/actions/",
    "/plans/csc/actions/1/",
    "/kpis/",
    "/reports/csc/",
    "/reports/csc/narratives/",
]


def test_a_viewer_sees_no_write_control_anywhere(site, new_page):
    page = signed_in_page(new_page, site, "viewer")
    for path in VIEWER_PAGES:
        page.goto(site["url"] + path)
        # The only form that writes is signing out.
        posts = page.locator("main form[method=post], main [hx-post], main button:not(form[method=get] button)")
        assert posts.count() == 0, f"{path} offers a write control to a viewer"
        expect(page.get_by_role("link", name=re.compile(r"^(Update|Import|Enter figures|Admin)\b"))).to_have_count(0)
    for path in ["/plans/csc/actions/1/update/", "/plans/import/", "/kpis/import/"]:
        assert page.goto(site["url"] + path).status == 403


def tab_until(page, test, limit=80):
    """Press Tab until `test(page)` holds, as a keyboard user would; the presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if test(page):
            return presses
    raise AssertionError(f"Not reached in {limit} presses of Tab")


def active(page, expression):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def test_a_manager_updates_an_action_with_the_keyboard_alone(site, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(site["url"] + "/accounts/login/")
    page.keyboard.type("manager-user")  # the username box has the focus when the page opens
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/for-you/")  # a manager lands on what is asked of them; their actions are one link away
    tab_until(page, lambda p: active(p, "el.textContent.trim()") == "My actions")
    page.keyboard.press("Enter")
    page.wait_for_url("**/plans/my-actions/")

    tab_until(page, lambda p: active(p, "el.textContent.trim()") == "Recruit two permanent team managers")
    page.keyboard.press("Enter")
    page.wait_for_url("**/plans/csc/actions/2/")
    tab_until(page, lambda p: active(p, "el.tagName") == "SUMMARY")
    if not active(page, "el.parentElement.open"):
        page.keyboard.press("Enter")  # opens the update form
    tab_until(page, lambda p: active(p, "el.name") == "status")
    page.keyboard.press("Space")
    tab_until(page, lambda p: active(p, "el.name") == "at_risk")
    page.keyboard.press("Space")  # at risk, with no reason: the form will refuse it
    tab_until(page, lambda p: active(p, "el.textContent.trim()") == "Save update")
    page.keyboard.press("Enter")

    page.wait_for_load_state()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.keyboard.press("Tab")  # the first link of the summary
    page.keyboard.press("Enter")
    expect(page.get_by_label("Why is it at risk?")).to_be_focused()
    page.keyboard.type("Only one applicant; re-advertising")
    tab_until(page, lambda p: active(p, "el.name") == "commentary")  # the board reads it for every Amber action
    page.keyboard.type("Re-advertised with the agency; interviews on the 20th.")
    tab_until(page, lambda p: active(p, "el.textContent.trim()") == "Save update")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Action 2 updated.")).to_be_visible()
    assert Action.objects.get(ref="2").at_risk_reason == "Only one applicant; re-advertising"


def test_a_board_member_records_a_decision_and_an_admin_makes_its_action_arising_a_plan_action(site, new_page):
    from boards.models import Board, Meeting

    board = Board.objects.create(name="Improvement Board")
    board.plans.add(site["plan"])
    board.members.add(site["users"]["board"])
    Meeting.objects.create(board=board, date=TODAY - dt.timedelta(days=1), status=Meeting.Status.HELD)

    page = signed_in_page(new_page, site, "board")
    page.get_by_role("link", name="Boards", exact=True).click()
    page.get_by_role("link", name=f"{TODAY - dt.timedelta(days=1):%-d %B %Y}").first.click()
    page.get_by_label("Record a decision: what was decided").fill("The board asked for an audit of consent in MASH.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision 1 recorded.")).to_be_visible()
    open_details(page, "Record an action arising")
    page.get_by_label("What is to be done").fill("Audit the recording of consent")
    page.get_by_label("Due by").fill((TODAY + dt.timedelta(days=28)).isoformat())
    page.get_by_label("Arising from decision").select_option(
        label="1. The board asked for an audit of consent in MASH."
    )
    page.get_by_label("Area of the plan").select_option(label="Children's Services Improvement Plan: Front door")
    page.get_by_role("button", name="Record the action arising").click()
    expect(page.get_by_role("heading", name="Audit the recording of consent")).to_be_visible()
    # A board member may not add to the plan: the button is for admins.
    expect(page.get_by_role("button", name=re.compile("Make it a plan action"))).to_have_count(0)

    admin = signed_in_page(new_page, site, "admin")
    admin.goto(page.url)
    admin.get_by_role("button", name=re.compile("Make it a plan action")).click()
    expect(admin.get_by_role("heading", name="Action 4: Audit the recording of consent")).to_be_visible()
    expect(admin.get_by_text("Arising from a board meeting:")).to_be_visible()
    action = Action.objects.get(ref="4")
    assert (action.area.title, action.target_date) == ("Front door", TODAY + dt.timedelta(days=28))
    assert action.arising_from.meeting.board == board
