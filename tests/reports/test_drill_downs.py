"""A table reached from a number says what it shows: its heading names the number, the filters are folded."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, AreaFactory, PlanFactory


@pytest.fixture
def plan(db):
    plan = PlanFactory(slug="drill")
    front_door = AreaFactory(plan=plan, title="Front door")
    for ref in ("1", "2"):  # past their target: Red
        ActionFactory(plan=plan, area=front_door, ref=ref, target_date=dt.date(2020, 1, 31), status="in_progress")
    ActionFactory(plan=plan, area=AreaFactory(plan=plan, title="Workforce"), ref="3", target_date=None)
    return plan


def heading(html):
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rag=red&as_of=2026-12-02", "2 actions Red on 2 Dec 2026"),
        ("rag=red&rag=grey&as_of=2026-12-02", "3 actions Red or Grey on 2 Dec 2026"),
        ("attention=overdue&as_of=2026-12-02", "2 actions overdue on 2 Dec 2026"),
        ("attention=no_target&as_of=2026-12-02", "1 action with no target date on 2 Dec 2026"),
        ("as_of=2026-12-02", "3 actions on 2 Dec 2026"),
    ],
)
def test_the_heading_names_what_was_clicked(client, viewer, plan, query, expected):
    client.force_login(viewer)
    html = client.get(f"{reverse('reports:action_table', args=['drill'])}?{query}").text
    assert heading(html) == expected


def test_an_area_number_on_the_dashboard_opens_a_table_named_for_it_with_the_results_first(client, viewer, plan):
    client.force_login(viewer)
    dashboard = client.get(reverse("reports:dashboard", args=["drill"]) + "?as_of=2026-12-02").text
    link = re.search(r'href="([^"]*area=\d+&amp;rag=red[^"]*)"', dashboard).group(1).replace("&amp;", "&")
    html = client.get(link).text
    assert heading(html) == "2 actions Red in Front door on 2 Dec 2026"
    assert '<details class="filters">' in html  # folded
    assert html.index("<h1>") < html.index('<details class="filters"') < html.index("<table")


def test_the_filters_open_when_they_need_correcting(client, viewer, plan):
    client.force_login(viewer)
    html = client.get(f"{reverse('reports:action_table', args=['drill'])}?due_after=not-a-date").text
    assert '<details class="filters" open>' in html
