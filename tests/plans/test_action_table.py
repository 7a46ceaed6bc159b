"""The action table: filters, sorting, exports that neutralise formulas, flat query counts."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from common.exporting import neutralise
from plans.rag import Status
from plans.services import action_update
from reports.for_you import NAV_COUNT_QUERIES
from tests.factories import ActionFactory, AreaFactory, PlanFactory, SponsorFactory


@pytest.fixture
def plan(manager_sponsor, manager):
    plan = PlanFactory(slug="csc")
    workforce = AreaFactory(plan=plan, title="Workforce")
    budget = AreaFactory(plan=plan, title="Budget")
    ActionFactory(plan=plan, area=workforce, ref="1", title="Recruit social workers", target_date=dt.date(2020, 1, 31))
    done = ActionFactory(plan=plan, area=budget, ref="2", title="Reset the budget", sponsors=[manager_sponsor])
    action_update(action=done, author=manager, status=Status.COMPLETED, commentary="Done")
    ActionFactory(
        plan=plan,
        area=budget,
        ref="10",
        title='=HYPERLINK("http://evil")',
        sponsors=[SponsorFactory(abbreviation="HFS")],
    )
    return plan


def table(client, **params):
    return client.get(reverse("reports:action_table", args=["csc"]), params)


def refs(response):
    return [row.record.ref for row in response.context["table"].paginated_rows]


def test_it_lists_every_action_in_plan_order(client, plan, board_member):
    client.force_login(board_member)
    assert refs(table(client)) == ["1", "2", "10"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "budget"}, ["2"]),
        ({"q": "10"}, ["10"]),
        ({"rag": ["red"]}, ["1"]),
        ({"rag": ["blue", "red"]}, ["1", "2"]),
        ({"status": "completed"}, ["2"]),
        ({"due_after": "2020-01-01", "due_before": "2020-12-31"}, ["1"]),
        ({"stale": "on"}, ["1", "10"]),
    ],
)
def test_filters_narrow_the_table(client, plan, board_member, params, expected):
    client.force_login(board_member)
    assert refs(table(client, **params)) == expected


def test_filtering_by_area_and_sponsor(client, plan, board_member, manager_sponsor):
    client.force_login(board_member)
    budget = plan.areas.get(title="Budget")
    assert refs(table(client, area=budget.pk)) == ["2", "10"]
    assert refs(table(client, sponsor=manager_sponsor.pk)) == ["2"]


def test_sorting_by_target_date(client, plan, board_member):
    client.force_login(board_member)
    assert refs(table(client, sort="-target_date")) == ["2", "10", "1"]


def test_the_xlsx_export_holds_the_filtered_rows_with_formulas_neutralised(client, plan, board_member):
    client.force_login(board_member)
    response = table(client, _export="xlsx", area=plan.areas.get(title="Budget").pk)
    assert response["Content-Disposition"].startswith('attachment; filename="csc-actions-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ref", "Action", "Area")
    assert [row[0] for row in rows[1:]] == ["2", "10"]
    assert rows[2][1] == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=3, column=2).data_type == "s"
    assert "Blue – completed" in rows[1]  # the colour with its meaning, as every page says it


def test_the_csv_export_neutralises_formulas(client, plan, board_member):
    client.force_login(board_member)
    content = table(client, _export="csv").content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[3][1] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain text", "Plain text"),
        ("– en dash", "– en dash"),
        (-5, -5),
        (None, None),
        (dt.date(2020, 1, 1), dt.date(2020, 1, 1)),
    ],
)
def test_only_text_that_would_run_as_a_formula_is_neutralised(value, expected):
    assert neutralise(value) == expected


def test_a_user_without_a_role_cannot_read_or_export(client, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert table(client).status_code == 403
    assert table(client, _export="csv").status_code == 403


@pytest.mark.parametrize("actions", [10, 500])
def test_the_table_runs_a_fixed_number_of_queries(
    client, board_member, manager_sponsor, django_assert_max_num_queries, actions
):
    plan = PlanFactory(slug="csc")
    area = AreaFactory(plan=plan)
    for number in range(actions):
        ActionFactory(plan=plan, area=area, ref=str(number + 1), sponsors=[manager_sponsor])
    client.force_login(board_member)
    # The RAG-based filters read the actions' history (once, shared): more queries, but as many for 500 as for 10.
    with django_assert_max_num_queries(26):
        assert table(client, rag=["grey"], stale="on").status_code == 200
    with django_assert_max_num_queries(26):
        assert table(client, _export="xlsx").status_code == 200


def test_a_past_date_shows_that_dates_status_and_last_update_beside_its_colour(client, plan, board_member):
    client.force_login(board_member)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    rows = {row.record.ref: row for row in table(client, as_of=yesterday.isoformat()).context["table"].paginated_rows}
    # Action 2 was completed today: the day before it had no update and had not started.
    assert (rows["2"].get_cell("status"), rows["2"].get_cell("last_updated_at")) == ("Not started", "—")
    today_rows = {row.record.ref: row for row in table(client).context["table"].paginated_rows}
    assert today_rows["2"].get_cell("status") == "Completed"


def _cards(response):
    return response.content.decode().split('<ul class="action-cards">', 1)[1].split("</ul>", 1)[0]


def test_a_phone_reads_the_same_rows_as_cards_with_update_only_where_the_reader_may(client, plan, manager):
    client.force_login(manager)
    cards = _cards(table(client)).split('<li class="action-card ')[1:]
    assert len(cards) == 3
    overdue, done, other = cards
    assert overdue.startswith("action-card-red") and "days overdue" in overdue and "Update<span" not in overdue
    assert "Completed" in done and f"Last update {timezone.localdate():%-d %b %Y}" in done and "Update<span" in done
    assert "&lt;" not in other and "=HYPERLINK(&quot;http://evil&quot;)" in other  # escaped, not run


@pytest.mark.parametrize("actions", [10, 120])
def test_the_cards_add_no_query_per_row(client, manager, manager_sponsor, django_assert_max_num_queries, actions):
    plan = PlanFactory(slug="csc")
    area = AreaFactory(plan=plan)
    for number in range(actions):
        ActionFactory(plan=plan, area=area, ref=str(number + 1), sponsors=[manager_sponsor])
    client.force_login(manager)
    # 17: the table's own queries, the readers' updatable set and the actions' leads.
    with django_assert_max_num_queries(17 + NAV_COUNT_QUERIES):
        response = table(client)
    assert _cards(response).count('<li class="action-card ') == min(actions, 50)


@pytest.mark.parametrize("per_page", ["-1", "0", "many", "100000"])
def test_a_page_size_out_of_bounds_is_refused_with_the_reason(client, plan, board_member, per_page):
    # Found by the query-string fuzzer: django-tables2 answered 500 for ?per_page=-1.
    client.force_login(board_member)
    response = client.get(reverse("reports:action_table", args=[plan.slug]), {"per_page": per_page})
    assert response.status_code == 400
