"""Boards' and meetings' pages: who reads them, who records decisions, one-click plan actions, sign-off, packs."""

import pytest
from django.urls import reverse

from boards import services as board_services
from boards.models import Decision, FollowUp, Meeting
from plans.models import Action, Plan, PlanSignOff
from reports import services
from reports.content import pack_html
from reports.models import BoardPack
from tests.boards.factories import BoardFactory, MeetingFactory
from tests.factories import AreaFactory, PersonFactory, PlanFactory
from tests.reports.conftest import days


@pytest.fixture
def board(small_plan, board_member, manager):
    plan, _actions = small_plan
    return BoardFactory(name="Improvement Board", plans=[plan], members=[board_member, manager])


@pytest.fixture
def meetings(board, admin_user):
    """Two held meetings: at the first, a decision and two actions arising (one done); the next one to come."""
    first = MeetingFactory(board=board, date=days(-35))
    decision = board_services.decision_record(meeting=first, text="Deep dive into MASH.", recorded_by=admin_user)
    front = board.plans.get().areas.get(title="Front door")
    board_services.follow_up_add(
        meeting=first, description="Present the <MASH> deep dive", added_by=admin_user, decision=decision,
        owner_person=PersonFactory(name="Jo Bloggs"), due_date=days(-7), area=front,
    )  # fmt: skip
    done = board_services.follow_up_add(meeting=first, description="Circulate the plan", added_by=admin_user)
    board_services.follow_up_set_state(follow_up=done, state="done", by=admin_user)
    second = MeetingFactory(board=board, date=days(-5))
    upcoming = MeetingFactory(board=board, date=days(9), status=Meeting.Status.SCHEDULED)
    return first, second, upcoming


def _meeting_url(meeting):
    return reverse("reports:meeting_detail", args=[meeting.pk])


# Everyone who reads the plan reads its boards' meetings.
@pytest.mark.parametrize("role", ["admin_user", "manager", "board_member", "viewer"])
def test_every_reader_of_the_plan_reads_its_boards_and_meetings(client, request, meetings, role):
    first, _second, _upcoming = meetings
    client.force_login(request.getfixturevalue(role))
    boards = client.get(reverse("reports:board_list"))
    board = client.get(reverse("reports:board_detail", args=[first.board_id]))
    meeting = client.get(_meeting_url(first))
    assert (boards.status_code, board.status_code, meeting.status_code) == (200, 200, 200)
    assert "Improvement Board" in boards.content.decode()
    page = meeting.content.decode()
    assert "Deep dive into MASH." in page
    assert "Present the &lt;MASH&gt; deep dive" in page and "<MASH>" not in page


def test_a_board_over_a_draft_plan_does_not_exist_for_readers(client, viewer, admin_user):
    board = BoardFactory(plans=[PlanFactory(status=Plan.Status.DRAFT)])
    meeting = MeetingFactory(board=board)
    client.force_login(viewer)
    assert client.get(_meeting_url(meeting)).status_code == 404
    assert client.get(reverse("reports:board_detail", args=[board.pk])).status_code == 404
    assert board.name not in client.get(reverse("reports:board_list")).content.decode()
    client.force_login(admin_user)
    assert client.get(_meeting_url(meeting)).status_code == 200


# Admins and the board's members (managers and board members, not viewers) record decisions for its meetings.
@pytest.mark.parametrize(
    ("role", "member", "status"),
    [
        ("admin_user", False, 302),
        ("board_member", True, 302),
        ("manager", True, 302),
        ("other_manager", False, 403),
        ("viewer", True, 403),
    ],
)
def test_who_records_a_decision(client, request, meetings, role, member, status):
    _first, second, _upcoming = meetings
    user = request.getfixturevalue(role)
    if member:
        second.board.members.add(user)
    client.force_login(user)
    response = client.post(reverse("reports:decision_add", args=[second.pk]), {"text": "Agreed the plan."})
    assert response.status_code == status
    assert Decision.objects.filter(meeting=second).count() == (1 if status == 302 else 0)


