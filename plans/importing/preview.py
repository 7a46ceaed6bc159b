"""What the reader makes of a plan's workbook: its areas, actions and milestones, and the problems found."""

from dataclasses import dataclass, field
from functools import cached_property

from openpyxl.utils import get_column_letter

from common.spreadsheets import ERROR, WARNING, Problem
from common.spreadsheets.cells import CellValue

from ..rag import RAG, Cadence
from .columns import ColumnMapping
from .dates import PlanDate
from .values import ImportedStatus

# Field lengths of the models the preview is written to.
LIMITS = {
    "title": 500,
    "ref": 20,
    "date_text": 200,
    "sponsor_text": 300,
    "status_text": 100,
    "lead": 200,
    "area": 300,
    "area_number": 20,
}


def _no_date() -> PlanDate:
    return PlanDate(text="")


@dataclass
class ImportedArea:
    title: str
    number: str = ""
    theme: str = ""
    outcome: str = ""
    objectives: str = ""
    measured_by: str = ""
    row: int = 0


@dataclass
class ImportedTheme:
    title: str
    outcome: str = ""
    measures_of_success: str = ""
    row: int = 0


# What became of a row of the file (PlanPreview.account): every row with anything in it is one of these.
IMPORTED = "imported"  # an action
PART_OF_ACTION = "part of an action"  # its text running on, or a milestone on a row of its own
HEADING = "heading"  # a header row, an area's or theme's heading, a title or legend above the table
MERGED = "merged"  # into an area's or theme's outcome, objectives or measures
SKIPPED = "skipped"
ROW_KINDS = {IMPORTED: "actions", PART_OF_ACTION: "parts of actions (text running on, milestones)",
             HEADING: "headers, headings, titles and legends", MERGED: "merged into an area's or theme's fields",
             SKIPPED: "not imported"}  # fmt: skip


@dataclass
class RowFate:
    sheet: str
    row: int
    kind: str  # one of ROW_KINDS
    note: str  # what it became, or why it was not imported


@dataclass
class ImportedMilestone:
    title: str
    target: PlanDate = field(default_factory=_no_date)


@dataclass
class ImportedAction:
    row: int
    area: str
    theme: str = ""
    ref: str = ""
    ref_given: bool = True  # False when the importer numbered it: matched again by area and title
    text_lines: list[str] = field(default_factory=list)
    milestone_lines: list[str] = field(default_factory=list)
    start: PlanDate = field(default_factory=_no_date)
    target: PlanDate = field(default_factory=_no_date)
    target_lines: list[tuple[CellValue, int]] = field(default_factory=list)  # (target cell's value, row)
    cadence: str = ""  # a plans.rag.Cadence value when the target cell says "Ongoing", "Monthly", ...
    # (text, target cell's value, row) of milestones written on rows of their own.
    milestone_rows: list[tuple[str, CellValue, int]] = field(default_factory=list)
    sponsor_text: str = ""
    sponsor_names: list[str] = field(default_factory=list)
    lead: str = ""
    status: ImportedStatus | None = None  # None when the plan gives none
    status_text: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # field -> "C14"
    title: str = ""
    description: str = ""
    sub_items: list[dict[str, str]] = field(default_factory=list)  # {"letter": "a", "text": ...}
    milestones: list[ImportedMilestone] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return self.status.label if self.status else "Not started"

    @property
    def reported_rag(self) -> RAG | None:
        """The colour the file reported for the action, or None."""
        return RAG(self.status.reported_rag) if self.status and self.status.reported_rag else None

    @property
    def cadence_label(self) -> str:
        return Cadence(self.cadence).label if self.cadence else ""

    @property
    def importable(self) -> bool:
        return not any(problem.level == ERROR for problem in self.problems)


@dataclass
class PlanPreview:
    file_name: str
    sheet: str
    sheet_names: list[str]
    mapping: ColumnMapping
    areas: dict[str, ImportedArea] = field(default_factory=dict)  # by title, in the plan's order
    themes: dict[str, ImportedTheme] = field(default_factory=dict)  # by title, in the plan's order
    fates: dict[tuple[str, int], RowFate] = field(default_factory=dict)  # (sheet, row) -> what became of it
    actions: list[ImportedAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    legend_sponsors: dict[str, str] = field(default_factory=dict)  # abbreviation -> role, from a legend above the table
    rows_read: int = 0

    @cached_property
    def fields(self) -> dict[str, int]:
        """{field: column index} of the columns read (the mapping is chosen before the preview is made)."""
        return self.mapping.fields

    def account(self, row: int, kind: str, note: str, *, sheet: str = "") -> None:
        """Say what became of a row; the last word on a row wins (an action found unimportable, say)."""
        sheet = sheet or self.sheet
        self.fates[(sheet, row)] = RowFate(sheet=sheet, row=row, kind=kind, note=note)

    @property
    def row_counts(self) -> dict[str, int]:
        """{kind: rows}, every kind listed; they add up to `rows_accounted`."""
        counts = dict.fromkeys(ROW_KINDS, 0)
        for fate in self.fates.values():
            counts[fate.kind] += 1
        return counts

    @property
    def rows_accounted(self) -> int:
        return len(self.fates)

    @property
    def row_summary(self) -> str:
        """ "14 rows with content: 2 actions, 1 part of actions, ..., 0 not imported" (blank rows not counted)."""
        counts = self.row_counts
        parts = ", ".join(f"{counts[kind]} {label}" for kind, label in ROW_KINDS.items())
        return f"{self.rows_accounted} rows with content: {parts}"

    @property
    def rows_skipped(self) -> list[RowFate]:
        return [fate for fate in self.sorted_fates if fate.kind == SKIPPED]

    @property
    def rows_not_actions(self) -> list[RowFate]:
        """The rows that are neither an action nor part of one, in the file's order: what the admin checks."""
        return [fate for fate in self.sorted_fates if fate.kind not in (IMPORTED, PART_OF_ACTION)]

    @property
    def sorted_fates(self) -> list[RowFate]:
        order = {name: index for index, name in enumerate([self.sheet, *self.sheet_names])}
        return sorted(self.fates.values(), key=lambda fate: (order.get(fate.sheet, 0) != 0, fate.sheet, fate.row))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == WARNING]

    def add_problem(
        self, level: str, row: int | None, column_field: str, message: str, action: ImportedAction | None = None
    ) -> Problem:
        """The problem in `row` of the column read as `column_field`, listed for the plan and for `action`."""
        cell = ""
        if row:
            index = self.fields.get(column_field)
            cell = f"{get_column_letter(index + 1)}{row}" if index is not None else f"row {row}"
        problem = Problem(level=level, sheet=self.sheet, cell=cell, message=message)
        self.problems.append(problem)
        if action is not None:
            action.problems.append(problem)
        return problem
