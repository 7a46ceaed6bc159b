"""The risk import: a register read from a workbook with the common toolkit, previewed, then written all at once.

Each row is a risk; its columns are found by their headings. Problems are reported by sheet and cell: a row
that cannot be read is left out (an error), a cell that can be left alone is reported (a warning). Risks are
matched by reference, or by title when the file has no reference column, so importing a file twice changes
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from common.spreadsheets import ERROR, Cell, Problem, SheetCells, WorkbookError, read_sheets
from common.spreadsheets.uploads import PREVIEW_EXPIRED, UploadGone, checksum, upload_applied, upload_keep, upload_take

from ..importing.dates import parse_plan_date
from ..models import Action, Plan, Risk, RiskImport, RiskStatus
from .register import IMPACT_WORDS, LIKELIHOOD_WORDS
from .services import risk_assess, risk_create, risk_details_update, risk_mitigations_set

MAX_ROWS, MAX_COLUMNS, HEADER_ROWS = 2000, 40, 20

NO_HEADER = (
    "no sheet has a heading row naming the risk, its likelihood and its impact "
    '(for example "Risk", "Likelihood", "Impact")'
)
NO_TITLE = "the risk has no title; the row was left out"
NOT_ONE_TO_FIVE = '{what} "{text}" is not a whole number from 1 to 5 (or a word such as {words}); the row was left out'
SAME_REF_TWICE = "risk {ref} appears twice in the file (first in row {first}); this row was left out"
SCORE_DIFFERS = "the score {written} is not likelihood × impact ({likelihood} × {impact} = {score}); {score} is used"
UNKNOWN_STATUS = 'status "{text}" is not Open, Tolerated or Closed; the risk is imported as Open'
BAD_REVIEW_DATE = "the review date could not be read ({problem}); it was left empty"
UNKNOWN_ACTION = "no action {ref} in this plan: the risk is imported without it"
BAD_TARGET = 'target score "{text}" is not a whole number from 1 to 25; it was left empty'

# Headings as registers write them, lower case; the first heading matched for a field wins.
HEADINGS = {
    "ref": ("ref", "risk ref", "reference", "risk id", "id", "risk no", "risk no.", "no", "no."),
    "title": ("risk", "title", "risk title", "risk description"),
    "description": ("description", "details"),
    "cause": ("cause", "causes"),
    "effect": ("effect", "effects", "consequence", "consequences", "impact description"),
    "owner": ("owner", "risk owner", "lead"),
    "likelihood": ("likelihood", "probability", "l"),
    "impact": ("impact", "severity", "i"),
    "score": ("score", "risk score", "rating", "current score"),
    "target_score": ("target score", "target", "target rating", "target risk score"),
    "status": ("status",),
    "review_date": ("review date", "next review", "review", "review by"),
    "actions": ("actions", "mitigating actions", "mitigations", "mitigated by", "action refs"),
}
STATUS_WORDS = {"open": RiskStatus.OPEN, "live": RiskStatus.OPEN, "active": RiskStatus.OPEN,
                "tolerated": RiskStatus.TOLERATED, "tolerate": RiskStatus.TOLERATED, "accepted": RiskStatus.TOLERATED,
                "closed": RiskStatus.CLOSED, "close": RiskStatus.CLOSED}  # fmt: skip


FILLER = {"action", "actions", "and", "&"}


class RiskFileError(Exception):
    """The file as a whole cannot be imported; the message says why in the admin's words."""


@dataclass
class RiskRow:
    """One risk as the file gives it, already checked; `source` is the row's place for the score history."""

    row: int
    source: str
    ref: str
    title: str
    likelihood: int
    impact: int
    status: str
    details: dict
    action_refs: list[str]
    actions_cell: str = ""


@dataclass
class RiskImportResult:
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    record: RiskImport | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == ERROR]

    def summary_lines(self) -> list[str]:
        return [
            f"Created: {len(self.created)} risk(s){': ' + ', '.join(self.created) if self.created else ''}",
            f"Updated: {len(self.updated)} risk(s){': ' + ', '.join(self.updated) if self.updated else ''}",
            f"Unchanged: {len(self.unchanged)} risk(s)",
            f"Left out: {len(self.errors)} row(s) with a problem",
        ]


def _norm(value: object) -> str:
    return " ".join(str(value or "").split()).casefold()


