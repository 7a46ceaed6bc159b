"""Time and queries of the weekly digest for 2,000 actions with 200 leads (half without an account).

    .venv/bin/python bench/digest.py            # SQLite in a temporary file, emails kept in memory (locmem)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_digest .venv/bin/python bench/digest.py

Prints the time and query count of the first run (every lead is sent a digest) and of a second run in the
same ISO week (nothing is sent twice: it only reads the plan and finds each week's digest claimed).
"""

import datetime as dt
import time

from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS, LEADS, AREAS = 2000, 200, 40


def build():
    from django.contrib.auth import get_user_model

    from plans.models import Action, Area, Person, Plan

    today = timezone.localdate()
    plan = Plan.objects.create(slug="bench", title="Benchmark plan", status=Plan.Status.ACTIVE)
    areas = Area.objects.bulk_create(Area(plan=plan, title=f"Area {n}", position=n) for n in range(AREAS))
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"lead{n}", email=f"lead{n}@example.org") for n in range(LEADS // 2)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Lead {n}", email="" if n < LEADS // 2 else f"partner{n}@example.org",
               user=users[n] if n < LEADS // 2 else None)
        for n in range(LEADS)
    )  # fmt: skip
    actions = Action.objects.bulk_create(
        Action(plan=plan, area=areas[n % AREAS], ref=str(n + 1), position=n, title=f"Action {n + 1}",
               # A third overdue, a third due within a fortnight, a third later (all stale: never updated).
               target_date=today + dt.timedelta(days=(-30, 7, 120)[n % 3]))
        for n in range(ACTIONS)
    )  # fmt: skip
    Action.leads.through.objects.bulk_create(
        Action.leads.through(action_id=action.pk, person_id=people[n % LEADS].pk) for n, action in enumerate(actions)
    )


def timed_run():
    from plans.reminders import digests_send

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = digests_send()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def main():
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    build()
    mail.outbox = []
    for label in ("first run", "same week again"):
        elapsed, queries, result = timed_run()
        print(f"{label}: {elapsed:.2f} s, {queries} queries, sent {len(result.sent)}, "
              f"already sent {len(result.already_sent)}")  # fmt: skip
    print(f"emails in the outbox: {len(mail.outbox)} ({connection.vendor}, {ACTIONS} actions, {LEADS} leads)")


if __name__ == "__main__":
    main()
