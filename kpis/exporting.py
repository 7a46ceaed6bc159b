"""Exporting every indicator as JSON, or as a workbook in the wide layout that import_kpis reads back unchanged."""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.exporting import neutralise

from .importing.workbook import OWN_MARKER
from .models import Indicator
from .rules import Unit, months_between


def _number(value):
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _month_text(month):
    return f"{month:%Y-%m}" if month else None


def kpis_as_json():
    """Every indicator with its targets, values and benchmarks; `target` is the one in force in the latest month."""
    indicators = []
    for indicator in Indicator.objects.with_everything():
        values = list(indicator.values.all())
        latest = values[-1].period if values else None
        current = indicator.target_for(latest) if latest else None
        if current is None and indicator.targets.all():
            current = list(indicator.targets.all())[-1]
        indicators.append(
            {
                "name": indicator.name,
                "code": indicator.code,
                "section": indicator.section.name,
                "unit": indicator.unit,
                "decimal_places": indicator.decimal_places,
                "polarity": indicator.polarity,
                "basis": indicator.basis,
                "definition": indicator.definition,
                "source": indicator.source,
                "owner": indicator.owner,
                "target": _number(current.value) if current else None,
                "target_text": current.text if current else "",
                "targets": [
                    {
                        "from": _month_text(target.period_start),
                        "to": _month_text(target.period_end),
                        "value": _number(target.value),
                        "amber_tolerance": _number(target.amber_tolerance),
                        "text": target.text,
                    }
                    for target in indicator.targets.all()
                ],
                "values": [
                    {
                        "period": _month_text(value.period),
                        "value": _number(value.value),
                        "missing_reason": value.missing_reason,
                        "note": value.note,
                    }
                    for value in values
                ],
                "benchmarks": [
                    {"group": b.group.name, "own": b.group.is_own, "year": b.year, "value": _number(b.value)}
                    for b in sorted(indicator.benchmarks.all(), key=lambda b: (b.group.position, b.group.name, b.year))
                ],
            }
        )
    return {"indicators": indicators}


BOLD = Font(bold=True)


def _text(value):
    return neutralise(value) if isinstance(value, str) else value


def kpis_as_workbook():
    """Sheets: Indicators (details), KPIs (wide, a table per section), Targets (every step), Benchmarks."""
    indicators = list(Indicator.objects.with_everything())
    workbook = Workbook()
    _details_sheet(workbook.active, indicators)
    _wide_sheet(workbook.create_sheet("KPIs"), indicators)
    _targets_sheet(workbook.create_sheet("Targets"), indicators)
    _benchmarks_sheet(workbook.create_sheet("Benchmarks"), indicators)
    return workbook


def _header(sheet, row, labels):
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row, column, _text(label) if isinstance(label, str) else label)
        cell.font = BOLD


def _details_sheet(sheet, indicators):
    sheet.title = "Indicators"
    labels = ["Indicator", "Code", "Section", "Unit", "Polarity", "Basis", "Decimal places", "Definition", "Source",
              "Owner"]  # fmt: skip
    _header(sheet, 1, labels)
    for row, i in enumerate(indicators, start=2):
        cells = [i.name, i.code, i.section.name, i.get_unit_display(), i.get_polarity_display(), i.get_basis_display(),
                 i.decimal_places, i.definition, i.source, i.owner]  # fmt: skip
        for column, value in enumerate(cells, start=1):
            sheet.cell(row, column, _text(value))
    sheet.column_dimensions["A"].width = 60


def _number_format(indicator):
    """As the report shows it; a percentage held in points gets a literal % sign, which does not scale it."""
    number = "#,##0" + ("." + "0" * indicator.decimal_places if indicator.decimal_places else "")
    return number + '"%"' if indicator.unit == Unit.PERCENT else number


def _wide_sheet(sheet, indicators):
    periods = [value.period for indicator in indicators for value in indicator.values.all()]
    months = months_between(min(periods), max(periods)) if periods else []
    row = 1
    by_section = {}
    for indicator in indicators:
        by_section.setdefault(indicator.section, []).append(indicator)
    for section, section_indicators in by_section.items():
        sheet.cell(row, 1, _text(section.name)).font = Font(bold=True, size=13)
        row += 1
        _header(sheet, row, ["Indicator"])
        for column, month in enumerate(months, start=2):
            cell = sheet.cell(row, column, month)
            cell.number_format = "mmm yy"
            cell.font = BOLD
        sheet.cell(row, len(months) + 2, "Target").font = BOLD
        row += 1
        for indicator in section_indicators:
            sheet.cell(row, 1, _text(indicator.name))
            for column, month in enumerate(months, start=2):
                value = indicator.value_for(month)
                if value is None:
                    continue
                cell = sheet.cell(row, column, float(value.value) if value.value is not None else value.missing_reason)
                cell.number_format = _number_format(indicator)
                if value.note:
                    cell.comment = Comment(value.note, "Tracker")
            # The Target column holds a target only when one target covers every month shown; steps go on Targets.
            in_force = {indicator.target_for(month) for month in months}
            if len(in_force) == 1 and None not in in_force:
                target = in_force.pop()
                sheet.cell(row, len(months) + 2, float(target.value) if target.value is not None else target.text)
            row += 1
        row += 1
    sheet.column_dimensions["A"].width = 60
    for column in range(2, len(months) + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 9


def _targets_sheet(sheet, indicators):
    _header(sheet, 1, ["Indicator", "From", "To", "Target", "Amber tolerance"])
    row = 2
    for indicator in indicators:
        for target in indicator.targets.all():
            sheet.cell(row, 1, _text(indicator.name))
            for column, month in ((2, target.period_start), (3, target.period_end)):
                if month:
                    sheet.cell(row, column, month).number_format = "mmm yy"
            sheet.cell(row, 4, float(target.value) if target.value is not None else target.text)
            sheet.cell(row, 5, float(target.amber_tolerance))
            row += 1
    sheet.column_dimensions["A"].width = 60


def _benchmarks_sheet(sheet, indicators):
    columns = sorted(
        {(b.group, b.year) for indicator in indicators for b in indicator.benchmarks.all()},
        key=lambda pair: (pair[0].position, pair[0].name, pair[1]),
    )
    if not columns:
        return
    labels = ["Indicator"]
    for group, year in columns:
        labels.append(f"{group.name} {OWN_MARKER} {year}" if group.is_own else f"{group.name} {year}")
    _header(sheet, 1, labels)
    row = 2
    for indicator in indicators:
        benchmarks = {(b.group, b.year): b for b in indicator.benchmarks.all()}
        if not benchmarks:
            continue
        sheet.cell(row, 1, _text(indicator.name))
        for column, key in enumerate(columns, start=2):
            if key in benchmarks:
                sheet.cell(row, column, float(benchmarks[key].value))
        row += 1
    sheet.column_dimensions["A"].width = 60
