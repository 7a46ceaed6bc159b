"""A plan with a known story, shared by the summary and dashboard tests."""

import datetime as dt

import pytest
from django.utils import timezone

from plans.models import ActionUpdate, TargetDateChange
from plans.rag import Status
from tests.factories import ActionFactory, AreaFactory, MilestoneFactory, PlanFactory

TODAY = timezone.localdate()


def days(n):
    return TODAY + dt.timedelta(days=n)


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def update(action, day, status=Status.IN_PROGRESS, at_risk=False, reason=""):
    ActionUpdate.objects.create(
        action=action, created_at=at(day), status=status, at_risk=at_risk, at_risk_reason=reason, rag="green",
        commentary=f"Update of {day:%d %b}",
    )  # fmt: skip


@pytest.fixture
def timeline(db, admin_user):
    """Four actions whose story over the last two months is known.

    - "A" was on track a month ago and was flagged at risk ten days ago.
    - "B" was on track a month ago; its target was moved once, 25 days ago, and has now passed.
    - "C" was in progress and was completed three days ago.
    - "D" has no target date and nobody has ever updated it.
    """
    plan = PlanFactory(slug="timeline")
    area = AreaFactory(plan=plan, title="Front door")
    a = ActionFactory(plan=plan, area=area, ref="A", target_date=days(100), status=Status.IN_PROGRESS, at_risk=True,
                      at_risk_reason="Recruitment delayed", last_updated_at=at(days(-10)))  # fmt: skip
    update(a, days(-50))
    update(a, days(-10), at_risk=True, reason="Recruitment delayed")
    MilestoneFactory(action=a, title="Due in three weeks", target_date=days(20))
    MilestoneFactory(action=a, title="Due in seven weeks", target_date=days(50))
    MilestoneFactory(action=a, title="Due in three months", target_date=days(90))

    b = ActionFactory(plan=plan, area=area, ref="B", target_date=days(-5), status=Status.IN_PROGRESS,
                      last_updated_at=at(days(-50)))  # fmt: skip
    update(b, days(-50))
    TargetDateChange.objects.create(
        action=b, previous_target_date=days(-20), new_target_date=days(-5), reason="Waiting for the new system",
        requested_by=admin_user, decided_by=admin_user, decision=TargetDateChange.Decision.APPROVED,
        decided_at=at(days(-25)),
    )  # fmt: skip

    c = ActionFactory(plan=plan, area=area, ref="C", target_date=days(30), status=Status.COMPLETED,
                      completed_on=days(-3), last_updated_at=at(days(-3)))  # fmt: skip
    update(c, days(-45))
    update(c, days(-3), status=Status.COMPLETED)

    d = ActionFactory(plan=plan, area=AreaFactory(plan=plan, title="Workforce"), ref="D", target_date=None)
    return plan, {"A": a, "B": b, "C": c, "D": d}
