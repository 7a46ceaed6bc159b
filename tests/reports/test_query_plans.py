"""The board's pages ask PostgreSQL nothing it would compile with its JIT: a compiled query cost 35 ms of CPU on every
dashboard, more than the rest of the page's queries together (issue 21)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")


def planned_with_jit(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return "JIT" in (plan if isinstance(plan, str) else json.dumps(plan))


@pytest.mark.parametrize(
    "page, args",
    [("reports:dashboard", ["csc-improvement-plan"]), ("reports:action_table", ["csc-improvement-plan"]),
     ("plans:plan_detail", ["csc-improvement-plan"]), ("plans:plan_list", []),
     ("reports:narratives", ["csc-improvement-plan"]), ("kpis:scorecard", [])],
)  # fmt: skip
def test_the_demo_plans_pages_are_not_compiled_by_postgresql(demo_loaded_once, client, board_member, page, args):
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")  # as a server's default; the statistics are the demo's, as loaded
    client.force_login(board_member)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(page, args=args)).status_code == 200
    selects = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")]
    assert selects
    assert [sql[:200] for sql in selects if planned_with_jit(sql)] == []
