"""Period narratives: "what is going well / areas for improvement" per area and KPI section, in the board pack.

- Admins write any narrative of the plan.
- Managers write those of the areas where they lead or sponsor an action, and of every KPI section of the plan.
- Board members and viewers read them; any write from them answers 403.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.dates import NOT_A_MONTH
from common.stale import NOTHING_SAVED
from plans import roles
from reports import services, views
from reports.content import pack_html
from reports.for_you import NAV_COUNT_QUERIES
from reports.forms import NARRATIVE_MAX_LENGTH
from reports.models import BoardPack, PeriodNarrative
from reports.rendering import html_to_pdf
from tests.factories import ActionFactory, AreaFactory, PlanFactory, person_of, user_with_role
from tests.kpis.factories import IndicatorFactory, SectionFactory, ValueFactory
from tests.reports.conftest import TODAY, days, pdf_pages

MONTH = TODAY.replace(day=1)
LAST_MONTH = (MONTH - dt.timedelta(days=1)).replace(day=1)
UNSAFE = '<script>alert("narrative")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def sponsoring_manager(db):
    return user_with_role(roles.MANAGER, username="sponsoring-manager")


@pytest.fixture
def plan_setup(small_plan, manager, sponsoring_manager):
    """The small plan, a manager leading a Workforce action, another sponsoring the Front door ones, one KPI section."""
    plan, actions = small_plan
    actions["on_track"].leads.set([person_of(manager)])
    adcsc = actions["overdue"].sponsors.get(abbreviation="ADCSC")
    adcsc.person = person_of(sponsoring_manager)
    adcsc.save()
    front, workforce = actions["overdue"].area, actions["on_track"].area
    section = SectionFactory(name="Assessments")
    indicator = IndicatorFactory(section=section, name="% assessments within 45 working days")
    indicator.areas.set([front])
    ValueFactory(indicator=indicator, period=MONTH, value=Decimal("83.2"))
    IndicatorFactory(section=SectionFactory(name="Another plan's section"), name="Not this plan's indicator")
    return plan, front, workforce, section


def _subjects(plan_setup):
    _plan, front, workforce, section = plan_setup
    return {"front door": front, "workforce": workforce, "section": section}


# --- The rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "front_door", "workforce", "section"),
    [
        ("admin_user", True, True, True),
        ("manager", False, True, True),  # leads a Workforce action
        ("sponsoring_manager", True, False, True),  # sponsors the Front door actions
        ("other_manager", False, False, True),  # neither: the KPI sections only
        ("board_member", False, False, False),
        ("viewer", False, False, False),
    ],
)
def test_who_may_write_which_narrative(request, plan_setup, role, front_door, workforce, section):
    plan, front, workforce_area, kpi_section = plan_setup
    user = request.getfixturevalue(role)

    may = PeriodNarrative.can_be_written_by

    assert may(user, plan=plan, area=front) is front_door
    assert may(user, plan=plan, area=workforce_area) is workforce
    assert may(user, plan=plan, section=kpi_section) is section
    assert PeriodNarrative.can_write_any(user, plan) is (front_door or workforce or section)


def test_nobody_writes_for_an_area_of_another_plan(plan_setup, admin_user):
    plan, _front, _workforce, _section = plan_setup
    elsewhere = AreaFactory(plan=PlanFactory(), title="Elsewhere")

    assert PeriodNarrative.can_be_written_by(admin_user, plan=plan, area=elsewhere) is False


def test_the_sections_are_those_of_the_plans_indicators(plan_setup):
    plan, _front, _workforce, section = plan_setup

    assert list(PeriodNarrative.sections_of(plan)) == [section]


@pytest.mark.parametrize(
    ("area", "section"),
    [(True, True), (False, False)],
    ids=["both an area and a section", "neither"],
)
def test_a_narrative_is_for_exactly_one_area_or_section(plan_setup, area, section):
    plan, front, _workforce, kpi_section = plan_setup

    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodNarrative.objects.create(
            plan=plan, period=MONTH, area=front if area else None, section=kpi_section if section else None
        )


@pytest.mark.parametrize("subject", ["area", "section"])
def test_one_narrative_per_area_or_section_and_month(plan_setup, subject):
    plan, front, _workforce, section = plan_setup
    about = {"area": front} if subject == "area" else {"section": section}
    PeriodNarrative.objects.create(plan=plan, period=MONTH, going_well="First", **about)
    PeriodNarrative.objects.create(plan=plan, period=LAST_MONTH, going_well="Last month's", **about)

    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodNarrative.objects.create(plan=plan, period=MONTH, going_well="Second", **about)


# --- The service -------------------------------------------------------------------------------------


def test_saving_writes_all_or_nothing(plan_setup, manager):
    plan, front, workforce, _section = plan_setup

    with pytest.raises(PermissionDenied, match="Front door"):
        services.period_narratives_save(
            plan=plan,
            month=TODAY,
            written_by=manager,
            narratives=[(workforce, "Caseloads are down", ""), (front, "Not theirs to write", "")],
        )

    assert not PeriodNarrative.objects.exists()


def test_saving_keeps_unchanged_narratives_and_removes_emptied_ones(plan_setup, admin_user):
    plan, front, workforce, section = plan_setup
    second_admin = user_with_role(roles.ADMIN, username="second-admin")
    services.period_narratives_save(
        plan=plan, month=TODAY, written_by=admin_user,
        narratives=[(front, "Timely decisions", "Consent"), (workforce, "Stable teams", ""), (section, "", "Records")],
    )  # fmt: skip

    changed = services.period_narratives_save(
        plan=plan, month=TODAY, written_by=second_admin,
        narratives=[(workforce, "  Stable teams  ", ""), (section, "", ""), (front, "Timely decisions\r\n", "Consent")],
    )  # fmt: skip

    assert changed == 1  # the section's, removed; the areas' words did not change (browsers send CRLF)
    kept = PeriodNarrative.objects.get(area=workforce)
    assert (kept.period, kept.written_by) == (MONTH, admin_user)
    assert set(PeriodNarrative.objects.values_list("area__title", flat=True)) == {"Front door", "Workforce"}


def test_lines_are_kept_with_newlines_whatever_the_browser_sends(plan_setup, admin_user):
    plan, front, _workforce, _section = plan_setup

    services.period_narratives_save(
        plan=plan, month=TODAY, written_by=admin_user, narratives=[(front, "One\r\n\r\nTwo\rThree", "")]
    )

    assert PeriodNarrative.objects.get().going_well == "One\n\nTwo\nThree"


# --- The page ---------------------------------------------------------------------------------------


def _url(plan, month=MONTH):
    return f"{reverse('reports:narratives', args=[plan.slug])}?month={month:%Y-%m}"


def _fields(subject, going_well="", for_improvement="", seen=NOTHING_SAVED):
    """What the page posts for `subject`; `seen` is the stamp of its narrative as the page showed it."""
    prefix = f"{subject._meta.model_name}-{subject.pk}"
    return {f"{prefix}-going_well": going_well, f"{prefix}-for_improvement": for_improvement, f"{prefix}-seen": seen}


@pytest.mark.parametrize(
    ("role", "writable"),
    [
        ("admin_user", {"front door", "workforce", "section"}),
        ("manager", {"workforce", "section"}),
        ("sponsoring_manager", {"front door", "section"}),
        ("other_manager", {"section"}),
        ("board_member", set()),
        ("viewer", set()),
    ],
)
def test_every_role_reads_the_page_and_gets_boxes_for_what_they_may_write(client, request, plan_setup, role,
                                                                          writable):  # fmt: skip
    plan, front, _workforce, _section = plan_setup
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=front, going_well="Children are seen quickly")
    client.force_login(request.getfixturevalue(role))

    response = client.get(_url(plan))

    assert response.status_code == 200
    page = response.text
    for name, subject in _subjects(plan_setup).items():
        assert str(subject) in page
        assert (f'name="{next(iter(_fields(subject)))}"' in page) == (name in writable)
    assert "Children are seen quickly" in page
    assert "Another plan&#x27;s section" not in page
    assert ('class="narratives-form"' in page) == bool(writable)


@pytest.mark.parametrize("role", ["board_member", "viewer"])
def test_readers_may_not_write(client, request, plan_setup, role):
    plan, front, _workforce, section = plan_setup
    client.force_login(request.getfixturevalue(role))

    response = client.post(_url(plan), {**_fields(front, "Written by a reader"), **_fields(section, "Also")})

    assert response.status_code == 403
    assert not PeriodNarrative.objects.exists()


@pytest.mark.parametrize("role", ["admin_user", "manager", "sponsoring_manager", "other_manager"])
def test_writers_save_the_month_in_one_post(client, request, plan_setup, role):
    plan, front, workforce, section = plan_setup
    user = request.getfixturevalue(role)
    client.force_login(user)
    posted = {
        **_fields(front, "Timely decisions at the front door", "Consent is not recorded"),
        **_fields(workforce, "Permanent managers in post", "Agency staff turnover"),
        **_fields(section, "Assessments on time", "Quality of analysis"),
    }

    response = client.post(_url(plan, LAST_MONTH), posted)

    assert response.status_code == 302
    assert response.url == _url(plan, LAST_MONTH)
    expected = {
        subject.pk for subject in (front, workforce) if PeriodNarrative.can_be_written_by(user, plan=plan, area=subject)
    }
    saved = PeriodNarrative.objects.filter(plan=plan, period=LAST_MONTH)
    # Boxes the page did not offer this user are ignored, never saved.
    assert {n.area_id for n in saved if n.area_id} == expected
    section_narrative = saved.get(section=section)
    assert (section_narrative.going_well, section_narrative.for_improvement) == (
        "Assessments on time",
        "Quality of analysis",
    )
    assert {n.written_by for n in saved} == {user}
    assert not PeriodNarrative.objects.filter(period=MONTH).exists()


def test_a_narrative_too_long_saves_nothing(client, admin_user, plan_setup):
    plan, front, workforce, _section = plan_setup
    client.force_login(admin_user)

    response = client.post(
        _url(plan), {**_fields(front, "Fine"), **_fields(workforce, "x" * (NARRATIVE_MAX_LENGTH + 1))}
    )

    assert response.status_code == 400
    assert views.NARRATIVES_HAVE_ERRORS in response.text
    assert f"at most {NARRATIVE_MAX_LENGTH:,}" in response.text or f"at most {NARRATIVE_MAX_LENGTH}" in response.text
    assert not PeriodNarrative.objects.exists()


@pytest.mark.parametrize("month", ["2018-13", "November", "2018-11-05"])
def test_a_month_that_is_not_one_is_refused_by_name(client, admin_user, plan_setup, month):
    plan, front, _workforce, _section = plan_setup
    client.force_login(admin_user)
    url = f"{reverse('reports:narratives', args=[plan.slug])}?month={month}"

    assert client.get(url).status_code == 400
    response = client.post(url, _fields(front, "Written"))

    assert response.status_code == 400
    assert response.text == NOT_A_MONTH.format(text=month, name="month")
    assert not PeriodNarrative.objects.exists()


def test_what_was_typed_is_shown_as_text_on_the_page(client, admin_user, board_member, plan_setup):
    plan, front, workforce, _section = plan_setup
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=front, going_well=UNSAFE)
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=workforce, for_improvement=UNSAFE)

    for user in (admin_user, board_member):  # in the boxes, and as read-only text
        client.force_login(user)
        page = client.get(_url(plan)).text

        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;narrative&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("role", "linked"),
    [("admin_user", True), ("manager", True), ("other_manager", True), ("board_member", False), ("viewer", False)],
)
def test_the_board_pack_list_links_to_the_page_for_those_who_may_write(client, request, plan_setup, role, linked):
    plan, _front, _workforce, _section = plan_setup
    client.force_login(request.getfixturevalue(role))

    page = client.get(reverse("reports:pack_list", args=[plan.slug])).text

    assert (reverse("reports:narratives", args=[plan.slug]) in page) is linked


@pytest.mark.parametrize("areas", [2, 20])
def test_the_page_costs_the_same_however_many_areas(client, manager, plan_setup, areas,
                                                    django_assert_max_num_queries):  # fmt: skip
    plan, _front, _workforce, _section = plan_setup
    for n in range(areas):
        area = AreaFactory(plan=plan, title=f"Extra area {n}")
        ActionFactory(plan=plan, area=area, leads=[manager])
        PeriodNarrative.objects.create(plan=plan, period=MONTH, area=area, going_well=f"Going well {n}")
    client.force_login(manager)

    with django_assert_max_num_queries(10 + NAV_COUNT_QUERIES):  # the manager's "For you" count
        response = client.get(_url(plan))

    assert response.text.count("<textarea") == 2 * (areas + 2)  # theirs: the extra areas, Workforce, the section


# --- In the board pack -------------------------------------------------------------------------------


def _flat(text):
    return " ".join(text.split())


def test_the_pack_shows_each_narrative_under_its_area_and_section(plan_setup, admin_user):
    plan, front, workforce, section = plan_setup
    PeriodNarrative.objects.create(
        plan=plan, period=MONTH, area=front, written_by=admin_user,
        going_well="Children at risk are identified quickly.\n\nThe MASH makes the right decisions.",
        for_improvement="Consent is not routinely recorded.",
    )  # fmt: skip
    PeriodNarrative.objects.create(
        plan=plan, period=MONTH, section=section, going_well="Assessments are timely.", for_improvement=""
    )
    PeriodNarrative.objects.create(plan=plan, period=LAST_MONTH, area=workforce, going_well="Last month's words")
    pack = BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7))

    text = _flat(" ".join(pdf_pages(html_to_pdf(pack_html(pack)).content)))

    areas = text.index("3. Area by area")
    front_door = text.index("Recruit two permanent team managers", areas)  # its last action
    narrative = text.index("What is going well Children at risk are identified quickly. The MASH makes", areas)
    assert front_door < narrative < text.index("Areas for improvement Consent is not routinely recorded.", areas)
    assert narrative < text.index("Agree the caseload policy", areas)  # before the next area's actions
    kpi_narrative = text.index("What is going well Assessments are timely.")
    assert text.index("% assessments within 45 working days", areas) < kpi_narrative
    assert "Areas for improvement Nothing written." in text[kpi_narrative:]
    assert "Last month's words" not in text
    assert "Multi-agency safeguarding hub" in text  # MASH, from the narrative, is in the glossary
    assert text.count("What is going well") == 2


def test_what_was_typed_is_text_in_the_preview_and_the_pdf(plan_setup, admin_user):
    plan, front, _workforce, section = plan_setup
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=front, going_well=UNSAFE, for_improvement=UNSAFE)
    PeriodNarrative.objects.create(plan=plan, period=MONTH, section=section, for_improvement=UNSAFE)
    pack = services.board_pack_create(plan=plan, as_of=TODAY, meeting_date=days(7))

    html = pack_html(pack, preview=True)
    text = _flat(" ".join(pdf_pages(html_to_pdf(html).content)))

    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&quot;narrative&quot;)&lt;/script&gt;") == 3
    assert text.count('<script>alert("narrative")</script><img src=x onerror=alert(1)>') == 3


@pytest.mark.parametrize("areas", [1, 15])
def test_the_preview_costs_the_same_however_many_narratives(client, admin_user, plan_setup, areas,
                                                            django_assert_max_num_queries):  # fmt: skip
    plan, _front, _workforce, section = plan_setup
    for n in range(areas):
        area = AreaFactory(plan=plan, title=f"Extra area {n}")
        ActionFactory(plan=plan, area=area, ref=f"9.{n}", title=f"Extra action {n}")
        PeriodNarrative.objects.create(plan=plan, period=MONTH, area=area, going_well=f"Going well in area {n}")
    PeriodNarrative.objects.create(plan=plan, period=MONTH, section=section, going_well="Assessments are timely")
    pack = services.board_pack_create(plan=plan, as_of=TODAY, meeting_date=days(7))
    client.force_login(admin_user)

    # 26 at both sizes: the narratives are one query, whatever their number (dependencies cost two: the late
    # prerequisites and the timeline's links; the risk register one; leads and sponsors' people two more; the KPIs
    # linked to each area one; the plan's areas one, read once rather than joined to every action, and so the
    # users who wrote updates and decided targets; the pack's scope, its chosen areas and themes, one).
    with django_assert_max_num_queries(26):
        response = client.get(reverse("reports:pack_preview", args=[plan.slug, pack.pk]))

    assert response.status_code == 200
    assert f"Going well in area {areas - 1}" in response.text
    assert "Assessments are timely" in response.text


def test_a_narrative_longer_than_a_page_carries_on_over_the_next_pages(plan_setup):
    plan, front, _workforce, _section = plan_setup
    points = [f"Point {n}: practice is child focused, purposeful, thoughtful and creative." for n in range(70)]
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=front, going_well="\n\n".join(points))

    pages = pdf_pages(html_to_pdf(pack_html(BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7)))).content)

    text = _flat(" ".join(pages))
    assert all(f"{point}" in text for point in points)  # nothing is cut off at the foot of a page
    assert len([page for page in pages if "Point " in page]) >= 2


# --- The demo ----------------------------------------------------------------------------------------


def test_the_demo_has_narratives_for_the_month_it_is_live_in(db):
    out = io.StringIO()
    call_command("load_demo", "--current", stdout=out)
    call_command("load_demo", "--current", stdout=out)

    assert f"Added 3 'what is going well / areas for improvement' narratives for {MONTH:%B %Y}" in out.getvalue()
    narratives = PeriodNarrative.objects.filter(period=MONTH)
    assert {str(n.subject) for n in narratives} == {
        "MASH",
        "Assessments",
        "Children in Need & subject to Child Protection Plan",
    }
    assert {n.written_by.username for n in narratives} == {"manager"}
    assert PeriodNarrative.objects.count() == 3  # the second run added nothing
