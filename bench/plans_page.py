"""Server time of the plans page (/plans/) with 50 active plans holding 10,000 actions between them (issue 20).

    .venv/bin/python bench/plans_page.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_plans_page .venv/bin/python bench/plans_page.py

Prints the median and spread of 20 requests (after 3 warm-up requests), wall and CPU time, for an admin and for
a manager who leads actions (whose navigation also counts what is asked of them); and, as the floor of the same
run, the same page with one plan of 10 actions. The aim is the issue's: under 300 ms.
"""

import datetime as dt
import statistics
import time

from aims import report
from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PLANS, ACTIONS = 50, 10_000


def build_plans(prefix, plans, actions_each, lead=None):
    from plans.models import Action, Area, Milestone, Plan
    from plans.rag import Status

    today = timezone.localdate()
    for p in range(plans):
        plan = Plan.objects.create(slug=f"{prefix}-{p}", title=f"Plan {prefix} {p}", status=Plan.Status.ACTIVE)
        areas = Area.objects.bulk_create(Area(plan=plan, title=f"Area {n + 1}", position=n) for n in range(8))
        Action.objects.bulk_create(
            Action(plan=plan, area=areas[n % 8], ref=str(n + 1), position=n, title=f"Action {n + 1}",
                   target_date=today + dt.timedelta(days=n % 400 - 100),
                   status=Status.IN_PROGRESS if n % 9 else Status.COMPLETED, at_risk=n % 7 == 0,
                   last_updated_at=timezone.now() - dt.timedelta(days=n % 50))
            for n in range(actions_each)
        )  # fmt: skip
        pks = list(plan.actions.values_list("pk", flat=True))
        Milestone.objects.bulk_create(
            Milestone(action_id=pk, title="Milestone", position=0, target_date=today + dt.timedelta(days=pk % 90 - 45))
            for pk in pks[::2]
        )  # fmt: skip
        if lead is not None:
            for pk in pks[:3]:
                Action.objects.get(pk=pk).leads.add(lead)


def time_requests(client, url, runs=20):
    for _ in range(3):
        assert client.get(url, secure=True).status_code == 200
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "min": min(walls), "max": max(walls),
            "size": len(response.content)}  # fmt: skip


def clients():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from plans import roles
    from plans.models import Person

    made = {}
    for name, role in (("bench-admin", roles.ADMIN), ("bench-manager", roles.MANAGER)):
        user = get_user_model().objects.create_user(name, password="x")
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        made[name] = client
    lead = Person.objects.create(name="Manager Lead", user=get_user_model().objects.get(username="bench-manager"))
    return made, lead


def main():
    call_command("migrate", verbosity=0)
    made, lead = clients()
    url = reverse("plans:plan_list")
    build_plans("small", 1, 10, lead)
    floor = time_requests(made["bench-admin"], url)
    from plans.models import Action, Plan

    Action.objects.all().delete()  # areas are protected by their actions
    Plan.objects.all().delete()
    started = time.perf_counter()
    build_plans("big", PLANS, ACTIONS // PLANS, lead)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"built {PLANS} plans of {ACTIONS // PLANS} actions in {time.perf_counter() - started:.1f} s", flush=True)
    print(f"/plans/, 1 plan of 10 actions, admin: median {floor['wall'] * 1000:.0f} ms (CPU {floor['cpu'] * 1000:.0f})")
    for name, client in made.items():
        timing = time_requests(client, url)
        print(f"/plans/, {PLANS} plans, {ACTIONS:,} actions, {name}: median {timing['wall'] * 1000:.0f} ms "
              f"(CPU {timing['cpu'] * 1000:.0f} ms), min {timing['min'] * 1000:.0f}, max {timing['max'] * 1000:.0f}; "
              f"HTML {timing['size'] / 1024:.0f} KB", flush=True)  # fmt: skip
        report(f"/plans/, {PLANS} plans, {ACTIONS:,} actions ({name.removeprefix('bench-')})", timing["wall"], "s",
               "same page, 1 plan of 10 actions", floor["wall"], "< 0.300 s", timing["wall"] < 0.300)  # fmt: skip
        report(f"/plans/, {PLANS} plans, {ACTIONS:,} actions ({name.removeprefix('bench-')}), CPU", timing["cpu"], "s",
               "same page, 1 plan of 10 actions, CPU", floor["cpu"], "< 0.300 s", timing["cpu"] < 0.300)  # fmt: skip


if __name__ == "__main__":
    main()
