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
    measured_by: str = ""
    row: int = 0


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
    actions: list[ImportedAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    legend_sponsors: dict[str, str] = field(default_factory=dict)  # abbreviation -> role, from a legend above the table
    rows_read: int = 0

    @cached_property
    def fields(self) -> dict[str, int]:
        """{field: column index} of the columns read (the mapping is chosen before the preview is made)."""
        return self.mapping.fields

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
