"""Time to render a board pack PDF: the demo plan (85 actions, 33 KPIs) and a generated 1,000-action plan.

    .venv/bin/python bench/board_pack.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_packs .venv/bin/python bench/board_pack.py

For each plan: pages and seconds for the data and HTML, and for the PDF layout and writing, as the
background worker does it (best of 3 for the demo, one run for the large plan). PDFs land in bench/out/.
"""

import datetime as dt
import os
import time
from pathlib import Path

from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS, AREAS, MONTHS = 1000, 25, 12
OUT = Path(__file__).resolve().parent / "out"


def build_large():
    from django.contrib.auth import get_user_model

    from plans.models import Action, ActionUpdate, Area, Milestone, Plan, Sponsor, TargetDateChange
    from plans.rag import Status

    today = timezone.localdate()
    admin = get_user_model().objects.create_user("bench-admin", password="x")
    plan = Plan.objects.create(slug="bench-large", title="Large Improvement Plan", status=Plan.Status.ACTIVE)
    sponsors = Sponsor.objects.bulk_create(
        Sponsor(abbreviation=f"BS{n}", role=f"Bench sponsor number {n}") for n in range(12)
    )
    areas = Area.objects.bulk_create(
        Area(plan=plan, number=str(n + 1), title=f"Area of improvement {n + 1}", position=n,
             outcome="Children and families get the right help at the right time, first time.")
        for n in range(AREAS)
    )  # fmt: skip
    Action.objects.bulk_create(
        Action(plan=plan, area=areas[n % AREAS], ref=str(n + 1), position=n,
               title=f"Action {n + 1}: review and strengthen the practice standard for this part of the service",
               target_date=today + dt.timedelta(days=n % 500 - 120),
               status=Status.IN_PROGRESS if n % 9 else Status.COMPLETED,
               at_risk=n % 7 == 0, at_risk_reason="Two key posts vacant" if n % 7 == 0 else "",
               lead=f"Head of Service {n % 40}", last_updated_at=timezone.now() - dt.timedelta(days=n % 50))
        for n in range(ACTIONS)
    )  # fmt: skip
    actions = list(Action.objects.filter(plan=plan).order_by("position"))
    Action.sponsors.through.objects.bulk_create(
        Action.sponsors.through(action=action, sponsor=sponsors[action.pk % len(sponsors)]) for action in actions
    )
    ActionUpdate.objects.bulk_create(
        (ActionUpdate(action=action, created_at=timezone.now() - dt.timedelta(days=30 * month + action.pk % 28),
                      status=Status.IN_PROGRESS, at_risk=action.at_risk, rag="green",
                      commentary=f"Progress in month {month}: audit completed, findings shared with team managers, "
                                 "and an action plan agreed with the sponsor.")
         for action in actions for month in range(MONTHS)),
        batch_size=5000,
    )  # fmt: skip
    Milestone.objects.bulk_create(
        Milestone(action=action, title=f"Milestone {m} of action {action.ref}", position=m,
                  target_date=today + dt.timedelta(days=(action.pk * 3 + m * 40) % 300 - 100))
        for action in actions for m in range(2)
    )  # fmt: skip
    TargetDateChange.objects.bulk_create(
        TargetDateChange(action=action, previous_target_date=action.target_date - dt.timedelta(days=60),
                         new_target_date=action.target_date, reason="Dependent on the restructure", requested_by=admin,
                         decided_by=admin, decision=TargetDateChange.Decision.APPROVED,
                         decided_at=timezone.now() - dt.timedelta(days=action.pk % 200))
        for action in actions if action.pk % 5 == 0
    )  # fmt: skip
    return plan


def render(plan):
    from reports.content import pack_html
    from reports.models import BoardPack
    from reports.rendering import html_to_pdf

    today = timezone.localdate()
    pack = BoardPack(plan=plan, as_of=today, meeting_date=today + dt.timedelta(days=7))
    started = time.perf_counter()
    html = pack_html(pack)
    html_seconds = time.perf_counter() - started
    rendered = html_to_pdf(html)
    total = time.perf_counter() - started
    OUT.mkdir(exist_ok=True)
    (OUT / f"{plan.slug}.pdf").write_bytes(rendered.content)
    return rendered.pages, html_seconds, total, len(rendered.content)


def report(label, plan, runs):
    results = [render(plan) for _ in range(runs)]
    pages, html_seconds, total, size = min(results, key=lambda result: result[2])
    print(f"{label}: {plan.actions.count()} actions, {pages} pages, {size / 1024:.0f} KiB; "
          f"data and HTML {html_seconds:.2f} s, total {total:.2f} s (best of {runs})")  # fmt: skip


def main():
    from io import StringIO

    from plans.models import Plan

    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, cores: {os.cpu_count()}")
    # The demo plan with its KPIs, as `make run` loads it.
    call_command("load_demo", "--current", stdout=StringIO())
    demo = Plan.objects.get(slug="csc-improvement-plan")
    report("demo plan (with KPIs)", demo, runs=3)
    started = time.perf_counter()
    large = build_large()
    print(f"built the large plan in {time.perf_counter() - started:.1f} s")
    report("large plan", large, runs=1)


if __name__ == "__main__":
    main()
