"""Server time and size of the pages a board member reads at a glance, on the demo plan (85 actions).

    .venv/bin/python bench/glance_pages.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_glance .venv/bin/python bench/glance_pages.py

Loads the demo (load_demo --current), then requests each page 3 times to warm up and 15 times measured, as the
demo board member (the plan page as the demo admin, who also sees the plan's status steps).
"""

import io
import os
import statistics
import time

from benchsetup import django_for_bench

# The pages name their static files; without collectstatic only DEBUG's finders serve them (timings include it).
os.environ.setdefault("DEBUG", "true")
django_for_bench()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

SLUG = "csc-improvement-plan"
PAGES = [
    ("board", "dashboard", f"/plans/{SLUG}/dashboard/"),
    ("board", "drill-down: Red actions", f"/plans/{SLUG}/actions/?rag=red"),
    ("board", "drill-down: moved targets", f"/plans/{SLUG}/actions/?attention=slipped"),
    ("admin", "plan page", f"/plans/{SLUG}/"),
    ("board", "KPI scorecard", "/kpis/"),
    ("board", "plans (portfolio)", "/plans/"),
]


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--current", stdout=io.StringIO())
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    clients = {}
    for username in ("board", "admin"):
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))
    for username, name, url in PAGES:
        client = clients[username]
        for _ in range(3):
            assert client.get(url).status_code == 200
        response = client.get(url)
        timings = []
        for _ in range(15):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        spread = f"(min {min(timings):.0f}, max {max(timings):.0f})"
        print(f"{name:28} median {statistics.median(timings):5.0f} ms {spread}, "
              f"{len(response.content) / 1024:5.0f} KiB")  # fmt: skip


if __name__ == "__main__":
    main()
