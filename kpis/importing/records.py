"""What the workbook reader found, each with the cell it came from; the importer writes these."""

from dataclasses import dataclass, field

from .cells import clean_text


@dataclass
class Cell:
    value: object
    number_format: str
    comment: str
    ref: str  # "KPIs!D7"
    merged_from_elsewhere: bool = False

    @property
    def text(self):
        return clean_text(self.value)


@dataclass
class IndicatorRow:
    name: str
    section: str
    ref: str
    details: dict = field(default_factory=dict)  # from an indicator details table: unit, polarity, ...


@dataclass
class ValueCell:
    indicator: str
    month: object
    reading: object
    note: str
    ref: str


@dataclass
class TargetCell:
    indicator: str
    start: object  # None: from the start
    end: object  # None: until further notice
    reading: object
    tolerance: object
    ref: str


@dataclass
class BenchmarkCell:
    indicator: str
    group: str
    is_own: bool
    year: int
    reading: object
    ref: str


@dataclass
class WorkbookContents:
    indicators: list = field(default_factory=list)
    values: list = field(default_factory=list)
    targets: list = field(default_factory=list)  # exact ranges (targets table)
    target_columns: list = field(default_factory=list)  # a wide table's Target column: the months it covers
    benchmarks: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # "Sheet!C4: what is wrong"
    tables: int = 0
