"""Benchmarks as national data names them: rows matched to indicators by code or by a similar name (shown for
the admin to confirm), comparator groups spelled several ways read as one, and polarity given in the file."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kpis.importing import kpis_import
from kpis.importing.matching import group_key, indicator_key, read_polarity
from kpis.models import Benchmark, ComparatorGroup, Indicator
from kpis.rules import Polarity

from .factories import IndicatorFactory
from .workbooks import put_rows, save

D = Decimal


def benchmark_workbook(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Benchmarks"
    put_rows(sheet, rows)
    return save(workbook)


@pytest.fixture
def indicators(db):
    return {
        "referrals": IndicatorFactory(name="Rate of CSC referrals per 10,000", code="csc-referrals"),
        "re-referrals": IndicatorFactory(name="% re-referrals within 12 months", code="re-referrals"),
        "cp": IndicatorFactory(name="Rate of children subject to a CP plan per 10,000", code="cp-rate"),
    }


BENCHMARKS = [
    [None, 2018, 2017],
    ["Indicator", "Lewisham (this council)", "Statistical Neighbours", "Stat neighbours", "England"],
    ["Rate of CSC referrals (10k pop)", 482, 602, None, 552],
    ["re-referrals", "15%", None, "16%", "22%"],
    ["Rate of unknown things", 1, 2, 3, 4],
]


def test_benchmark_rows_match_by_code_or_a_similar_name_and_say_so(indicators):
    result = kpis_import(file=benchmark_workbook(BENCHMARKS))
    referrals = Benchmark.objects.filter(indicator=indicators["referrals"]).values_list("group__name", "year", "value")
    assert sorted(referrals) == [("England", 2017, D(552)), ("Lewisham", 2018, D(482)),
                                 ("Statistical Neighbours", 2017, D(602))]  # fmt: skip
    assert result.matches == [
        "Benchmarks!B3: benchmark row “Rate of CSC referrals (10k pop)” read as the indicator "
        "“Rate of CSC referrals per 10,000” (a similar name)",
        "Benchmarks!B4: benchmark row “re-referrals” is the indicator with the code re-referrals, "
        "“% re-referrals within 12 months”",
        "Benchmarks!D4: comparator group “Stat neighbours” read as “Statistical Neighbours” (the same group "
        "spelled another way)",
    ]
    assert ComparatorGroup.objects.count() == 3
    assert 'Benchmarks!B5: there is no indicator called "Rate of unknown things"; it is ignored' in result.warnings


def test_comparator_groups_spelled_differently_are_one_group(indicators):
    ComparatorGroup.objects.create(name="Statistical neighbours", position=1)
    result = kpis_import(file=benchmark_workbook(BENCHMARKS))
    assert sorted(ComparatorGroup.objects.values_list("name", flat=True)) == [
        "England",
        "Lewisham",
        "Statistical neighbours",
    ]
    # Differing only in case is the same name: nothing to check.
    assert not [match for match in result.matches if "“Statistical Neighbours” read as" in match]
    assert "Benchmarks!D4: comparator group “Stat neighbours” read as “Statistical neighbours” (the same group " \
           "spelled another way)" in result.matches  # fmt: skip
    re_referrals = Benchmark.objects.get(indicator=indicators["re-referrals"], group__name="Statistical neighbours")
    assert (re_referrals.year, re_referrals.value) == (2017, D(16))


def test_the_preview_page_shows_each_match_for_the_admin_to_confirm(client, admin_user, indicators):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("bench.xlsx", benchmark_workbook(BENCHMARKS).getvalue())
    html = client.post(reverse("kpis:import"), {"action": "preview", "workbook": upload}).content.decode()
    assert "names read as another: check before importing" in html
    assert "read as the indicator “Rate of CSC referrals per 10,000” (a similar name)" in html
    assert not Benchmark.objects.exists()


@pytest.mark.parametrize("header", ["Polarity", "Good is"])
def test_polarity_given_in_a_wide_table(db, header):
    workbook = Workbook()
    put_rows(workbook.active, [
        ["MASH"],
        ["Indicator", "Oct 18", "Nov 18", "Target", header],
        ["% re-referrals within 12 months", "17%", "15%", "18%", "Lower"],
        ["% assessments within 45 working days", "81%", "85%", "85%", "higher is better"],
        ["No. of contacts received", 1716, 1674, "No Target", None],
        ["% of something unclear", "1%", "2%", None, "sideways"],
    ])  # fmt: skip
    result = kpis_import(file=save(workbook))
    polarity = dict(Indicator.objects.values_list("name", "polarity"))
    assert polarity == {
        "% re-referrals within 12 months": Polarity.LOWER,
        "% assessments within 45 working days": Polarity.HIGHER,
        "No. of contacts received": Polarity.NEITHER,
        "% of something unclear": Polarity.NEITHER,
    }
    assert any(warning.startswith('Sheet!E6: "sideways" is not a polarity') for warning in result.warnings)
    assert "2 new indicator(s) have no polarity yet" in result.notices[0]


def test_polarity_given_in_a_long_table_changes_an_existing_indicator(db):
    IndicatorFactory(name="% re-referrals within 12 months", polarity=Polarity.NEITHER)
    workbook = Workbook()
    put_rows(workbook.active, [
        ["Indicator", "Month", "Value", "Good is"],
        ["% re-referrals within 12 months", "Nov 18", "15%", "Low"],
    ])  # fmt: skip
    kpis_import(file=save(workbook))
    assert Indicator.objects.get().polarity == Polarity.LOWER


@pytest.mark.parametrize(
    ("written", "polarity"),
    [("Higher is better", "higher"), ("higher", "higher"), ("Lower", "lower"), ("Good is low", "lower"),
     ("Neither", "neither"), ("lower is better", "lower"), ("up", "higher"), ("sideways", None)],
)  # fmt: skip
def test_polarity_as_people_write_it(written, polarity):
    assert read_polarity(written) == polarity


def test_names_that_differ_only_in_spelling_have_one_key():
    assert group_key("Statistical Neighbours") == group_key("Stat neighbours") == group_key("SN average")
    assert group_key("England") != group_key("Inner London")
    assert indicator_key("Rate of CSC referrals (10k pop)") == indicator_key("Rate of CSC referrals per 10,000")
