"""Server time of the plan dashboard for 2,000 actions in 40 areas with two years of monthly updates.

    .venv/bin/python bench/dashboard.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard .venv/bin/python bench/dashboard.py

Prints the median and spread of 20 requests (after 3 warm-up requests), as of today and as of a
date 45 days ago (which rebuilds every colour from the update history).
"""

import datetime as dt
import statistics
import time

from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS, AREAS, MONTHS = 2000, 40, 24


def build():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from plans import roles
    from plans.models import Action, ActionUpdate, Area, Milestone, Plan, TargetDateChange
    from plans.rag import Status

    today = timezone.localdate()
    user = get_user_model().objects.create_user("bench-board", password="x")
    user.groups.add(Group.objects.get(name=roles.BOARD_MEMBER))
    admin = get_user_model().objects.create_user("bench-admin", password="x")
    plan = Plan.objects.create(slug="bench", title="Benchmark plan", status=Plan.Status.ACTIVE)
    areas = Area.objects.bulk_create(
        Area(plan=plan, number=str(n + 1), title=f"Area of improvement {n + 1}", position=n) for n in range(AREAS)
    )
    Action.objects.bulk_create(
        Action(plan=plan, area=areas[n % AREAS], ref=str(n + 1), position=n, title=f"Action {n + 1} of the plan",
               target_date=today + dt.timedelta(days=n % 500 - 120),
               status=Status.IN_PROGRESS if n % 9 else Status.COMPLETED,
               at_risk=n % 7 == 0, lead=f"Lead {n % 60}", last_updated_at=timezone.now() - dt.timedelta(days=n % 50))
        for n in range(ACTIONS)
    )  # fmt: skip
    actions = list(Action.objects.filter(plan=plan))
    ActionUpdate.objects.bulk_create(
        (ActionUpdate(action=action, created_at=timezone.now() - dt.timedelta(days=30 * month + action.pk % 28),
                      status=Status.IN_PROGRESS, at_risk=(action.pk + month) % 7 == 0, rag="green",
                      commentary=f"Progress in month {month}: meetings held, draft circulated.")
         for action in actions for month in range(MONTHS)),
        batch_size=5000,
    )  # fmt: skip
    Milestone.objects.bulk_create(
        Milestone(action=action, title=f"Milestone {m}", position=m,
                  target_date=today + dt.timedelta(days=(action.pk * 3 + m * 40) % 300 - 100))
        for action in actions for m in range(2)
    )  # fmt: skip
    TargetDateChange.objects.bulk_create(
        TargetDateChange(action=action, previous_target_date=action.target_date - dt.timedelta(days=60),
                         new_target_date=action.target_date, reason="Moved", requested_by=admin, decided_by=admin,
                         decision=TargetDateChange.Decision.APPROVED,
                         decided_at=timezone.now() - dt.timedelta(days=action.pk % 200))
        for action in actions if action.pk % 5 == 0
    )  # fmt: skip
    return plan, user, ActionUpdate.objects.count()


def time_requests(client, url, params, runs=20):
    for _ in range(3):
        assert client.get(url, params, secure=True).status_code == 200
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params, secure=True)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return timings


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plan, user, updates = build()
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"built {ACTIONS} actions, {AREAS} areas, {updates} updates in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(user)
    url = reverse("reports:dashboard", args=[plan.slug])
    past = (timezone.localdate() - dt.timedelta(days=45)).isoformat()
    for label, params in [("as of today", {}), (f"as of {past}", {"as_of": past})]:
        timings = time_requests(client, url, params)
        print(f"dashboard {label}: median {statistics.median(timings):.0f} ms, "
              f"min {min(timings):.0f} ms, max {max(timings):.0f} ms over {len(timings)} requests")  # fmt: skip


if __name__ == "__main__":
    main()
