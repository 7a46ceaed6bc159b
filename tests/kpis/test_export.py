"""Exports: the JSON shape other tools read, and a workbook that imports back exactly as it was."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kpis.exporting import kpis_as_json, kpis_as_workbook
from kpis.importing import kpis_import
from kpis.models import ComparatorGroup, Indicator, Section, Value
from kpis.rules import Basis, Polarity, Unit

from .factories import (
    BenchmarkFactory,
    ComparatorGroupFactory,
    IndicatorFactory,
    SectionFactory,
    TargetFactory,
    ValueFactory,
)
from .workbooks import save, seed_report

D = Decimal
M = dt.date


@pytest.fixture
def kpis(db):
    mash = SectionFactory(name="MASH", position=1)
    child_protection = SectionFactory(name="Child Protection", position=2)
    referrals = IndicatorFactory(
        section=mash,
        name="% Re-referrals (In the last 12 months)",
        code="re-referrals",
        unit=Unit.PERCENT,
        decimal_places=0,
        polarity=Polarity.LOWER,
        basis=Basis.ROLLING_12,
        definition="Referrals within 12 months of a previous one.",
        source="LCS",
        owner="Head of MASH",
    )
    contacts = IndicatorFactory(
        section=mash, name="No. of Contacts received in MASH", unit=Unit.COUNT, decimal_places=0,
        polarity=Polarity.NEITHER,
    )  # fmt: skip
    visits = IndicatorFactory(
        section=child_protection, name="=% of children visited within 10 working days", decimal_places=1
    )
    for month, value in zip([M(2018, 7, 1), M(2018, 8, 1), M(2018, 9, 1)], [15, 16, 17], strict=True):
        ValueFactory(indicator=referrals, period=month, value=D(value))
    ValueFactory(indicator=referrals, period=M(2018, 10, 1), value=None, missing_reason="Data under review",
                 note="System change")  # fmt: skip
    ValueFactory(indicator=contacts, period=M(2018, 7, 1), value=D(1786), note="Includes the new police portal")
    ValueFactory(indicator=visits, period=M(2018, 9, 1), value=D("87.25"))
    TargetFactory(indicator=referrals, period_end=M(2018, 8, 1), value=D(18), amber_tolerance=D(2))
    TargetFactory(indicator=referrals, period_start=M(2018, 9, 1), value=D(15), amber_tolerance=D("1.5"))
    TargetFactory(indicator=contacts, value=None, text="No Target", amber_tolerance=D(0))
    own = ComparatorGroupFactory(name="Lewisham", is_own=True, position=1)
    england = ComparatorGroupFactory(name="England", position=2)
    BenchmarkFactory(indicator=referrals, group=own, year=2018, value=D(15))
    BenchmarkFactory(indicator=referrals, group=england, year=2017, value=D(22))
    BenchmarkFactory(indicator=referrals, group=england, year=2016, value=D("21.5"))


def test_the_json_shape(kpis):
    data = kpis_as_json()
    referrals = data["indicators"][0]
    assert referrals["name"] == "% Re-referrals (In the last 12 months)"
    assert {key: referrals[key] for key in ("section", "unit", "polarity", "target", "target_text")} == {
        "section": "MASH",
        "unit": "percent",
        "polarity": "lower",
        "target": 15,
        "target_text": "",
    }
    assert referrals["values"][0] == {"period": "2018-07", "value": 15, "missing_reason": "", "note": ""}
    assert referrals["values"][3] == {
        "period": "2018-10",
        "value": None,
        "missing_reason": "Data under review",
        "note": "System change",
    }
    assert referrals["benchmarks"] == [
        {"group": "Lewisham", "own": True, "year": 2018, "value": 15},
        {"group": "England", "own": False, "year": 2016, "value": 21.5},
        {"group": "England", "own": False, "year": 2017, "value": 22},
    ]
    assert data["indicators"][1]["target"] is None and data["indicators"][1]["target_text"] == "No Target"
    json.dumps(data)


def test_the_workbook_imports_back_unchanged(kpis):
    before = kpis_as_json()
    workbook = save(kpis_as_workbook())

    again = kpis_import(file=workbook)
    assert not again.changed, again.summary_lines()
    assert again.warnings == []

    Value.objects.all().delete()
    Indicator.objects.all().delete()
    Section.objects.all().delete()
    ComparatorGroup.objects.all().delete()
    workbook.seek(0)
    kpis_import(file=workbook)
    assert kpis_as_json() == before


def test_export_neutralises_formulas(kpis):
    sheet = kpis_as_workbook()["KPIs"]
    names = [row[0].value for row in sheet.iter_rows()]
    assert "'=% of children visited within 10 working days" in names


def test_import_kpis_command_prints_counts_and_warnings(db, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(save(seed_report()).getvalue())
    out = io.StringIO()
    call_command("import_kpis", str(path), "--dry-run", stdout=out)
    assert "Dry run: nothing was written" in out.getvalue()
    assert "Created: 2 sections, 8 indicators, 33 values, 6 targets" in out.getvalue()
    assert 'Warning: KPIs!D13: "abc" is not a number' in out.getvalue()
    assert not Indicator.objects.exists()

    call_command("import_kpis", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_kpis", str(path), stdout=out)
    assert "Created: nothing" in out.getvalue() and "Updated: nothing" in out.getvalue()


@pytest.mark.parametrize("content", [b"not a workbook", None])
def test_import_kpis_command_fails_on_a_file_it_cannot_import(db, tmp_path, content):
    path = tmp_path / "report.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match="report.xlsx"):
        call_command("import_kpis", str(path))
    assert not Indicator.objects.exists()


def test_export_kpis_command_writes_json_and_xlsx(kpis, tmp_path):
    out = io.StringIO()
    call_command("export_kpis", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == kpis_as_json()
    path = tmp_path / "kpis.xlsx"
    call_command("export_kpis", "--format", "xlsx", "-o", str(path), stderr=io.StringIO())
    assert not kpis_import(file=path.open("rb")).changed
