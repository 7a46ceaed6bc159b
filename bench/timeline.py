"""Server time of the timeline page for a plan of 2,000 actions in 40 areas (two years of monthly updates, two
milestones each, a fifth with a moved target, every fifth action waiting on the one before it).

    .venv/bin/python bench/timeline.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_timeline .venv/bin/python bench/timeline.py

Prints the median and spread of 20 requests (after 3 warm-up requests) for the first page (100 actions), a page
in the middle, one area (50 actions), and the time to draw all 2,000 actions in one SVG (which the page never
does: it pages by 100) and its size.
"""

import statistics
import time

from benchsetup import django_for_bench

django_for_bench()

from dashboard import ACTIONS, build, time_requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def main():
    from plans.models import Action, Dependency
    from plans.reading import read_actions
    from plans.timeline import plan_window, timeline_links, timeline_svg

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plan, user, updates = build()
    actions = list(Action.objects.filter(plan=plan).order_by("position"))
    Dependency.objects.bulk_create(
        Dependency(action=after, prerequisite=before)
        for before, after in zip(actions, actions[1:], strict=False)
        if after.position % 5 == 0
    )
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"built {ACTIONS} actions, {updates} updates in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(user)
    url = reverse("plans:timeline", args=[plan.slug])
    area = plan.areas.order_by("position").first()
    for label, params in [("page 1 (100 actions)", {}), ("page 10 (100 actions)", {"page": 10}),
                          (f"one area ({area.actions.count()} actions)", {"area": area.pk})]:  # fmt: skip
        timings = time_requests(client, url, params)
        print(f"timeline {label}: median {statistics.median(timings):.0f} ms, "
              f"min {min(timings):.0f} ms, max {max(timings):.0f} ms over {len(timings)} requests")  # fmt: skip

    today = timezone.localdate()
    timings, size = [], 0
    for _ in range(3):
        start = time.perf_counter()
        readings = read_actions(Action.objects.filter(plan=plan).with_history_on(today), today)
        groups = {}
        for reading in readings:
            groups.setdefault(reading.action.area_id, (str(reading.action.area), []))[1].append(reading)
        drawing = timeline_svg(list(groups.values()), window=plan_window(plan, today), today=today,
                               links=timeline_links(readings), title="All")  # fmt: skip
        timings.append((time.perf_counter() - start) * 1000)
        size = len(drawing)
    print(f"all {ACTIONS} actions in one SVG: median {statistics.median(timings):.0f} ms, {size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