def _columns(rows: list[list[Cell]]) -> tuple[int, dict[str, int]] | None:
    """(heading row index, {field: column index}) of the first row naming a risk, its likelihood and impact."""
    for index, cells in enumerate(rows[:HEADER_ROWS]):
        found: dict[str, int] = {}
        for column, cell in enumerate(cells):
            heading = _norm(cell.value).rstrip(":*")
            for name, headings in HEADINGS.items():
                if heading in headings and name not in found:
                    found[name] = column
                    break
        if {"title", "likelihood", "impact"} <= found.keys():
            return index, found
    return None


def _one_to_five(cell: Cell | None, what: str, words: dict[int, str], problems: list[Problem]) -> int | None:
    value = cell.value if cell else None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value == int(value):
        number = int(value)
    else:
        text = _norm(value)
        by_word = {word.casefold(): number for number, word in words.items()}
        number = int(text) if text.isdigit() else by_word.get(text)
    if number is None or not 1 <= number <= 5:
        where = cell.ref if cell else ""
        examples = f'"{words[4]}"'
        problems.append(
            Problem.at(
                where, NOT_ONE_TO_FIVE.format(what=what, text=cell.text if cell else "", words=examples), level=ERROR
            )
        )
        return None
    return number


def read_risks(sheets: list[SheetCells]) -> tuple[list[RiskRow], list[Problem]]:
    """The risks of the first sheet with a register's headings, and every problem by cell."""
    problems: list[Problem] = [problem for sheet in sheets for problem in sheet.problems]
    for sheet in sheets:
        found = _columns(sheet.rows)
        if found:
            break
    else:
        raise RiskFileError(NO_HEADER)
    header, columns = found
    risks: list[RiskRow] = []
    first_row_of: dict[str, int] = {}
    for cells in sheet.rows[header + 1 :]:

        def cell(name: str, cells: list[Cell] = cells) -> Cell | None:
            column = columns.get(name)
            return cells[column] if column is not None and column < len(cells) else None

        def text(name: str) -> str:
            found = cell(name)
            return found.text if found else ""

        if not any(c.value not in (None, "") for c in cells):
            continue
        row_number = int(re.sub(r"\D", "", cells[0].coordinate))
        title = text("title")
        if not title:
            problems.append(Problem(ERROR, sheet.title, f"{cells[0].coordinate}", NO_TITLE))
            continue
        likelihood = _one_to_five(cell("likelihood"), "likelihood", LIKELIHOOD_WORDS, problems)
        impact = _one_to_five(cell("impact"), "impact", IMPACT_WORDS, problems)
        if likelihood is None or impact is None:
            continue
        ref = text("ref")
        key = ref.casefold() or title.casefold()
        if key in first_row_of:
            where = cell("ref") or cell("title")
            problems.append(
                Problem.at(where.ref, SAME_REF_TWICE.format(ref=ref or title, first=first_row_of[key]), level=ERROR)
            )
            continue
        first_row_of[key] = row_number
        score_cell = cell("score")
        if score_cell and score_cell.text and score_cell.text != str(likelihood * impact):
            message = SCORE_DIFFERS.format(
                written=score_cell.text, likelihood=likelihood, impact=impact, score=likelihood * impact
            )
            problems.append(Problem.at(score_cell.ref, message))
        status = RiskStatus.OPEN
        if text("status"):
            status = STATUS_WORDS.get(_norm(text("status")))
            if status is None:
                problems.append(Problem.at(cell("status").ref, UNKNOWN_STATUS.format(text=text("status"))))
                status = RiskStatus.OPEN
        review_date = None
        if (review := cell("review_date")) and review.value not in (None, ""):
            parsed = parse_plan_date(review.value)
            if parsed.date:
                review_date = parsed.date
            else:
                problems.append(Problem.at(review.ref, BAD_REVIEW_DATE.format(problem=parsed.problem or parsed.text)))
        target_score = None
        if text("target_score"):
            raw = text("target_score")
            if raw.isdigit() and 1 <= int(raw) <= 25:
                target_score = int(raw)
            else:
                problems.append(Problem.at(cell("target_score").ref, BAD_TARGET.format(text=raw)))
        risks.append(
            RiskRow(
                row=row_number,
                source=f"{sheet.title}!{row_number}",
                ref=ref[:20],
                title=title[:300],
                likelihood=likelihood,
                impact=impact,
                status=status,
                details={
                    "description": text("description"),
                    "cause": text("cause"),
                    "effect": text("effect"),
                    "owner": text("owner")[:200],
                    "target_score": target_score,
                    "review_date": review_date,
                },
                action_refs=[ref for ref in re.split(r"[,;/\s]+", text("actions")) if ref and _norm(ref) not in FILLER],
                actions_cell=cell("actions").ref if cell("actions") else "",
            )  # fmt: skip
        )
    return risks, problems


