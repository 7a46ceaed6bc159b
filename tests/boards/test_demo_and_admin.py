"""The demo board (load_demo) and the admin pages of boards, meetings, actions arising and sign-offs."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from boards import services
from boards.models import Board, Decision, FollowUp, Meeting
from plans.models import PlanSignOff
from plans.signoff import changes_since
from tests.boards.factories import BoardFactory, MeetingFactory
from tests.factories import AreaFactory


@pytest.fixture
def demo(db):
    call_command("load_demo", "--current", stdout=io.StringIO())
    return Board.objects.get(name="Improvement Board")


def test_the_demo_board_oversees_the_plan_with_two_meetings_held_and_one_to_come_and_loads_once(demo):
    plan = demo.plans.get()
    assert (demo.cadence, plan.slug) == (Board.Cadence.MONTHLY, "csc-improvement-plan")
    assert sorted(demo.members.values_list("username", flat=True)) == ["board", "manager"]
    statuses = list(demo.meetings.order_by("date").values_list("status", flat=True))
    assert statuses == [Meeting.Status.HELD, Meeting.Status.HELD, Meeting.Status.SCHEDULED]
    assert Decision.objects.filter(meeting__board=demo).count() == 3
    converted = FollowUp.objects.get(action__isnull=False)
    assert converted.action.plan == plan and converted.action.arising_from == converted
    sign_off = PlanSignOff.objects.get()
    assert list(sign_off.meetings.all()) == [demo.meetings.order_by("date").first()]
    # The action arising was added after the sign-off: the plan page and export name it as changed since.
    assert changes_since(sign_off).as_dict()["added"] == [{"ref": converted.action.ref, "title": converted.description}]

    # Loading it again changes nothing; --reset starts the board's story again.
    counts = (Meeting.objects.count(), FollowUp.objects.count(), PlanSignOff.objects.count())
    call_command("load_demo", "--current", stdout=io.StringIO())
    assert (Meeting.objects.count(), FollowUp.objects.count(), PlanSignOff.objects.count()) == counts
    call_command("load_demo", "--current", "--reset", stdout=io.StringIO())
    assert (Meeting.objects.count(), FollowUp.objects.count(), PlanSignOff.objects.count()) == counts
    assert Board.objects.count() == 1


def test_the_admin_lists_and_opens_boards_meetings_actions_arising_and_sign_offs(admin_client, admin_user):
    area = AreaFactory()
    demo = BoardFactory(plans=[area.plan])
    meeting = MeetingFactory(board=demo)
    services.follow_up_add(meeting=meeting, description="Do it", added_by=admin_user, area=area)
    services.meeting_sign_off(meeting=meeting, plan=area.plan, recorded_by=admin_user)
    pages = [
        reverse("admin:boards_board_changelist"),
        reverse("admin:boards_board_change", args=[demo.pk]),
        reverse("admin:boards_meeting_changelist"),
        reverse("admin:boards_meeting_change", args=[meeting.pk]),
        reverse("admin:boards_followup_changelist"),
        reverse("admin:boards_followup_change", args=[FollowUp.objects.first().pk]),
        reverse("admin:plans_plansignoff_changelist"),
        reverse("admin:plans_plansignoff_change", args=[PlanSignOff.objects.get().pk]),
    ]
    assert [admin_client.get(page).status_code for page in pages] == [200] * len(pages)
