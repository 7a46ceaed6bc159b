"""What an import did or would do: counts by kind, the problems by cell, notices, and its record."""

from collections import Counter
from dataclasses import dataclass, field

from common.spreadsheets import Problem

from ..models import KpiImport

KINDS = ["sections", "indicators", "values", "targets", "comparator groups", "benchmarks"]


@dataclass
class ImportResult:
    dry_run: bool
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Names read as another: a benchmark row as an indicator, a comparator group as one already known.
    matches: list[str] = field(default_factory=list)
    record: KpiImport | None = None  # None for a dry run

    @property
    def warnings(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    @property
    def skipped(self) -> int:
        return len(self.problems)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary_lines(self) -> list[str]:
        lines = []
        for title, counts in (("Created", self.created), ("Updated", self.updated), ("Unchanged", self.unchanged)):
            parts = [f"{counts[kind]} {kind}" for kind in KINDS if counts[kind]]
            lines.append(f"{title}: {', '.join(parts) if parts else 'nothing'}")
        lines.append(f"Skipped: {self.skipped} cell(s) with a problem")
        return lines
