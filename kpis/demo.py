"""The KPI demo: the indicators, five months of figures, targets and benchmarks of the seed performance report."""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from plans.models import Area

from .models import Benchmark, ComparatorGroup, Indicator, Section, Target, Value
from .rules import add_months

SEED_KPIS = Path(settings.BASE_DIR) / "fixtures" / "kpi_demo.json"


@dataclass
class KpiDemoResult:
    loaded: bool
    indicators: int
    years_shifted: int
    months: list


def load_seed():
    return json.loads(SEED_KPIS.read_text(encoding="utf-8"))


def years_to_make_recent(last_month, today):
    """The whole number of years that brings the seed's last month to this month or the months just before it."""
    years = today.year - last_month.year
    if last_month.month > today.month:
        years -= 1
    return years


def _number(value):
    return None if value is None else Decimal(str(value))


@transaction.atomic
def kpi_demo_load(*, current=False, reset=False, today=None):
    """Load the seed report's KPIs. Running it again changes nothing unless `reset` is given."""
    today = today or timezone.localdate()
    seed = load_seed()
    names = [indicator["name"] for section in seed["sections"] for indicator in section["indicators"]]
    months = [dt.date.fromisoformat(f"{month}-01") for month in seed["months"]]
    years = years_to_make_recent(months[-1], today) if current else 0
    existing = Indicator.objects.filter(name__in=names)
    if existing.exists() and not reset:
        return KpiDemoResult(loaded=False, indicators=existing.count(), years_shifted=0, months=[])
    existing.delete()
    months = [add_months(month, 12 * years) for month in months]
    groups = {}
    for position, entry in enumerate(seed["benchmark_groups"], start=1):
        group, _ = ComparatorGroup.objects.update_or_create(
            name=entry["name"], defaults={"is_own": entry["own"], "position": position}
        )
        groups[entry["name"]] = (group, entry["year"] + years)
    indicator_position = 0
    for section_position, section_seed in enumerate(seed["sections"], start=1):
        section, _ = Section.objects.update_or_create(
            name=section_seed["name"], defaults={"position": section_position}
        )
        areas = list(Area.objects.filter(title=section_seed["plan_area"], plan__status="active"))
        for entry in section_seed["indicators"]:
            indicator_position += 1
            indicator = Indicator.objects.create(
                section=section,
                name=entry["name"],
                unit=entry["unit"],
                decimal_places=entry["decimal_places"],
                polarity=entry["polarity"],
                basis=entry["basis"],
                definition=entry.get("definition", ""),
                source="Children's social care case management system (LCS)",
                owner="Performance and Quality Assurance team",
                position=indicator_position,
            )
            indicator.areas.set(areas)
            if "target" in entry or "target_text" in entry:
                Target.objects.create(
                    indicator=indicator,
                    value=_number(entry.get("target")),
                    amber_tolerance=_number(entry.get("amber_tolerance", 0)),
                    text=entry.get("target_text", ""),
                )
            Value.objects.bulk_create(
                Value(
                    indicator=indicator,
                    period=month,
                    value=_number(raw) if not isinstance(raw, str) else None,
                    missing_reason=raw if isinstance(raw, str) else "",
                )
                for month, raw in zip(months, entry["values"], strict=True)
                if raw is not None
            )
            for group_name, value in entry.get("benchmarks", {}).items():
                group, year = groups[group_name]
                Benchmark.objects.create(indicator=indicator, group=group, year=year, value=_number(value))
    return KpiDemoResult(loaded=True, indicators=len(names), years_shifted=years, months=months)
