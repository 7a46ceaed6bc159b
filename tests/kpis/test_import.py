"""Importing KPI workbooks: each layout, every problem by sheet and cell, atomic, idempotent, dry runs."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from kpis.importing import ImportFileError, kpis_import
from kpis.models import Benchmark, ComparatorGroup, Indicator, Section, Target, Value
from kpis.rules import Polarity, Unit

from .factories import IndicatorFactory, TargetFactory
from .workbooks import put_rows, save, seed_report

D = Decimal
JUL, AUG, SEP, OCT, NOV = (dt.date(2018, m, 1) for m in (7, 8, 9, 10, 11))


def figures(name):
    indicator = Indicator.objects.get(name=name)
    return {v.period: v.value if v.value is not None else v.missing_reason for v in indicator.values.all()}


def test_the_wide_layout_of_the_seed_report(db):
    result = kpis_import(file=save(seed_report()))

    assert list(Section.objects.values_list("name", flat=True)) == ["MASH", "Assessments"]
    assert Indicator.objects.count() == 8
    mash = Indicator.objects.filter(section__name="MASH").values_list("name", flat=True)
    assert list(mash)[:2] == ["No. of Contacts received in MASH", "% Contacts progressing to a CSC referral"]
    assert figures("No. of Contacts received in MASH") == {JUL: 1786, AUG: 1376, SEP: 1628, OCT: 1716, NOV: 1674}
    # 0.26 shown as 26% and the text "15%" are both held in points.
    assert figures("% Contacts progressing to a CSC referral")[JUL] == D(26)
    assert figures("% Re-referrals (In the last 12 months)")[SEP] == D(17)
    assert figures("Rate of CSC referrals (10k pop) rolling 12 months")[NOV] == D("466.4")
    # Words across a merged cell apply to every month it covers, and are not a target.
    assert figures("Timeliness of decisions in MASH (24 hours)") == dict.fromkeys(
        [JUL, AUG, SEP, OCT, NOV], "Data under review"
    )
    assert not Target.objects.filter(indicator__name__startswith="Timeliness").exists()
    assert figures("Rate of assessments completed per 10,000") == {}

    # The target column: a number or words, for the months of the table and onwards.
    referral = Target.objects.get(indicator__name="% Contacts progressing to a CSC referral")
    assert (referral.period_start, referral.period_end, referral.value) == (None, None, D(30))
    assert Target.objects.get(indicator__name="No. of Contacts received in MASH").text == "No Target"
    assert Target.objects.get(indicator__name__startswith="% completed within 45").value == D(85)

    # Units guessed from the names; polarity left for a person to set.
    assert Indicator.objects.get(name__startswith="% Re-referrals").unit == Unit.PERCENT
    assert Indicator.objects.get(name__startswith="Rate of CSC").unit == Unit.RATE_10K
    assert Indicator.objects.get(name__startswith="No. of Contacts").unit == Unit.COUNT
    assert "8 new indicator(s) have no polarity yet" in result.notices[0]

    assert result.warnings == [
        'KPIs!D13: "abc" is not a number',
        "KPIs!D15: 192.7% is a percentage above 100",
    ]
    assert result.created["values"] == 5 * 5 + 4 + 4
    assert "Skipped: 2 cell(s) with a problem" in result.summary_lines()


@pytest.mark.parametrize(
    "headers",
    [
        ["Jul 18", "Aug 18"],
        ["2018-07", "2018-08"],
        ["July 2018", "August 2018"],
        [dt.datetime(2018, 7, 1), dt.datetime(2018, 8, 1)],  # noqa: DTZ001 - Excel dates have no time zone
    ],
)
def test_month_headers_as_teams_write_them(db, headers):
    workbook = Workbook()
    put_rows(workbook.active, [["Indicator", *headers], ["No. of children subject to CP plan", 331, 347]])
    kpis_import(file=save(workbook))
    assert figures("No. of children subject to CP plan") == {JUL: 331, AUG: 347}


def test_a_section_named_in_the_header_cell(db):
    workbook = Workbook()
    put_rows(workbook.active, [["Child Protection", "Jul 18", "Target"], ["No. of CP plans lasting 2 years", 7, 5]])
    kpis_import(file=save(workbook))
    assert Indicator.objects.get().section.name == "Child Protection"


def test_the_long_layout(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    put_rows(
        sheet,
        [
            ["Indicator", "Section", "Month", "Value", "Note"],
            ["% CiN with an up-to-date plan", "Children in Need", "Jul 18", "52%", ""],
            ["% CiN with an up-to-date plan", "Children in Need", "2018-08", (0.45, "0%"), "New recording form"],
            ["No. of open CiN cases", "Children in Need", dt.datetime(2018, 7, 1), 2201, ""],  # noqa: DTZ001 - Excel dates have no time zone
            ["No. of open CiN cases", "Children in Need", "Julember", 2127, ""],
            ["% of CIN review meetings held", "Children in Need", "Jul 18", "Data under development", ""],
        ],
    )
    result = kpis_import(file=save(workbook))
    assert figures("% CiN with an up-to-date plan") == {JUL: D(52), AUG: D(45)}
    assert Value.objects.get(period=AUG, indicator__name__startswith="% CiN").note == "New recording form"
    assert figures("% of CIN review meetings held") == {JUL: "Data under development"}
    assert result.warnings == ['Figures!C5: "Julember" is not a month']


def benchmark_sheet(workbook, rows):
    sheet = workbook.create_sheet("Benchmarks")
    put_rows(sheet, rows)
    return sheet


def test_benchmarks_with_the_year_in_a_merged_row_above(db):
    workbook = seed_report()
    sheet = benchmark_sheet(
        workbook,
        [
            ["BENCHMARKING", 2018, 2017],
            [None, "Lewisham (this council)", "Statistical neighbours", "Inner London", "England"],
            ["Rate of CSC referrals (10k pop) rolling 12 months", 482, 602, 601, 552],
            ["% Re-referrals (In the last 12 months)", "15%", "16%", (0.16, "0%"), "22%"],
            ["Rate of unknown things", 1, 2, 3, 4],
        ],
    )
    sheet.merge_cells("C1:E1")
    result = kpis_import(file=save(workbook))
    rows = Benchmark.objects.filter(indicator__name__startswith="% Re-referrals").values_list(
        "group__name", "year", "value"
    )
    assert list(rows) == [
        ("Lewisham", 2018, D(15)),
        ("Statistical neighbours", 2017, D(16)),
        ("Inner London", 2017, D(16)),
        ("England", 2017, D(22)),
    ]
    assert ComparatorGroup.objects.get(name="Lewisham").is_own
    assert 'Benchmarks!B5: there is no indicator called "Rate of unknown things"; it is ignored' in result.warnings


def test_benchmarks_with_the_year_in_the_header(db):
    workbook = seed_report()
    benchmark_sheet(
        workbook,
        [
            ["Indicator", "England 2016", "England 2017", "Inner London (2016/17)"],
            ["% Re-referrals (In the last 12 months)", "21%", "22%", "16%"],
        ],
    )
    kpis_import(file=save(workbook))
    rows = Benchmark.objects.values_list("group__name", "year", "value").order_by("group__name", "year")
    assert list(rows) == [("England", 2016, D(21)), ("England", 2017, D(22)), ("Inner London", 2017, D(16))]


def test_importing_the_same_file_twice_changes_nothing(db):
    workbook = seed_report()
    benchmark_sheet(workbook, [["Indicator", "England 2017"], ["% Re-referrals (In the last 12 months)", "22%"]])
    kpis_import(file=save(workbook))
    before = list(Value.objects.values_list("pk", "value", "missing_reason", "updated_at"))
    targets = list(Target.objects.values_list("pk", "period_start", "period_end", "value", "text"))

    again = kpis_import(file=save(workbook))

    assert not again.changed
    assert again.unchanged["values"] == 33 and again.unchanged["indicators"] == 8
    assert list(Value.objects.values_list("pk", "value", "missing_reason", "updated_at")) == before
    assert list(Target.objects.values_list("pk", "period_start", "period_end", "value", "text")) == targets


def test_a_new_target_in_a_later_report_becomes_the_next_step(db):
    kpis_import(file=save(seed_report()))
    later = seed_report(months=["Dec 18", "Jan 19", "Feb 19", "Mar 19", "Apr 19"])
    later.active["G6"] = "35%"
    kpis_import(file=save(later))
    steps = Target.objects.filter(indicator__name__startswith="% Contacts").values_list(
        "period_start", "period_end", "value"
    )
    assert list(steps) == [(None, NOV, D(30)), (dt.date(2018, 12, 1), None, D(35))]


def test_a_target_column_over_a_trajectory_replaces_only_its_months(db):
    indicator = IndicatorFactory(name="% of work judged good or better", polarity=Polarity.HIGHER)
    TargetFactory(indicator=indicator, period_end=dt.date(2018, 6, 1), value=D(35), amber_tolerance=D(3))
    TargetFactory(indicator=indicator, period_start=dt.date(2018, 7, 1), value=D(50), amber_tolerance=D(3))
    workbook = Workbook()
    put_rows(workbook.active, [["Indicator", "Jun 18", "Jul 18", "Target"], [indicator.name, 30, 40, 45]])
    kpis_import(file=save(workbook))
    steps = Target.objects.filter(indicator=indicator).values_list(
        "period_start", "period_end", "value", "amber_tolerance"
    )
    assert list(steps) == [
        (None, dt.date(2018, 5, 1), D(35), D(3)),
        (dt.date(2018, 6, 1), None, D(45), D(3)),
    ]


def test_a_dry_run_reports_the_same_and_writes_nothing(db):
    preview = kpis_import(file=save(seed_report()), dry_run=True)
    assert preview.created["values"] == 33 and preview.created["indicators"] == 8
    assert preview.warnings == ['KPIs!D13: "abc" is not a number', "KPIs!D15: 192.7% is a percentage above 100"]
    assert not Indicator.objects.exists() and not Section.objects.exists() and not Value.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Indicator,Jul 18\nContacts,1786\n", "is a text file"),
        (b"", "is empty"),
        (save(seed_report()).getvalue()[:2000], "is damaged or incomplete"),  # cut off half way
    ],
)
def test_a_bad_file_changes_nothing(db, content, message):
    kpis_import(file=save(seed_report()))
    before = list(Value.objects.values_list("pk", "value"))
    with pytest.raises(ImportFileError, match=message):
        kpis_import(file=io.BytesIO(content))
    assert list(Value.objects.values_list("pk", "value")) == before


def test_a_workbook_without_a_kpi_table_is_refused(db):
    workbook = Workbook()
    put_rows(workbook.active, [["Shopping list"], ["Milk", "Eggs"]])
    with pytest.raises(ImportFileError, match="No KPI table was found"):
        kpis_import(file=save(workbook))
    assert not Section.objects.exists()


def test_an_old_xls_file_is_refused_with_a_clear_message(db, tmp_path):
    path = tmp_path / "report.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # the OLE header of an .xls
    with pytest.raises(ImportFileError, match="old Excel 97–2003 workbook"):
        kpis_import(file=str(path))


def test_a_zip_bomb_is_refused_before_it_is_opened(db, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="would unpack to"):
        kpis_import(file=io.BytesIO(bomb.getvalue()))
    assert not Value.objects.exists()


def test_a_sheet_that_claims_every_cell_is_read_by_the_cells_that_hold_values(db):
    # One formatted cell at the last address makes the sheet's dimensions 16,384 x 1,048,576; its time and
    # memory are measured in tests/common/test_limits.py's bounds and bench/, never asserted as seconds here.
    workbook = seed_report()
    workbook.active["XFD1048576"].number_format = "0.0%"
    result = kpis_import(file=save(workbook))
    assert result.created["values"] > 0
