"""No query string makes any page answer 500: dates out of range or not dates are a 400 with the reason.

The probes of issue 21 (`?as_of=0001-01-01`, `9999-12-31`, `?month=9999-12`) are checked one by one; then Hypothesis
sends every page of the tracker random query strings built from the parameters the pages read, with dates from
year 1 to 9999 among them. Kept fast: a few examples per page.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from common.dates import OUT_OF_RANGE
from common.management.commands.worker import beat as worker_beat
from kpis.models import Indicator
from plans import roles
from reports.services import board_pack_create
from tests.factories import ActionFactory, AreaFactory, PlanFactory, user_with_role
from tests.kpis.factories import IndicatorFactory, SectionFactory

PARAMETERS = [
    "as_of", "since", "moved_since", "month", "due_after", "due_before", "q", "area", "theme", "sponsor", "lead",
    "status", "rag", "stale", "attention", "moved_since_pack", "sort", "page", "per_page", "_export", "inline",
]  # fmt: skip
EDGE_DATES = ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01", "0000-00-00", "2018-02-30", "-1", ""]
ANY_DATE = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
VALUES = st.one_of(
    ANY_DATE.map(dt.date.isoformat),
    ANY_DATE.map(lambda date: f"{date.year:04}-{date.month:02}"),
    st.sampled_from(EDGE_DATES),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.text(max_size=30),
)
QUERIES = st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=4)


@pytest.fixture
def tracker(db):
    """A plan with an action, a draft pack and a KPI, and an admin who may open every page."""
    plan = PlanFactory(slug="plan")
    action = ActionFactory(plan=plan, area=AreaFactory(plan=plan), ref="1")
    pack = board_pack_create(plan=plan, as_of=dt.date(2026, 11, 30), meeting_date=dt.date(2026, 12, 7))
    indicator = IndicatorFactory(section=SectionFactory(slug="mash"), code="contacts")
    return {"plan": plan, "action": action, "pack": pack, "indicator": indicator}


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin",) or str(pattern.pattern).startswith("accounts/"):
                continue  # Django's own pages
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name, tuple(pattern.pattern.converters)


PAGES = sorted(set(_patterns(get_resolver())))


def _address(name, arguments, tracker):
    values = {
        "slug": tracker["plan"].slug,
        "ref": tracker["action"].ref,
        "pk": tracker["pack"].pk,
        "section": tracker["indicator"].section.slug,
        "code": tracker["indicator"].code,
        "token": uuid.uuid4(),
    }
    return reverse(name, kwargs={argument: values[argument] for argument in arguments})


ISSUE_PROBES = [
    ("reports:dashboard", "as_of=0001-01-01"),
    ("reports:dashboard", "as_of=9999-12-31"),
    ("reports:dashboard", "since=0001-01-01"),
    ("reports:action_table", "as_of=9999-12-31"),
    ("reports:action_table", "moved_since=9999-12-31"),
    ("reports:narratives", "month=0001-01"),
    ("reports:narratives", "month=9999-12"),
    ("kpis:scorecard", "month=9999-12"),
    ("kpis:values_entry", "month=0001-01"),
]


@pytest.mark.parametrize(("name", "query"), ISSUE_PROBES)
def test_a_date_outside_the_sane_range_is_a_400_with_the_reason(client, tracker, name, query):
    client.force_login(user_with_role(roles.ADMIN))
    arguments = dict(PAGES)[name]
    response = client.get(f"{_address(name, arguments, tracker)}?{query}")
    assert response.status_code == 400
    date = query.split("=")[1]
    assert OUT_OF_RANGE.format(date=date) in response.content.decode()


def test_a_date_that_is_not_a_date_is_a_400_naming_the_parameter(client, tracker):
    client.force_login(user_with_role(roles.ADMIN))
    response = client.get(reverse("reports:dashboard", args=["plan"]) + "?as_of=yesterday")
    assert response.status_code == 400
    assert response.text == "“yesterday” (as_of) is not a date: write it as YYYY-MM-DD, for example 2018-11-30."


def test_the_board_pack_form_refuses_dates_outside_the_range(client, tracker):
    client.force_login(user_with_role(roles.ADMIN))
    response = client.post(
        reverse("reports:pack_create", args=["plan"]), {"as_of": "9999-12-31", "meeting_date": "9999-12-31"}
    )
    assert response.status_code == 400
    assert OUT_OF_RANGE.format(date="9999-12-31") in response.content.decode()
    assert tracker["plan"].board_packs.count() == 1


@pytest.mark.parametrize(("name", "arguments"), PAGES, ids=[name for name, _ in PAGES])
def test_no_query_string_makes_a_page_answer_500(client, tracker, name, arguments):
    client.force_login(user_with_role(roles.ADMIN))
    address = _address(name, arguments, tracker)
    if name == "health":
        # /health/ answers 503 by design when no worker has been seen: a worker has, so any 5xx is the query's doing.
        worker_beat(worker_id="fuzz", started_at=timezone.now())

    @hypothesis_settings(
        max_examples=8, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(query=QUERIES)
    def fetch(query):
        response = client.get(address, query)
        assert response.status_code < 500, (address, query)

    fetch()
    assert Indicator.objects.count() == 1  # nothing a GET sent changed the tracker
