"""manage.py load_demo [--current] [--reset]: the demo plan, users and history, its KPIs and narratives.

The orchestration lives at the top (reports knows plans and kpis); each app loads its own part.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from boards.demo import board_demo_load
from kpis.demo import kpi_demo_load
from plans.demo import DEMO_PASSWORD, DEMO_USERS, demo_load
from reports.demo import demo_month, narrative_demo_load


class Command(BaseCommand):
    help = "Load the demo plan (slug csc-improvement-plan) and demo users. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--current",
            action="store_true",
            help="Move every date by the same whole number of years so that the plan is live today.",
        )
        parser.add_argument("--reset", action="store_true", help="Replace the demo plan if it is already loaded.")

    def handle(self, *args, current, reset, **options):
        result = demo_load(current=current, reset=reset)
        plan = result.plan
        if result.loaded:
            self.stdout.write(f"Loaded {plan.title}: {plan.actions.count()} actions, at /plans/{plan.slug}/")
        else:
            self.stdout.write(f"{plan.title} is already loaded (unchanged); --reset replaces it.")
        if result.years_shifted:
            self.stdout.write(f"Dates moved forward {result.years_shifted} years so that the plan is live today.")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Needs a human look: {warning}"))
        kpis = kpi_demo_load(current=current, reset=reset)
        if kpis.loaded:
            self.stdout.write(
                f"Loaded {kpis.indicators} KPIs, {kpis.months[0]:%b %Y} to {kpis.months[-1]:%b %Y}, at /kpis/"
            )
        else:
            self.stdout.write(f"The {kpis.indicators} demo KPIs are already loaded (unchanged); --reset replaces them.")
        if result.loaded:
            # Only with a freshly loaded plan: its month is known then, and a second run adds nothing.
            month = demo_month(current=current)
            added = narrative_demo_load(plan=plan, month=month)
            self.stdout.write(
                f"Added {added} 'what is going well / areas for improvement' narratives for {month:%B %Y}"
            )
            # The demo plan's "today": this day of the month it is live in (the 28th at most, for February).
            board = board_demo_load(plan=plan, today=month.replace(day=min(timezone.localdate().day, 28)))
            self.stdout.write(f"Added the {board.name}: {board.meetings.count()} meetings, at /boards/")
        users = ", ".join(username for username, _, _ in DEMO_USERS)
        self.stdout.write(f"Demo users: {users} (password: {DEMO_PASSWORD})")
