"""Every import reads within the same bounds: a small crafted file finishes in seconds under 200 MB, or is refused.

The probes of issue 21, each a few kilobytes: a merged range or a value that claims the whole sheet, and a dense
sheet far larger than any report. Memory is measured with tracemalloc (what Python allocates while reading).
"""

import io
import tracemalloc

import openpyxl
import pytest

from common.spreadsheets import Budget, ReadLimits, WorkbookError, read_sheets
from common.spreadsheets.limits import TOO_MANY_CELLS, TOO_SLOW
from kpis.importing import read_workbook_bytes
from kpis.importing.workbook import LIMITS as KPI_LIMITS
from plans.importing import read_plan
from tests.common.sheet_xml import edit_sheet, with_merged_range, with_value_at
from tests.kpis.workbooks import save, seed_report
from tests.plans.importing.workbooks import SEED_HEADER, xlsx

MEMORY_LIMIT = 200 * 1024 * 1024


def seed_bytes():
    return save(seed_report()).getvalue()


def peak_memory(read):
    """What `read()` returns and the most memory Python held while it ran."""
    tracemalloc.start()
    try:
        result = read()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


KPI_PROBES = {
    "a merged range to the last cell": with_merged_range("D10:XFD1048576"),
    "a merged range 400,000 rows deep": with_merged_range("D10:Z400000"),
    "one value at the last cell": with_value_at("XFD1048576"),
}


@pytest.mark.parametrize("change", KPI_PROBES.values(), ids=KPI_PROBES.keys())
def test_a_small_kpi_workbook_that_claims_the_whole_sheet_is_read_within_bounds(change):
    data = edit_sheet(seed_bytes(), change)
    assert len(data) < 10_000
    contents, peak = peak_memory(lambda: read_workbook_bytes(data, name="report.xlsx"))
    assert peak < MEMORY_LIMIT
    # What the seed report holds is read as it would be without the crafted part.
    plain = read_workbook_bytes(seed_bytes(), name="report.xlsx")
    assert [(v.indicator, v.month, v.ref) for v in contents.values] == [
        (v.indicator, v.month, v.ref) for v in plain.values
    ]


def test_a_value_past_the_limits_is_reported_and_left_unread():
    data = edit_sheet(seed_bytes(), with_value_at("XFD1048576"))
    contents = read_workbook_bytes(data, name="report.xlsx")
    assert any("only the first 20,000 rows and 400 columns were read" in p.message for p in contents.problems)
    assert any("XFD1048576" in p.message for p in contents.problems)


def test_a_dense_sheet_past_the_cell_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_SECONDS = 3600  # the refusal checked here is the cell limit's, however busy the machine
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", *[f"{month} {year}" for year in range(1990, 2023) for month in ("Jan", "Jul")]])
    for row in range(KPI_LIMITS.max_cells // 60 + 10):
        sheet.append([f"KPI {row}", *range(65)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(WorkbookError) as refused:
        read_workbook_bytes(buffer.getvalue(), name="dense.xlsx")
    assert str(refused.value) == TOO_MANY_CELLS.format(name="dense.xlsx", sheet="Sheet", limit=KPI_LIMITS.max_cells)


def test_a_merged_range_counts_the_cells_it_spreads_to():
    def change(xml):
        return with_merged_range("A1:T1000")(
            xml.replace("</sheetData>", '<row r="1000"><c r="T1000"><v>1</v></c></row></sheetData>')
        )

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Indicator"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = edit_sheet(buffer.getvalue(), change)
    limits = ReadLimits(max_rows=2000, max_columns=50, max_cells=10_000)
    with pytest.raises(WorkbookError, match="more than 10,000 filled cells"):
        read_sheets(data, name="merged.xlsx", limits=limits)


def test_reading_stops_when_the_time_budget_is_spent():
    limits = ReadLimits(max_rows=100, max_columns=20, max_cells=1000)
    with pytest.raises(WorkbookError) as stopped:
        read_sheets(seed_bytes(), name="report.xlsx", limits=limits, budget=Budget(name="report.xlsx", seconds=0))
    assert str(stopped.value) == TOO_SLOW.format(name="report.xlsx", seconds=0)


def test_the_time_budget_is_a_setting(settings):
    settings.IMPORT_MAX_SECONDS = 7
    assert Budget().seconds == 7


def test_a_sheet_part_with_a_document_type_is_refused_as_unsafe():
    def change(xml):
        return xml.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)

    data = edit_sheet(seed_bytes(), change)
    with pytest.raises(WorkbookError, match="could be used to attack the server"):
        read_workbook_bytes(data, name="report.xlsx")


@pytest.mark.parametrize("change", KPI_PROBES.values(), ids=KPI_PROBES.keys())
def test_the_plan_importer_reads_the_same_probes_within_bounds(change):
    rows = [SEED_HEADER, ["Leadership", "1. Appoint a DCS", "Jan 18", "Dec 18", "ADCSC", "Completed"]]
    data = edit_sheet(xlsx(rows), change)
    preview, peak = peak_memory(lambda: read_plan(data, name="plan.xlsx"))
    assert peak < MEMORY_LIMIT
    assert [action.title for action in preview.actions] == ["Appoint a DCS"]
