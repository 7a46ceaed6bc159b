"""The scorecard fits a laptop: no month column without figures, no empty travel column, a reason said once."""

import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse

from kpis.models import Value
from tests.kpis.factories import BenchmarkFactory, IndicatorFactory, SectionFactory, ValueFactory

MONTHS = [dt.date(2018, month, 1) for month in range(7, 12)]  # Jul to Nov 2018; Jun has no figure


def test_a_section_draws_only_months_with_figures_and_a_missing_reason_once(client, viewer):
    section = SectionFactory(name="MASH")
    counted = IndicatorFactory(section=section, name="Contacts received")
    for month in MONTHS:
        ValueFactory(indicator=counted, period=month, value=Decimal(month.month))
    pending = IndicatorFactory(section=section, name="Timeliness of decisions")
    for month in MONTHS:
        Value.objects.create(indicator=pending, period=month, missing_reason="Data under development")
    client.force_login(viewer)
    html = client.get(reverse("kpis:scorecard"), {"month": "2018-11"}).text

    head = re.search(r"<thead>.*?</thead>", html, re.S).group()
    assert "Jun 18" not in head  # no indicator has a June figure
    assert [f"{month:%b %y}" in head for month in MONTHS] == [True] * 5
    assert ">Year</abbr>" not in head  # no figure a year before: no empty "Year" column
    assert ">Month</abbr>" in head
    cards = html.split('<ul class="kpi-cards phone-cards">', 1)[1]  # nor a "Since last year" line on a phone's cards
    assert "Since last month:" in cards and "Since last year:" not in cards
    pending_row = re.search(r"Timeliness of decisions.*?</tr>", html, re.S).group()
    assert pending_row.count("Data under development") == 2  # once as the text, once as its title
    assert 'colspan="5"' in pending_row


def test_a_run_of_the_same_reason_is_broken_by_a_figure_or_another_reason(client, viewer):
    indicator = IndicatorFactory(name="Re-referrals")
    reasons = ["Data under review", "Data under review", None, "Data under development", "Data under development"]
    for month, reason in zip(MONTHS, reasons, strict=True):
        if reason:
            Value.objects.create(indicator=indicator, period=month, missing_reason=reason)
        else:
            ValueFactory(indicator=indicator, period=month, value=Decimal(12))
    client.force_login(viewer)
    html = client.get(reverse("kpis:scorecard"), {"month": "2018-11"}).text
    row = re.search(r"Re-referrals.*?</tr>", html, re.S).group()
    assert re.findall(r'colspan="(\d)"', row) == ["2", "2"]
    assert "12.0%" in row


def test_a_section_without_benchmarks_draws_no_benchmarks_column(client, viewer):
    compared, alone = SectionFactory(name="Assessments"), SectionFactory(name="Children in Need")
    for section, name in ((compared, "Assessments on time"), (alone, "CIN per 10k")):
        indicator = IndicatorFactory(section=section, name=name)
        ValueFactory(indicator=indicator, period=MONTHS[-1], value=Decimal(40))
    BenchmarkFactory(indicator=compared.indicators.get(), group__name="England", value=Decimal(55))
    client.force_login(viewer)
    html = client.get(reverse("kpis:scorecard"), {"month": "2018-11"}).text
    heads = re.findall(r"<thead>.*?</thead>", html, re.S)
    assert ["Benchmarks" in head for head in heads] == [True, False]
    assert "England 2017: <strong>" in html and html.count('class="benchmarks"') == 1