def _risk_key(risk: Risk | RiskRow) -> str:
    return risk.ref.casefold() if risk.ref else risk.title.casefold()


def _next_ref(taken: set[str]) -> str:
    number = 1
    while f"r{number}" in taken:
        number += 1
    taken.add(f"r{number}")
    return f"R{number}"


def risks_import_bytes(
    *,
    content: bytes,
    name: str,
    plan: Plan,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    record: RiskImport | None = None,
    at: dt.datetime | None = None,
) -> RiskImportResult:
    """Import the register in `content` into `plan`, all or nothing; a dry run reports the same and writes nothing.

    Raises RiskFileError when the file as a whole cannot be read.
    """
    try:
        sheets = read_sheets(content, name=name, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except WorkbookError as error:
        raise RiskFileError(str(error)) from error
    rows, problems = read_risks(sheets)
    result = RiskImportResult(dry_run=dry_run, problems=problems)
    with transaction.atomic():
        _apply(rows, plan=plan, result=result, user=user, name=name, at=at or timezone.now(), write=not dry_run)
        if not dry_run:
            record = record or RiskImport(
                file_name=name[:255], checksum=checksum(content), size=len(content), created_by=user
            )
            upload_applied(record)
            record.plan = plan
            record.created_count, record.updated_count = len(result.created), len(result.updated)
            record.unchanged_count, record.problem_count = len(result.unchanged), len(result.problems)
            record.save()
            result.record = record
    return result


def _apply(rows: list[RiskRow], *, plan: Plan, result: RiskImportResult, user, name: str, at, write: bool) -> None:
    existing = {_risk_key(risk): risk for risk in plan.risks.prefetch_related("mitigations")}
    by_title = {risk.title.casefold(): risk for risk in existing.values()}
    actions = {action.ref.casefold(): action for action in Action.objects.filter(plan=plan)}
    taken = {risk.ref.casefold() for risk in existing.values()}
    position = max((risk.position for risk in existing.values()), default=0)
    for row in rows:
        mitigations = []
        for ref in row.action_refs:
            action = actions.get(ref.casefold())
            if action is None:
                result.problems.append(Problem.at(row.actions_cell, UNKNOWN_ACTION.format(ref=ref)))
            elif action not in mitigations:
                mitigations.append(action)
        risk = existing.get(_risk_key(row)) if row.ref else by_title.get(row.title.casefold())
        source = f"{name}, {row.source}"
        if risk is None:
            ref = row.ref or _next_ref(taken)
            taken.add(ref.casefold())
            position += 1
            result.created.append(ref)
            if write:
                risk_create(plan=plan, ref=ref, title=row.title, likelihood=row.likelihood, impact=row.impact,
                            status=row.status, author=user, at=at, source=source, mitigations=mitigations,
                            note="Imported.", position=position, **row.details)  # fmt: skip
            continue
        details = row.details | {"title": row.title}
        changed = (
            any(getattr(risk, field) != value for field, value in details.items())
            or (risk.likelihood, risk.impact, risk.status) != (row.likelihood, row.impact, row.status)
            or {action.pk for action in mitigations} != {action.pk for action in risk.mitigations.all()}
        )
        (result.updated if changed else result.unchanged).append(risk.ref)
        if write and changed:
            risk_details_update(risk=risk, **details)
            risk_assess(risk=risk, likelihood=row.likelihood, impact=row.impact, status=row.status, author=user,
                        at=at, note="Imported.", source=source)  # fmt: skip
            risk_mitigations_set(risk=risk, actions=mitigations)


def risks_upload_preview(
    *, plan: Plan, name: str, content: bytes, user: AbstractBaseUser
) -> tuple[RiskImportResult, RiskImport | None]:
    """What importing `content` would do, writing nothing; the file is kept to confirm when it changes anything."""
    result = risks_import_bytes(content=content, name=name, plan=plan, dry_run=True, user=user)
    record = upload_keep(RiskImport, name=name, content=content, user=user, plan=plan) if result.changed else None
    return result, record


@transaction.atomic
def risks_upload_import(*, token: str, user: AbstractBaseUser) -> RiskImportResult:
    """Import the kept upload `token` of `user`: the very bytes the preview read, once (UploadGone otherwise)."""
    record = upload_take(RiskImport, token=token, user=user)
    if record.plan is None:  # the plan was deleted after the preview
        raise UploadGone(PREVIEW_EXPIRED)
    return risks_import_bytes(content=bytes(record.content), name=record.file_name, plan=record.plan, user=user,
                              record=record)  # fmt: skip
