"""A plan file of 100,000 rows through the import pages: upload, preview, confirm, as an admin would.

    .venv/bin/python bench/import_confirm.py [--rows 100000]     # SQLite in a temporary file

Issue 21 found the confirm of such a file answering 500 ("Max number of fields exceeded"). The confirm form
posts the token's page and one box, whatever the file's size: the file itself waits on the server (PlanImport).
Prints each step's status and time, and the confirm's figure against openpyxl's read of the same file.
"""

import argparse
import io
import time

from aims import report
from benchsetup import django_for_bench

django_for_bench()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from import_plan import build_workbook, openpyxl_alone  # noqa: E402


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    from plans import roles
    from plans.models import Action, PlanImport

    call_command("migrate", verbosity=0)
    data = build_workbook(args.rows)
    print(f"{args.rows:,} action rows, {len(data) / 1024 / 1024:.1f} MB xlsx", flush=True)
    alone, _ = timed(lambda: openpyxl_alone(data))
    admin, _ = get_user_model().objects.get_or_create(username="bench-import-admin")
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    client = Client(HTTP_HOST="localhost")  # a host the production settings allow
    client.force_login(admin)
    upload = io.BytesIO(data)
    upload.name = "large.xlsx"
    fields = {"file": upload, "plan": "", "title": "Large plan", "slug": "large", "sheet": ""}
    uploaded, response = timed(lambda: client.post(reverse("plans:import_start"), fields, secure=True))
    print(f"upload: {response.status_code} in {uploaded:.1f} s", flush=True)
    record = PlanImport.objects.filter(state="pending").latest("created_at")
    previewed, page = timed(lambda: client.get(reverse("plans:import_preview", args=[record.token]), secure=True))
    print(f"preview page: {page.status_code} in {previewed:.1f} s, {len(page.content) / 1024:.0f} KB", flush=True)
    confirm = reverse("plans:import_confirm", args=[record.token])
    confirmed, done = timed(lambda: client.post(confirm, {}, secure=True))
    imported = Action.objects.filter(plan__slug="large").count()
    print(f"confirm: {done.status_code} in {confirmed:.1f} s; {imported:,} actions in the plan", flush=True)
    report(
        f"plan import confirm page, {args.rows:,} rows (answers 302, all imported)",
        confirmed,
        "s",
        "openpyxl read of the same file",
        alone,
        "302, every row imported",
        done.status_code == 302 and imported == args.rows,
    )


if __name__ == "__main__":
    main()
