"""Time to render a board pack PDF end to end, against WeasyPrint's time for the same rows as a bare table.

    .venv/bin/python bench/board_pack.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_packs .venv/bin/python bench/board_pack.py

For the demo plan (85 actions, 33 KPIs) and a generated 1,000-action plan, the figure is the command a person
runs, `manage.py board_pack SLUG -o pack.pdf`, in its own process: start-up, queries, HTML, layout and PDF.
The floor is measured in the same run: every row of every table the pack prints (the cells' text, charts left
out), as one plain <table> with no stylesheet, laid out and written by WeasyPrint in this process (warm, fonts
loaded). The ratio is what the pack's design costs over the same words. Each figure is reported twice: wall
seconds (what the issue's aims are in, and what a busy machine stretches) and CPU seconds (user + system of the
command; less sensitive to other processes). Best of 3 for the demo, one run for the large plan (its floor best
of 2). PDFs land in bench/out/.
"""

import datetime as dt
import html
import os
import resource
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from aims import report
from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS, AREAS, MONTHS = 1000, 25, 12
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MAX_RATIO = 4  # issue 20: at most 4x WeasyPrint's time for the same rows as a bare table


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


class TableRows(HTMLParser):
    """The text of every table row in a page, cell by cell; what is inside an <svg> (a chart) is left out."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.in_svg = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        self.in_svg += tag == "svg"
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        self.in_svg -= tag == "svg"
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and not self.in_svg:
            self.cell.append(data)


def bare_table(pack_page):
    """The pack's table rows as one unstyled HTML table, and how many rows that is."""
    parser = TableRows()
    parser.feed(pack_page)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in parser.rows)
    return f"<!doctype html><html lang=en><title>Floor</title><table>{body}</table></html>", len(parser.rows)


def floor(plan, runs):
    """WeasyPrint's wall and CPU seconds for the pack's rows as a bare table (best of `runs`), and the row count."""
    from weasyprint import HTML

    from reports.content import pack_html
    from reports.models import BoardPack

    today = timezone.localdate()
    page, rows = bare_table(pack_html(BoardPack(plan=plan, as_of=today, meeting_date=today)))
    HTML(string="<p>warm up</p>").write_pdf()  # fonts and WeasyPrint's own start-up, which the pack also pays
    timings = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        HTML(string=page).write_pdf()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(t[0] for t in timings), min(t[1] for t in timings), rows


def command(plan):
    """Wall and CPU seconds of `manage.py board_pack` in a process of its own, and the PDF's pages and size."""
    from pypdf import PdfReader

    OUT.mkdir(exist_ok=True)
    output = OUT / f"{plan.slug}.pdf"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "board_pack", plan.slug, "-o", str(output)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(PdfReader(output).pages), output.stat().st_size


def measure(label, plan, *, runs, floor_runs, limit):
    results = [command(plan) for _ in range(runs)]
    wall, cpu = min(r[0] for r in results), min(r[1] for r in results)
    _, _, pages, size = results[0]
    floor_wall, floor_cpu, rows = floor(plan, floor_runs)
    print(
        f"{label}: {plan.actions.count()} actions, {pages} pages, {size / 1024:.0f} KiB; command {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU (best of {runs}); bare table of the same {rows} rows {floor_wall:.2f} s wall, "
        f"{floor_cpu:.2f} s CPU: {wall / floor_wall:.1f}x wall, {cpu / floor_cpu:.1f}x CPU",
        flush=True,
    )
    aim = f"<= {limit} s end to end and <= {MAX_RATIO}x floor"
    floor_words = f"WeasyPrint, the same {rows} rows as a bare table"
    for unit_words, value, floor_value in [("wall", wall, floor_wall), ("CPU", cpu, floor_cpu)]:
        report(
            f"board pack PDF, {label}, {unit_words}",
            value,
            "s",
            f"{floor_words} ({unit_words})",
            floor_value,
            aim,
            value <= limit and value <= MAX_RATIO * floor_value,
        )


def main():
    from io import StringIO

    from plans.models import Plan

    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, cores: {os.cpu_count()}")
    # The demo plan with its KPIs, as `make run` loads it (its emails kept in memory, not printed).
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", "--current", stdout=StringIO())
    demo = Plan.objects.get(slug="csc-improvement-plan")
    measure("demo plan", demo, runs=3, floor_runs=3, limit=5)
    started = time.perf_counter()
    large = build_large()
    print(f"built the large plan in {time.perf_counter() - started:.1f} s", flush=True)
    measure("1,000 actions", large, runs=1, floor_runs=2, limit=30)


if __name__ == "__main__":
    main()
