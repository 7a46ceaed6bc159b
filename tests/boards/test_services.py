"""Boards' writes: who records a meeting's decisions and actions arising, turning one into a plan action, sign-off."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from boards import services
from boards.models import FollowUp, Meeting
from plans.models import Action, PlanSignOff
from plans.rag import Status
from tests.boards.factories import BoardFactory, MeetingFactory
from tests.factories import ActionFactory, AreaFactory, PersonFactory, PlanFactory, person_of

TODAY = timezone.localdate()


@pytest.fixture
def plan(db):
    return PlanFactory(title="Children's plan")


@pytest.fixture
def area(plan):
    return AreaFactory(plan=plan, title="Front door")


@pytest.fixture
def meeting(plan, board_member, manager):
    board = BoardFactory(name="Improvement Board", plans=[plan], members=[board_member, manager])
    return MeetingFactory(board=board, date=TODAY - dt.timedelta(days=3))


# Admins record for any meeting; a member of the board (manager or board member) for its meetings; a viewer, or a
# board member of another board, never.
@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin_user", True), ("board_member", True), ("manager", True), ("other_manager", False), ("viewer", False)],
)
def test_it_lets_admins_and_the_boards_members_record_decisions(request, meeting, viewer, who, allowed):
    if who == "viewer":
        meeting.board.members.add(viewer)  # a viewer on the board still only reads
    user = request.getfixturevalue(who)
    if allowed:
        decision = services.decision_record(meeting=meeting, text="Agreed the plan.", recorded_by=user)
        assert (decision.number, decision.recorded_by) == (1, user)
    else:
        with pytest.raises(PermissionDenied):
            services.decision_record(meeting=meeting, text="Agreed the plan.", recorded_by=user)
        assert not meeting.decisions.exists()


def test_it_numbers_decisions_in_the_order_recorded(meeting, board_member):
    numbers = [services.decision_record(meeting=meeting, text=t, recorded_by=board_member).number for t in "abc"]
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Meeting.Status.CANCELLED}, services.MEETING_CANCELLED),
        ({"date": TODAY + dt.timedelta(days=2)}, "has not happened yet"),
    ],
)
def test_it_refuses_decisions_for_a_cancelled_or_future_meeting(meeting, admin_user, change, message):
    Meeting.objects.filter(pk=meeting.pk).update(**change)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        services.decision_record(meeting=meeting, text="Agreed.", recorded_by=admin_user)


def test_it_refuses_a_decision_with_no_words(meeting, admin_user):
    with pytest.raises(ValidationError) as error:
        services.decision_record(meeting=meeting, text="   ", recorded_by=admin_user)
    assert error.value.message_dict == {"text": [services.DECISION_NEEDS_TEXT]}


def test_it_records_an_action_arising_with_its_owner_date_and_area(meeting, board_member, area):
    owner = PersonFactory(name="Jo Bloggs")
    decision = services.decision_record(meeting=meeting, text="Deep dive into MASH.", recorded_by=board_member)
    follow_up = services.follow_up_add(
        meeting=meeting, description=" Present a  deep dive ", added_by=board_member, owner_person=owner,
        due_date=TODAY + dt.timedelta(days=28), decision=decision, area=area,
    )  # fmt: skip
    follow_up.refresh_from_db()
    assert (follow_up.description, follow_up.owner_name, follow_up.state) == (
        "Present a deep dive",
        "Jo Bloggs",
        "open",
    )
    assert (follow_up.plan, follow_up.area, follow_up.decision) == (area.plan, area, decision)


def test_it_refuses_an_area_of_a_plan_the_board_does_not_oversee(meeting, admin_user):
    elsewhere = AreaFactory(plan=PlanFactory(title="Adults' plan"))
    with pytest.raises(ValidationError) as error:
        services.follow_up_add(meeting=meeting, description="Do it", added_by=admin_user, area=elsewhere)
    assert "does not oversee Adults' plan" in error.value.message_dict["plan"][0]


def test_it_refuses_two_owners_and_a_decision_of_another_meeting(meeting, admin_user):
    with pytest.raises(ValidationError, match="not both"):
        services.follow_up_add(
            meeting=meeting, description="Do it", added_by=admin_user, owner_person=PersonFactory(),
            owner_user=admin_user,
        )  # fmt: skip
    other = MeetingFactory(board=meeting.board, date=TODAY - dt.timedelta(days=40))
    decision = services.decision_record(meeting=other, text="Earlier", recorded_by=admin_user)
    with pytest.raises(ValidationError, match="another meeting"):
        services.follow_up_add(meeting=meeting, description="Do it", added_by=admin_user, decision=decision)


def test_a_member_sets_the_state_and_a_non_member_may_not(meeting, board_member, other_manager):
    follow_up = services.follow_up_add(meeting=meeting, description="Do it", added_by=board_member)
    services.follow_up_set_state(follow_up=follow_up, state="done", by=board_member)
    assert FollowUp.objects.get(pk=follow_up.pk).state == FollowUp.State.DONE
    with pytest.raises(PermissionDenied):
        services.follow_up_set_state(follow_up=follow_up, state="dropped", by=other_manager)
    assert FollowUp.objects.get(pk=follow_up.pk).state == FollowUp.State.DONE


def test_an_action_arising_becomes_a_plan_action_with_its_history_and_link(meeting, board_member, admin_user, area):
    ActionFactory(area=area, ref="7")
    owner = person_of(board_member)
    due = TODAY + dt.timedelta(days=30)
    follow_up = services.follow_up_add(
        meeting=meeting, description="Audit consent recording", added_by=board_member, owner_person=owner,
        due_date=due, area=area,
    )  # fmt: skip

    action = services.follow_up_to_action(follow_up=follow_up, by=admin_user)

    action = Action.objects.get(pk=action.pk)
    assert (action.ref, action.title, action.target_date, action.status) == (
        "8", "Audit consent recording", due, Status.NOT_STARTED
    )  # fmt: skip
    assert list(action.leads.all()) == [owner]
    assert action.arising_from == follow_up
    created = action.change_log()[-1]
    assert created["created"] and created["by"] == admin_user
    assert created["reason"] == f"Action arising from Improvement Board, {meeting.date:%-d %b %Y}"
    with pytest.raises(ValidationError, match="already action 8"):
        services.follow_up_to_action(follow_up=follow_up, by=admin_user)


def test_only_an_admin_turns_an_action_arising_into_a_plan_action(meeting, board_member, area):
    follow_up = services.follow_up_add(meeting=meeting, description="Do it", added_by=board_member, area=area)
    with pytest.raises(PermissionDenied):
        services.follow_up_to_action(follow_up=follow_up, by=board_member)
    assert not Action.objects.exists()


def test_a_dropped_or_placeless_action_arising_does_not_become_an_action(meeting, admin_user, area):
    placeless = services.follow_up_add(meeting=meeting, description="Somewhere", added_by=admin_user)
    with pytest.raises(ValidationError) as error:
        services.follow_up_to_action(follow_up=placeless, by=admin_user)
    assert error.value.message_dict == {"area": [services.FOLLOW_UP_NEEDS_AREA]}
    dropped = services.follow_up_add(meeting=meeting, description="Dropped", added_by=admin_user, area=area)
    services.follow_up_set_state(follow_up=dropped, state="dropped", by=admin_user)
    with pytest.raises(ValidationError, match="Only an open"):
        services.follow_up_to_action(follow_up=dropped, by=admin_user)
    assert not Action.objects.exists()


def test_sign_off_keeps_the_plan_as_it_stood_and_links_the_meeting(meeting, admin_user, area):
    lead = PersonFactory(name="Jo Bloggs")
    ActionFactory(area=area, ref="1", title="Fix the front door", target_date=dt.date(2030, 3, 31), leads=[lead])

    sign_off = services.meeting_sign_off(meeting=meeting, plan=area.plan, recorded_by=admin_user)

    assert (sign_off.signed_off_by, sign_off.signed_off_on, sign_off.recorded_by) == (
        "Improvement Board", meeting.date, admin_user
    )  # fmt: skip
    assert sign_off.snapshot == {
        "areas": [{"number": "", "title": "Front door"}],
        "actions": [{"ref": "1", "title": "Fix the front door", "area": "Front door", "target_date": "2030-03-31",
                     "leads": "Jo Bloggs"}],
    }  # fmt: skip
    assert list(meeting.sign_offs.all()) == [sign_off]


@pytest.mark.parametrize("who", ["board_member", "manager"])
def test_only_an_admin_records_a_sign_off(request, meeting, plan, who):
    with pytest.raises(PermissionDenied):
        services.meeting_sign_off(meeting=meeting, plan=plan, recorded_by=request.getfixturevalue(who))
    assert not PlanSignOff.objects.exists()


def test_the_previous_meeting_skips_cancelled_ones_and_other_boards(meeting):
    board = meeting.board
    held = MeetingFactory(board=board, date=meeting.date - dt.timedelta(days=60))
    MeetingFactory(board=board, date=meeting.date - dt.timedelta(days=30), status=Meeting.Status.CANCELLED)
    MeetingFactory(date=meeting.date - dt.timedelta(days=10))  # another board's
    assert meeting.previous() == held
    assert held.previous() is None
