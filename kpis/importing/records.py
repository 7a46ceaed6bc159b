"""What the workbook reader found, each with the cell it came from; the importer writes these."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from common.spreadsheets import Problem

from .cells import Reading


@dataclass
class IndicatorRow:
    name: str
    section: str
    ref: str  # "KPIs!B7"
    # From an indicator details table: {"unit": (text, ref), "decimal_places": (raw value, ref), ...}
    details: dict[str, tuple[object, str]] = field(default_factory=dict)


@dataclass
class ValueCell:
    indicator: str
    month: dt.date
    reading: Reading
    note: str
    ref: str


@dataclass
class TargetCell:
    indicator: str
    start: dt.date | None  # None: from the start
    end: dt.date | None  # None: until further notice
    reading: Reading
    tolerance: Decimal | None
    ref: str


@dataclass
class BenchmarkCell:
    indicator: str
    group: str
    is_own: bool
    year: int
    reading: Reading
    ref: str


@dataclass
class WorkbookContents:
    indicators: list[IndicatorRow] = field(default_factory=list)
    values: list[ValueCell] = field(default_factory=list)
    targets: list[TargetCell] = field(default_factory=list)  # exact ranges (targets table)
    target_columns: list[TargetCell] = field(default_factory=list)  # a wide table's Target column: months covered
    benchmarks: list[BenchmarkCell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tables: int = 0
