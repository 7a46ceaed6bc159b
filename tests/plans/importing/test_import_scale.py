"""Imports whose cost follows the file: the same queries for 30 rows as for 300, a small re-import into a large
plan loads only the actions it names, and confirming posts the same few fields whatever the file's size."""

import re

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.importing import plan_import, plan_preview, plan_read
from plans.importing.existing import REMOVED_SHOWN
from plans.models import Action, ActionUpdate, PlanImport
from tests.plans.importing.test_import_pages import upload
from tests.plans.importing.workbooks import xlsx

HEADER = ["Area", "Ref", "Action", "Milestones", "Start date", "Target date", "Sponsor", "Lead", "Status"]
STATUSES = ["Green", "Amber", "Red", "Completed", "On track"]


def plan_rows(count, *, status_shift=0):
    """A plan of `count` actions in three areas, with milestones, sponsors, leads and statuses (an area is
    saved on its own: a plan has a few; actions are written in bulk)."""
    rows = [HEADER]
    area = None
    for number in range(1, count + 1):
        area, previous = f"Area {(number - 1) * 3 // count + 1}", area
        rows.append([
            area if area != previous else None, str(number),
            f"Action number {number}: improve the service", "▪ Draft\n▪ Sign off" if number % 5 == 0 else None,
            "Jan 2025", "Dec 2026", ["ADCSC", "EDCYP"][number % 2], ["Jo Bloggs", "Sam Smith"][number % 2],
            STATUSES[(number + status_shift) % len(STATUSES)],
        ])  # fmt: skip
    return rows


def queries_of(function):
    """(statements other than INSERT, INSERT statements) that `function` runs."""
    with CaptureQueriesContext(connection) as context:
        function()
    inserts = sum(1 for query in context.captured_queries if query["sql"].lstrip().upper().startswith("INSERT"))
    return len(context.captured_queries) - inserts, inserts


def import_rows(rows, slug):
    return plan_import(preview=plan_read(xlsx(rows), name="plan.xlsx"), slug=slug, title=slug)


def imports_at(sizes, status_shift=0):
    return [
        queries_of(lambda count=count: import_rows(plan_rows(count, status_shift=status_shift), f"plan-{count}"))
        for count in sizes
    ]


@pytest.mark.django_db
def test_an_import_takes_the_same_queries_for_20_rows_as_for_40():
    # Sponsors and people exist first, so both sizes create the same ones (a new name costs its own save).
    import_rows(plan_rows(2), "warm-up")
    # A new plan, the same file again, then every status moved: the same statements at both sizes.
    for shift in (0, 0, 1):
        small, large = imports_at((20, 40), status_shift=shift)
        assert small == large, (shift, small, large)
    assert ActionUpdate.objects.filter(action__plan__slug="plan-40").count() == 80


@pytest.mark.django_db
def test_ten_times_the_rows_adds_only_insert_batches():
    # SQLite takes 999 parameters a statement, so bulk inserts go in batches of a few dozen rows: 300 rows
    # add INSERT statements, never a SELECT or UPDATE per row.
    import_rows(plan_rows(2), "warm-up")
    for shift in (0, 0, 1):
        (small, small_inserts), (large, large_inserts) = imports_at((30, 300), status_shift=shift)
        assert small == large, (shift, small, large)
        assert large_inserts <= small_inserts + 300 // 10
    assert Action.objects.filter(plan__slug="plan-300").count() == 300


@pytest.mark.django_db
@pytest.mark.parametrize("plan_size", [80, 400])
def test_a_small_reimport_into_a_large_plan_loads_only_the_actions_it_names(plan_size):
    import_rows(plan_rows(plan_size), "large")
    small = xlsx([HEADER, *plan_rows(plan_size)[1:4]])
    loaded = []

    def count_actions(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count_actions, sender=Action)
    try:
        with CaptureQueriesContext(connection) as context:
            preview, changes = plan_preview(small, name="small.xlsx", slug="large")
    finally:
        post_init.disconnect(count_actions, sender=Action)
    # The three it names, and the first few of those it leaves out (listed by name in the preview).
    assert len(loaded) == 3 + REMOVED_SHOWN
    assert (len(changes.unchanged), len(changes.removed)) == (3, plan_size - 3)
    assert [action.ref for action in changes.removed][:2] == ["4", "5"]
    assert len(context.captured_queries) <= 14
    record = plan_import(preview=preview, slug="large", remove_missing=True)
    assert (record.unchanged_count, record.removed_count) == (3, plan_size - 3)
    assert list(Action.objects.filter(plan__slug="large").values_list("ref", flat=True)) == ["1", "2", "3"]


def confirm_fields(page):
    """The names and values the preview's confirm form posts (hidden inputs and ticked boxes as a browser would)."""
    form = re.search(r'<form method="post" action="[^"]*/confirm/">(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_confirming_a_large_file_posts_a_few_fields_not_one_per_row(client, admin_user):
    # 150 rows against a limit of 10 fields: a form that posted a field per row would be refused (the real
    # limit is 1,000; bench/import_confirm.py measures a 100,000-row file through these pages).
    client.force_login(admin_user)
    assert upload(client, xlsx(plan_rows(150)), title="Large").status_code == 302
    record = PlanImport.objects.get()
    page = client.get(reverse("plans:import_preview", args=[record.token])).content.decode()
    assert "Import 150 actions" in page
    fields = confirm_fields(page)
    assert len(fields) < 10
    response = client.post(reverse("plans:import_confirm", args=[record.token]), fields)
    assert response.status_code == 302
    assert Action.objects.filter(plan__slug="large").count() == 150


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_a_post_with_too_many_fields_is_a_bad_request_not_a_server_error(client, admin_user):
    client.force_login(admin_user)
    upload(client, xlsx(plan_rows(3)), title="Small")
    record = PlanImport.objects.get()
    response = client.post(reverse("plans:import_confirm", args=[record.token]), {f"row-{n}": "on" for n in range(20)})
    assert response.status_code == 400
    assert "could not read that request" in response.content.decode()
    assert Action.objects.count() == 0
