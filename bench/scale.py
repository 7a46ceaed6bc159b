"""Two plans of 100,000 actions: server time and HTML size of /plans/ and a plan page, a small re-import into one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale .venv/bin/python bench/scale.py
    .venv/bin/python bench/scale.py --actions 20000      # SQLite in a temporary file, fewer actions

Prints the median and spread of 5 requests (after one warm-up) and the size of the HTML; then the time and peak
Python memory (tracemalloc) of previewing and confirming a 3-row plan file imported into a 100,000-action plan.
Issue 21 measured 42 s for /plans/, 54 s and 54 MB for a plan page, and 65 s and 1.5 GB for the re-import.
"""

import argparse
import datetime as dt
import io
import statistics
import time
import tracemalloc

from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(slug, actions):
    from plans.models import Action, Area, Milestone, Plan
    from plans.rag import Status

    today = timezone.localdate()
    plan = Plan.objects.create(slug=slug, title=f"Plan {slug}", status=Plan.Status.ACTIVE)
    areas = Area.objects.bulk_create(Area(plan=plan, title=f"Area {n + 1}", position=n) for n in range(20))
    Action.objects.bulk_create(
        (Action(plan=plan, area=areas[n % 20], ref=str(n + 1), position=n, title=f"Action {n + 1} of the plan",
                target_date=today + dt.timedelta(days=n % 500 - 120),
                status=Status.IN_PROGRESS if n % 9 else Status.COMPLETED, at_risk=n % 7 == 0,
                last_updated_at=timezone.now() - dt.timedelta(days=n % 50))
         for n in range(actions)),
        batch_size=5000,
    )  # fmt: skip
    Milestone.objects.bulk_create(
        (Milestone(action_id=pk, title="Milestone", position=0, target_date=today + dt.timedelta(days=pk % 200 - 100))
         for pk in Action.objects.filter(plan=plan).values_list("pk", flat=True)[: actions // 2]),
        batch_size=5000,
    )  # fmt: skip
    return plan


def timed(client, url, params=None, runs=5):
    client.get(url, params, secure=True)
    timings, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params, secure=True)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return timings, size


def three_rows():
    """An xlsx of three rows in the layout `build` gives its plans (bytes)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "Area", "Action", "Target Completion Date", "Status"])
    for ref in ("1", "2", "3"):
        sheet.append([ref, "Area " + ref, f"Action {ref} of the plan", "Dec 27", "In progress"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def reimport(plan, user):
    """Preview and confirm a 3-row file of the plan's own layout on the import pages, as an admin would."""
    buffer = io.BytesIO(three_rows())
    buffer.name = "three-rows.xlsx"
    client = Client()
    client.force_login(user)
    tracemalloc.start()
    started = time.perf_counter()
    response = client.post(reverse("plans:import_start"), {"file": buffer, "plan": plan.slug}, secure=True)
    preview_seconds = time.perf_counter() - started
    print(f"re-import preview: {response.status_code} in {preview_seconds:.1f} s", flush=True)
    if response.status_code == 302:
        confirm = response.url.rstrip("/") + "/confirm/"
        started = time.perf_counter()
        done = client.post(confirm, {}, secure=True)
        print(f"re-import confirm: {done.status_code} in {time.perf_counter() - started:.1f} s", flush=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"re-import peak Python memory: {peak / 1e6:.0f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--no-import", action="store_true")
    actions = parser.parse_args().actions
    skip_import = parser.parse_args().no_import

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from plans import roles
    from plans.models import Plan

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plans = list(Plan.objects.filter(slug__in=["first", "second"]).order_by("slug"))  # kept from an earlier run
    if len(plans) != 2 or plans[0].actions.count() != actions:
        Plan.objects.filter(slug__in=["first", "second"]).delete()
        plans = [build("first", actions), build("second", actions)]
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"built 2 plans of {actions:,} actions in {time.perf_counter() - started:.0f} s", flush=True)
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin")
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    client = Client()
    client.force_login(admin)
    for label, url, params in [
        ("/plans/", reverse("plans:plan_list"), None),
        ("plan page", reverse("plans:plan_detail", args=[plans[0].slug]), None),
        ("plan page, last page", reverse("plans:plan_detail", args=[plans[0].slug]), {"page": 99999}),
    ]:
        timings, size = timed(client, url, params)
        print(f"{label}: median {statistics.median(timings) * 1000:.0f} ms (min {min(timings) * 1000:.0f}, "
              f"max {max(timings) * 1000:.0f}) over {len(timings)}; HTML {size / 1024:.0f} KB", flush=True)  # fmt: skip
    if not skip_import:
        reimport(plans[0], admin)


if __name__ == "__main__":
    main()
