"""Demo board: an improvement board meeting monthly over the demo plan, two meetings held, one to come."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from plans import services as plan_services
from plans.models import Area, Person
from plans.rag import Status

from . import services
from .models import Board, Meeting

DEMO_BOARD = "Improvement Board"
DEMO_PURPOSE = (
    "Oversees the children's social care improvement plan: an independent chair, the Director of Children's "
    "Services, the lead member and partners from police and health, holding the council to account each month."
)
# (decision, [(action arising, owner: "manager" or the area's first lead, weeks to do it, area title or None,
# becomes a plan action)])
DEMO_MINUTES = [
    [
        (
            "The board agreed the improvement plan as presented, subject to monthly reporting of progress.",
            [("Circulate the agreed plan to all partner agencies", "manager", 2, None, False)],
        ),
        (
            "The board asked for a deep dive into delays in MASH decision making at its next meeting.",
            [("Present a deep dive into MASH decision making timeliness", "lead", 4, "MASH", True)],
        ),
    ],
    [
        (
            "The board noted the MASH deep dive and asked for consent to be recorded routinely.",
            [
                ("Audit the recording of consent in MASH contacts", "lead", 6, "MASH", False),
                ("Report the re-referral rate against statistical neighbours", "manager", 4, None, False),
            ],
        ),
    ],
]


def _meeting_day(month_start: dt.date) -> dt.date:
    """The second Tuesday of the month: when the demo board meets."""
    first_tuesday = month_start + dt.timedelta(days=(1 - month_start.weekday()) % 7)
    return first_tuesday + dt.timedelta(days=7)


def _morning(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _months_before(month_start: dt.date, months: int) -> dt.date:
    year, month = divmod(month_start.year * 12 + month_start.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


@transaction.atomic
def board_demo_load(*, plan, today: dt.date):
    """The demo board over `plan`: two held meetings before `today` with decisions, actions arising (one now a plan
    action) and the plan's sign-off at the first, and the next meeting scheduled. Replaces an earlier demo board."""
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    members = list(User.objects.filter(username__in=["board", "manager"]))
    Board.objects.filter(name=DEMO_BOARD).delete()
    board = Board.objects.create(name=DEMO_BOARD, purpose=DEMO_PURPOSE, cadence=Board.Cadence.MONTHLY)
    board.members.set(members)
    board.plans.add(plan)
    this_month = today.replace(day=1)
    held = [_meeting_day(_months_before(this_month, 2)), _meeting_day(_months_before(this_month, 1))]
    upcoming = _meeting_day(this_month)
    if upcoming <= today:
        upcoming = _meeting_day(_months_before(this_month, -1))
    recorder = User.objects.filter(username="board").first()
    manager_person = Person.objects.filter(user__username="manager").first()
    presented = []  # (plan action, action arising) delivered at the next meeting
    for day, minutes in zip(held, DEMO_MINUTES, strict=True):
        meeting = Meeting.objects.create(
            board=board,
            date=day,
            status=Meeting.Status.HELD,
            attendance="Independent chair; Director of Children's Services; lead member; police; health.\n"
            "Apologies: schools' representative.",
        )
        if day == held[0]:
            services.meeting_sign_off(meeting=meeting, plan=plan, recorded_by=admin)
        for text, arising in minutes:
            decision = services.decision_record(meeting=meeting, text=text, recorded_by=recorder)
            for description, owner, weeks, area_title, to_action in arising:
                area = Area.objects.filter(plan=plan, title=area_title).first() if area_title else None
                owner_person = manager_person
                if owner == "lead" and area is not None:
                    owner_person = Person.objects.filter(led_actions__area=area).order_by("name").first()
                follow_up = services.follow_up_add(
                    meeting=meeting, description=description, added_by=recorder, decision=decision,
                    owner_person=owner_person,
                    due_date=day + dt.timedelta(weeks=weeks), plan=plan, area=area,
                )  # fmt: skip
                if to_action and area is not None:
                    presented.append((services.follow_up_to_action(follow_up=follow_up, by=admin), follow_up))
                elif day == held[0] or owner == "manager":
                    services.follow_up_set_state(follow_up=follow_up, state="done", by=recorder)
    # The deep dive was presented at the second meeting: its action is completed through the update service.
    for action, follow_up in presented:
        plan_services.action_update(
            action=action, author=admin, status=Status.COMPLETED, at=_morning(held[1]),
            commentary="Deep dive presented to the board: delays are in consent checks before strategy meetings.",
        )  # fmt: skip
        services.follow_up_set_state(follow_up=follow_up, state="done", by=recorder)
    Meeting.objects.create(board=board, date=upcoming, status=Meeting.Status.SCHEDULED)
    return board
