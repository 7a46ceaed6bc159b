"""Every committed write changes the data's revision, whoever sends it; pages that keep what they read show it."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common import revision
from common.bulk import rows_inserted
from common.models import Revision, WorkerHeartbeat
from plans.models import Action, ActionUpdate, Area
from plans.rag import Status
from plans.services import action_update
from tests.factories import ActionFactory, AreaFactory, PersonFactory, PlanFactory

# Real commits: the revision changes only once a write is committed, which a test's own transaction never is.
committed = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "plans_action" ("title") VALUES (%s)',
        'UPDATE "plans_area" SET "title" = %s',
        'DELETE FROM "plans_actionupdate" WHERE "id" = %s',
        'TRUNCATE "plans_action", "plans_area"',
        "  insert into plans_action (title) values ('x')",
        'WITH moved AS (UPDATE "plans_action" SET "position" = 1 RETURNING id) SELECT * FROM moved',
        'ALTER TABLE "plans_action" ADD COLUMN "x" integer',
    ],
)
def test_statements_that_change_data(sql):
    assert revision.changes_data(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "plans_action"."id" FROM "plans_action" FOR UPDATE',
        'SAVEPOINT "s1"',
        'RELEASE SAVEPOINT "s1"',
        'UPDATE "django_session" SET "expire_date" = %s',
        'INSERT INTO "common_workerheartbeat" ("worker_id") VALUES (%s)',
        'INSERT INTO "common_revision" ("id", "token") VALUES (%s, %s) ON CONFLICT',
    ],
)
def test_statements_that_change_nothing_kept(sql):
    assert not revision.changes_data(sql)


def a_plan():
    area = AreaFactory()
    action = ActionFactory(area=area, plan=area.plan, status=Status.IN_PROGRESS)
    return area, action


def token():
    return Revision.objects.get().token


@committed
@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda area, action: Area.objects.filter(pk=area.pk).update(title="Renamed"), id="update()"),
        pytest.param(lambda area, action: ActionFactory(area=area, plan=area.plan), id="save"),
        pytest.param(lambda area, action: action.delete(), id="delete"),
        pytest.param(lambda area, action: action.leads.add(PersonFactory()), id="many-to-many"),
        pytest.param(
            lambda area, action: ActionUpdate.objects.bulk_create(
                [ActionUpdate(action=action, status=Status.COMPLETED, created_at=timezone.now())]
            ),
            id="bulk_create",
        ),
        pytest.param(
            lambda area, action: rows_inserted(
                [ActionUpdate(action=action, status=Status.COMPLETED, created_at=timezone.now())]
            ),
            id="common.bulk (COPY on PostgreSQL)",
        ),
        pytest.param(
            lambda area, action: connection.cursor().execute(
                f'UPDATE "{Action._meta.db_table}" SET "title" = %s WHERE "id" = %s', ["Raw", action.pk]
            ),
            id="raw SQL",
        ),
        pytest.param(
            lambda area, action: action_update(
                action=action, author=None, status=Status.COMPLETED, commentary="Delivered"
            ),
            id="the update service",
        ),
    ],
)
def test_every_committed_write_changes_the_revision(write):
    area, action = a_plan()
    before = token()
    write(area, action)
    assert token() != before


@committed
def test_a_transaction_changes_the_revision_once_when_it_commits():
    area, action = a_plan()
    before = token()
    with CaptureQueriesContext(connection) as statements, transaction.atomic():
        Area.objects.filter(pk=area.pk).update(title="Renamed")
        Action.objects.filter(pk=action.pk).update(title="Renamed too")
        assert token() == before  # not yet: other processes cannot see these writes
    bumps = [q["sql"] for q in statements.captured_queries if re.search(r'INTO "common_revision"', q["sql"])]
    assert len(bumps) == 1
    assert token() != before


@committed
def test_a_rolled_back_write_leaves_the_revision():
    area, _action = a_plan()
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        Area.objects.filter(pk=area.pk).update(title="Renamed")
        raise RuntimeError("undone")
    assert token() == before
    # Nor does the rollback leave the next transaction without its bump.
    with transaction.atomic():
        Area.objects.filter(pk=area.pk).update(title="Renamed")
    assert token() != before


@committed
def test_a_write_undone_with_its_savepoint_leaves_the_revision():
    area, _action = a_plan()
    before = token()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Area.objects.filter(pk=area.pk).update(title="Renamed")
            raise RuntimeError("undone")
        assert revision.current() == before  # nothing of this transaction is left to bump for
    assert token() == before


@committed
def test_sessions_and_heartbeats_leave_the_revision():
    a_plan()
    before = token()
    session = SessionStore()
    session["seen"] = 1
    session.save()
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, started_at=timezone.now(),
                                   last_seen=timezone.now())  # fmt: skip
    assert token() == before


@committed
def test_kept_reads_are_worked_out_again_after_a_write():
    area, _action = a_plan()
    kept = revision.KeptReads(size=2)
    titles = []

    def title():
        titles.append(Area.objects.get(pk=area.pk).title)
        return titles[-1]

    assert kept.get("area", title) == kept.get("area", title) == area.title
    assert len(titles) == 1
    Area.objects.filter(pk=area.pk).update(title="Renamed")
    assert kept.get("area", title) == "Renamed"
    assert len(titles) == 2


@committed
def test_kept_reads_are_not_used_while_the_reader_holds_uncommitted_writes():
    area, _action = a_plan()
    kept = revision.KeptReads(size=2)
    assert kept.get("area", lambda: Area.objects.get(pk=area.pk).title) == area.title
    with transaction.atomic():
        Area.objects.filter(pk=area.pk).update(title="Renamed")
        assert kept.get("area", lambda: Area.objects.get(pk=area.pk).title) == "Renamed"


@committed
def test_the_least_recently_used_is_dropped_first():
    a_plan()
    kept = revision.KeptReads(size=2)
    worked_out = []

    def work_out(key):
        return lambda: worked_out.append(key) or key

    for key in ["a", "b", "a", "c", "a", "b"]:
        kept.get(key, work_out(key))
    assert worked_out == ["a", "b", "c", "b"]


@committed
def test_the_dashboard_shows_an_update_recorded_after_it_was_kept(client, board_member):
    area, action = a_plan()
    client.force_login(board_member)
    url = reverse("reports:dashboard", args=[area.plan.slug])

    def completed():
        return client.get(url).context["summary"].counts["blue"]

    assert completed() == 0
    first = client.get(url).context["summary"]
    assert client.get(url).context["summary"] is first  # kept while nothing is written
    action_update(action=action, author=None, status=Status.COMPLETED, commentary="Delivered")
    assert completed() == 1


@committed
def test_the_dashboard_shows_a_plan_renamed_in_bulk_after_it_was_kept(client, board_member):
    area, _action = a_plan()
    client.force_login(board_member)
    url = reverse("reports:dashboard", args=[area.plan.slug])
    assert "Renamed in bulk" not in client.get(url).content.decode()
    Area.objects.filter(plan=area.plan).update(title="Renamed in bulk")
    assert "Renamed in bulk" in client.get(url).content.decode()


@committed
def test_a_new_database_has_no_revision_until_written():
    Revision.objects.all().delete()  # as a flushed or new database
    assert revision.current() is None
    PlanFactory()
    assert revision.current() is not None
