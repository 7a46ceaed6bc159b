"""The KPI scorecard in the pack: the plan's indicators with their latest value, target, colour, travel and
benchmarks; issuing records every figure shown."""

from decimal import Decimal

import pytest

from kpis.rules import Polarity, add_months, month_start
from reports import services
from reports.content import pack_html
from reports.models import BoardPack, BoardPackEntry
from reports.rendering import html_to_pdf
from tests.kpis.factories import BenchmarkFactory, ComparatorGroupFactory, IndicatorFactory, TargetFactory, ValueFactory
from tests.reports.conftest import TODAY, days, pdf_pages


def _months_ago(n):
    return add_months(month_start(TODAY), -n)


@pytest.fixture
def indicator(small_plan):
    plan, actions = small_plan
    indicator = IndicatorFactory(
        name="% assessments within 45 working days", code="assessments-45", polarity=Polarity.HIGHER
    )
    indicator.areas.set([actions["overdue"].area])
    TargetFactory(indicator=indicator, value=Decimal(85), amber_tolerance=Decimal(3))
    ValueFactory(indicator=indicator, period=_months_ago(1), value=Decimal("86.5"))
    ValueFactory(indicator=indicator, period=_months_ago(0), value=Decimal("83.2"))
    BenchmarkFactory(indicator=indicator, group=ComparatorGroupFactory(name="England"), year=TODAY.year - 1,
                     value=Decimal("82.0"))  # fmt: skip
    IndicatorFactory(name="An indicator of another plan", code="elsewhere")
    return indicator


def _flat(text):
    return " ".join(text.split())


def test_the_pack_shows_the_plans_indicators(small_plan, indicator):
    plan, _actions = small_plan
    pack = BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7))

    text = _flat(" ".join(pdf_pages(html_to_pdf(pack_html(pack)).content)))

    assert "4. Key performance indicators" in text
    assert "% assessments within 45 working days" in text
    assert "83.2% 85.0% Amber close to target" in text
    assert "Down, worsening" in text
    assert "England" in text and "82.0%" in text
    assert "An indicator of another plan" not in text
    assert "5. Glossary" in text
    assert "1 close to target" in text  # the executive summary's line


def test_a_plan_without_indicators_has_no_kpi_section(small_plan):
    plan, _actions = small_plan

    html = pack_html(BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7)))

    assert "Key performance indicators" not in html
    assert "4. Glossary" in html


def test_issuing_records_every_figure_shown(small_plan, indicator, admin_user):
    plan, _actions = small_plan
    pack = services.board_pack_create(plan=plan, as_of=TODAY, meeting_date=days(7))

    pack = services.board_pack_issue(pack=pack, issued_by=admin_user)

    entry = pack.entries.get(kind=BoardPackEntry.Kind.KPI)
    assert (entry.key, entry.rag) == ("assessments-45", "amber")
    assert Decimal(entry.figures["value"]) == Decimal("83.2")
    assert entry.figures["shown"] == "83.2%"
    assert entry.figures["target"] == "85.0%"
    assert entry.figures["since_previous"] == "worsening"
    assert entry.figures["benchmarks"][0]["group"] == "England"
    assert pack.entries.filter(kind=BoardPackEntry.Kind.ACTION).count() == 5


def test_the_month_table_sets_five_months_side_by_side_with_a_dash_for_a_gap(small_plan, indicator):
    plan, _actions = small_plan
    # The fixture holds last month and this month; add four months ago, leave two and three months ago empty.
    ValueFactory(indicator=indicator, period=_months_ago(4), value=Decimal("79.0"))
    ValueFactory(indicator=indicator, period=_months_ago(5), value=Decimal("70.0"))  # before the period: not shown
    pack = BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7))

    text = _flat(" ".join(pdf_pages(html_to_pdf(pack_html(pack)).content)))

    months = " ".join(f"{_months_ago(n):%b %Y}" for n in range(4, -1, -1))
    assert f"Month by month, {_months_ago(4):%B %Y} to {_months_ago(0):%B %Y}" in text
    assert f"Indicator {months} Target RAG" in text
    assert "% assessments within 45 working days 79.0% – – 86.5% 83.2% 85.0% Amber" in text
    assert "70.0%" not in text


def test_an_indicator_without_figures_in_the_period_is_a_row_of_dashes(small_plan, indicator):
    plan, _actions = small_plan
    quiet = IndicatorFactory(name="Care leavers in touch", code="care-leavers", section=indicator.section)
    quiet.areas.set(indicator.areas.all())
    pack = BoardPack(plan=plan, as_of=TODAY, meeting_date=days(7))

    html = pack_html(pack)

    month_table = html[html.index('class="data kpis kpi-months"') :]
    row = month_table[month_table.index('<td class="col-kpi">Care leavers in touch</td>') :].split("</tr>")[0]
    assert row.count('<td class="col-month">–</td>') == 5