def test_a_decision_without_words_is_shown_on_the_form(client, board_member, meetings):
    _first, second, _upcoming = meetings
    client.force_login(board_member)
    response = client.post(reverse("reports:decision_add", args=[second.pk]), {"text": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_member_records_an_action_arising_and_sets_its_state(client, board_member, meetings):
    _first, second, _upcoming = meetings
    client.force_login(board_member)
    response = client.post(
        reverse("reports:follow_up_add", args=[second.pk]),
        {"description": "Audit consent", "due_date": days(30).isoformat()},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(meeting=second)
    assert (follow_up.description, follow_up.due_date, follow_up.created_by) == (
        "Audit consent",
        days(30),
        board_member,
    )
    response = client.post(
        reverse("reports:follow_up_state", args=[follow_up.pk]), {f"f{follow_up.pk}-state": "dropped"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.DROPPED


# Turning an action arising into a plan action and signing off are for admins only.
@pytest.mark.parametrize(("role", "status"), [("admin_user", 302), ("board_member", 403), ("manager", 403)])
def test_only_an_admin_makes_an_action_arising_a_plan_action(client, request, meetings, role, status):
    first, _second, _upcoming = meetings
    follow_up = first.follow_ups.get(description__startswith="Present")
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("reports:follow_up_to_action", args=[follow_up.pk]), {f"a{follow_up.pk}-area": follow_up.area_id}
    )
    assert response.status_code == status
    follow_up.refresh_from_db()
    if status == 302:
        action = follow_up.action
        assert response["Location"] == action.get_absolute_url()
        assert (action.ref, action.title, action.target_date) == ("6", "Present the <MASH> deep dive", days(-7))
        page = client.get(action.get_absolute_url()).content.decode()
        assert "Arising from a board meeting:" in page and _meeting_url(first) in page
        assert f"Action arising from Improvement Board, {first.date:%-d %b %Y}" in page
    else:
        assert follow_up.action is None and Action.objects.count() == 5


@pytest.mark.parametrize(("role", "status"), [("admin_user", 302), ("board_member", 403), ("viewer", 403)])
def test_only_an_admin_records_a_sign_off_from_the_meeting(client, request, meetings, small_plan, role, status):
    plan, _actions = small_plan
    _first, second, _upcoming = meetings
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("reports:meeting_sign_off", args=[second.pk]), {"plan": plan.pk})
    assert response.status_code == status
    assert PlanSignOff.objects.filter(meetings=second).count() == (1 if status == 302 else 0)
    if status == 302:
        page = client.get(plan.get_absolute_url()).content.decode()
        assert f"Signed off by Improvement Board on {second.date:%-d %B %Y}" in page


def test_a_plan_the_board_does_not_oversee_cannot_be_signed_off_there(client, admin_user, meetings):
    _first, second, _upcoming = meetings
    other = AreaFactory().plan
    client.force_login(admin_user)
    response = client.post(reverse("reports:meeting_sign_off", args=[second.pk]), {"plan": other.pk})
    assert response.status_code == 400
    assert not PlanSignOff.objects.exists()


def test_the_pack_form_offers_the_boards_meetings_and_takes_the_meetings_date(client, admin_user, meetings, small_plan):
    plan, _actions = small_plan
    _first, _second, upcoming = meetings
    elsewhere = MeetingFactory(date=days(12), status=Meeting.Status.SCHEDULED)  # a board not overseeing the plan
    client.force_login(admin_user)
    page = client.get(reverse("reports:pack_list", args=[plan.slug]))
    meeting_field = page.context["form"]["meeting"]
    assert meeting_field.value() == upcoming.pk
    assert elsewhere not in meeting_field.field.queryset
    response = client.post(
        reverse("reports:pack_create", args=[plan.slug]),
        {"meeting": upcoming.pk, "as_of": days(0).isoformat(), "orientation": "portrait"},
    )
    pack = BoardPack.objects.get()
    assert response["Location"] == pack.get_absolute_url()
    assert (pack.meeting, pack.meeting_date) == (upcoming, upcoming.date)
    refused = client.post(
        reverse("reports:pack_create", args=[plan.slug]),
        {"meeting": elsewhere.pk, "as_of": days(0).isoformat(), "orientation": "portrait"},
    )
    assert refused.status_code == 400 and BoardPack.objects.count() == 1


def test_the_pack_form_still_takes_a_date_without_a_meeting(client, admin_user, small_plan):
    plan, _actions = small_plan
    client.force_login(admin_user)
    response = client.post(
        reverse("reports:pack_create", args=[plan.slug]),
        {"as_of": days(0).isoformat(), "meeting_date": days(7).isoformat(), "orientation": "portrait"},
    )
    assert response.status_code == 302
    assert (BoardPack.objects.get().meeting, BoardPack.objects.get().meeting_date) == (None, days(7))
    missing = client.post(reverse("reports:pack_create", args=[plan.slug]),
                          {"as_of": days(0).isoformat(), "orientation": "portrait"})  # fmt: skip
    assert missing.status_code == 400
    assert "Choose the board meeting, or give its date." in missing.content.decode()


def test_the_next_meetings_pack_lists_the_last_meetings_actions_arising(meetings, small_plan, admin_user):
    plan, _actions = small_plan
    first, second, _upcoming = meetings
    pack = services.board_pack_create(plan=plan, as_of=days(-6), meeting=second, created_by=admin_user)
    html = pack_html(pack)
    assert "Actions arising from the last meeting" in html
    assert f"Improvement Board met on {first.date:%-d %B %Y} and asked for 2 actions; 1 is still open." in html
    assert "Present the &lt;MASH&gt; deep dive" in html and "<MASH>" not in html
    assert "Jo Bloggs" in html and "<strong>Done</strong>" in html and "<strong>Open</strong>" in html


def test_a_pack_without_a_meeting_or_a_first_meeting_has_no_actions_arising(meetings, small_plan, admin_user):
    plan, _actions = small_plan
    first, _second, _upcoming = meetings
    for pack in (
        services.board_pack_create(plan=plan, as_of=days(-40), meeting=first),
        services.board_pack_create(plan=plan, as_of=days(-6), meeting_date=days(-5)),
    ):
        assert "Actions arising from the last meeting" not in pack_html(pack)


def test_the_meeting_page_lists_its_packs_as_each_role_may_see_them(client, viewer, admin_user, meetings, small_plan):
    plan, _actions = small_plan
    _first, second, _upcoming = meetings
    draft = services.board_pack_create(plan=plan, as_of=days(-6), meeting=second)
    client.force_login(admin_user)
    assert draft.get_absolute_url() in client.get(_meeting_url(second)).content.decode()
    client.force_login(viewer)
    assert draft.get_absolute_url() not in client.get(_meeting_url(second)).content.decode()


def _grow(board, admin_user, meetings_count, arising_per_meeting):
    area = board.plans.get().areas.first()
    for n in range(meetings_count):
        meeting = MeetingFactory(board=board, date=days(-100 - n * 30))
        decision = board_services.decision_record(meeting=meeting, text=f"Decision {n}", recorded_by=admin_user)
        for m in range(arising_per_meeting):
            board_services.follow_up_add(meeting=meeting, description=f"Do {n}.{m}", added_by=admin_user,
                                         decision=decision, area=area, owner_person=PersonFactory())  # fmt: skip
        services.board_pack_create(plan=board.plans.get(), as_of=meeting.date, meeting=meeting)
    return meeting


@pytest.mark.parametrize("size", [1, 8])
def test_the_boards_pages_cost_the_same_however_many_meetings_and_actions_arising(
    client, admin_user, board, size, django_assert_max_num_queries
):
    last = _grow(board, admin_user, meetings_count=size, arising_per_meeting=size)
    later = MeetingFactory(board=board, date=days(-5))
    for n in range(size):
        board_services.follow_up_add(meeting=later, description=f"Later {n}", added_by=admin_user,
                                     owner_person=PersonFactory())  # fmt: skip
    client.force_login(admin_user)
    # (page, queries): the same at both sizes; the meeting pages read decisions, actions arising, packs, the
    # previous meeting's actions arising, sign-offs and the areas offered, once each.
    pages = [(reverse("reports:board_list"), 10), (reverse("reports:board_detail", args=[board.pk]), 11),
             (_meeting_url(last), 20), (_meeting_url(later), 21)]  # fmt: skip
    for url, queries in pages:
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_a_meeting_to_come_offers_no_decision_form_and_refuses_one(client, board_member, meetings):
    _first, _second, upcoming = meetings
    client.force_login(board_member)
    page = client.get(_meeting_url(upcoming)).content.decode()
    assert "decisions are recorded here once the meeting has been held" in page
    assert reverse("reports:decision_add", args=[upcoming.pk]) not in page
    response = client.post(reverse("reports:decision_add", args=[upcoming.pk]), {"text": "Too early"})
    assert response.status_code == 400
    assert not Decision.objects.filter(meeting=upcoming).exists()
