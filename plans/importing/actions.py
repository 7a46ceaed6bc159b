"""Finishes the actions once every row is read: text and sub-items, targets and milestones, dates and references."""

import datetime as dt
import functools
import re
import statistics
from collections.abc import Iterable, Iterator

from openpyxl.utils.datetime import from_excel

from common.spreadsheets import ERROR, WARNING, Problem
from common.spreadsheets.cells import CellValue

from ..rag import Cadence
from .cells import split_lettered_items, split_sponsors
from .columns import ACTION, REF, START, TARGET
from .dates import PlanDate, parse_plan_date, read_cadence
from .messages import (
    CADENCE_START_CONFLICTS,
    CADENCE_START_UNREAD,
    CADENCE_WITH_START,
    DATE_WITH_WORDS,
    FAR_FROM_OTHERS,
    LETTERED_REF,
    MILESTONE_DATES_MISMATCH,
    NO_ACTIONS,
    NO_REF_NUMBERED,
    NO_TEXT,
    NO_YEAR_GUESSED,
    NOT_A_DATE_NUMBER,
    NUMBER_AS_DATE,
    START_AFTER_TARGET,
    STARTS_IN_TARGET,
    TOO_LONG,
)
from .preview import LIMITS, ImportedAction, ImportedMilestone, PlanPreview
from .values import cell_text, is_bullet_line, split_lines, value_text

_SPONSOR_JOINS = re.compile(r"\s*&\s*|\s+and\s+", re.IGNORECASE)
# "Starts Jan 2019", "From Jan 2019": a start written where the target goes.
_STARTS = re.compile(r"^(?:starts?|from)\b", re.IGNORECASE)
_LETTER_REF = re.compile(r"^\(?(?P<letter>[a-z])\)\s+(?=\S)")
# Past this distance from the middle of a plan's dates a date is probably a typo ("Aug 99" for "Aug 19").
PLAUSIBLE_YEARS = 5


def read_date(
    preview: PlanPreview,
    value: CellValue,
    action: ImportedAction,
    field_name: str,
    *,
    period_end: bool,
    row: int | None = None,
) -> PlanDate:
    """The date in a start or target cell of `action`, its problems listed in `preview`."""
    row = row or action.row
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1990 <= value <= 2100:
            # A year typed into Excel is a number: read as the year, as the text "2019" is.
            value = str(int(value))
        elif 20000 < value < 80000:
            date = from_excel(value).date()
            preview.add_problem(WARNING, row, field_name, NUMBER_AS_DATE.format(value=value, date=date), action)
            return PlanDate(text=value_text(value), date=date, precision="day")
        else:
            preview.add_problem(WARNING, row, field_name, NOT_A_DATE_NUMBER.format(value=value_text(value)), action)
            return PlanDate(text=value_text(value), problem="not a date")
    if isinstance(value, str):
        value = cell_text(value)
    parsed = parse_plan_date(value, period_end=period_end)
    if len(parsed.text) > LIMITS["date_text"]:
        message = TOO_LONG.format(what="The date", length=len(parsed.text), limit=LIMITS["date_text"])
        preview.add_problem(WARNING, row, field_name, message, action)
        parsed = PlanDate(
            text=parsed.text[: LIMITS["date_text"]],
            date=parsed.date,
            precision=parsed.precision,
            problem=parsed.problem,
            note=parsed.note,
        )
    if parsed.problem and "has no year" not in parsed.problem:
        preview.add_problem(WARNING, row, field_name, parsed.problem, action)
    elif parsed.date and parsed.note and re.match(r"^(starts?|from)$", parsed.note, re.IGNORECASE):
        pass  # "Starts Jan 2019": a start date (_read_targets moves one found in the target column)
    elif parsed.date and parsed.note:
        message = DATE_WITH_WORDS.format(text=parsed.text, date=parsed.date, note=parsed.note)
        preview.add_problem(WARNING, row, field_name, message, action)
    return parsed


def finish_actions(preview: PlanPreview, *, abbreviations: Iterable[str]) -> None:
    """Each action's title, sub-items, milestones, targets and sponsors; dates checked; references given."""
    if not preview.actions:
        preview.problems.append(Problem(ERROR, preview.sheet, "", NO_ACTIONS.format(row=preview.mapping.header_row)))
        return
    abbreviations = frozenset(abbreviations)
    for action in preview.actions:
        _finish_action(preview, action, abbreviations)
    _check_dates(preview)
    _number_refless(preview)


def _finish_action(preview: PlanPreview, action: ImportedAction, abbreviations: frozenset[str]) -> None:
    lines = "\n".join(action.text_lines).split("\n")
    intro_lines = [line for index, line in enumerate(lines) if index == 0 or not is_bullet_line(line)]
    bullet_lines = [line for index, line in enumerate(lines) if index and is_bullet_line(line)]
    intro, items = split_lettered_items("\n".join(intro_lines))
    action.description = intro
    action.sub_items = [{"letter": letter, "text": text} for letter, text in items]
    title = intro or (items[0][1] if items else "")
    if len(title) > LIMITS["title"]:
        message = TOO_LONG.format(what="The action's text", length=len(title), limit=LIMITS["title"])
        preview.add_problem(
            WARNING, action.row, ACTION, message + " as its title; the whole text is its description", action
        )
    action.title = title[: LIMITS["title"]]
    if not action.title:
        preview.add_problem(ERROR, action.row, ACTION, NO_TEXT.format(ref=action.ref), action)
    milestone_titles = [item for text in action.milestone_lines for item in split_lines(text)]
    if not milestone_titles and bullet_lines:
        milestone_titles = split_lines("\n".join(bullet_lines))
    _read_targets(preview, action, milestone_titles)
    for text, target_value, row in action.milestone_rows:
        for milestone_title in split_lines(text):
            target = read_date(preview, target_value, action, TARGET, period_end=True, row=row)
            action.milestones.append(ImportedMilestone(title=milestone_title, target=target))
    # Plans join sponsors with "&" and "and" too ("ADCSC & HFS"); new names are listed for the admin to check.
    action.sponsor_names = list(_sponsor_names(action.sponsor_text, abbreviations))
    action.sponsor_text = action.sponsor_text[: LIMITS["sponsor_text"]]
    action.lead = action.lead[: LIMITS["lead"]]
    if action.start.date and action.target.date and action.start.date > action.target.date:
        message = START_AFTER_TARGET.format(start=action.start.text, target=action.target.text)
        preview.add_problem(WARNING, action.row, START, message, action)


# A plan names the same few sponsors on thousands of rows: each cell is split once per import.
@functools.lru_cache(maxsize=1024)
def _sponsor_names(text: str, abbreviations: frozenset[str]) -> tuple[str, ...]:
    names = split_sponsors(_SPONSOR_JOINS.sub("/", text), abbreviations)
    return tuple(name[: LIMITS["sponsor_text"]] for name in names)


def _read_targets(preview: PlanPreview, action: ImportedAction, milestone_titles: list[str]) -> None:
    """The action's target, and each milestone's when the target cell holds one date per milestone."""
    dates = []
    for value, row in action.target_lines:
        lines = split_lines(value) if isinstance(value, str) else []
        if len(lines) > 1:
            dates.extend((line, row) for line in lines)
        elif value_text(value):
            dates.append((value, row))
    if len(dates) == 1 and _read_cadence(preview, action, *dates[0]):
        action.milestones = [ImportedMilestone(title=title) for title in milestone_titles]
        return
    per_milestone = len(milestone_titles) > 1 and len(dates) == len(milestone_titles)
    if per_milestone or len(dates) <= 1:
        parsed = [read_date(preview, value, action, TARGET, period_end=True, row=row) for value, row in dates]
    else:
        parsed = []
        message = MILESTONE_DATES_MISMATCH.format(dates=len(dates), milestones=len(milestone_titles))
        preview.add_problem(WARNING, action.row, TARGET, message, action)
    action.milestones = [
        ImportedMilestone(title=title, target=parsed[index] if per_milestone else PlanDate(text=""))
        for index, title in enumerate(milestone_titles)
    ]
    understood = [date for date in parsed if date.date]
    if len(parsed) == 1:
        action.target = parsed[0]
    elif understood:
        latest = max(understood, key=lambda date: date.date)
        action.target = PlanDate(
            text="; ".join(date.text for date in parsed)[: LIMITS["date_text"]],
            date=latest.date,
            precision=latest.precision,
        )
    elif dates:
        action.target = PlanDate(text="; ".join(value_text(value) for value, _ in dates)[: LIMITS["date_text"]])
    note = action.target.note
    if action.target.date and note and _STARTS.match(note) and not action.start.text:
        start = parse_plan_date(action.target.text, period_end=False)
        message = STARTS_IN_TARGET.format(text=action.target.text, date=start.date)
        preview.add_problem(WARNING, action.row, TARGET, message, action)
        action.start = PlanDate(text=action.target.text, date=start.date, precision=start.precision, note=start.note)
        action.target = PlanDate(text="")


def _read_cadence(preview: PlanPreview, action: ImportedAction, value: CellValue, row: int) -> bool:
    """A target cell naming ongoing or recurring work: the action's cadence, and its start where written."""
    cadence = read_cadence(cell_text(value) if isinstance(value, str) else value)
    if cadence is None:
        return False
    text = cell_text(value)[: LIMITS["date_text"]]
    action.cadence = cadence.cadence
    action.target = PlanDate(text=text, note=text)
    label = Cadence(cadence.cadence).label.lower()
    start = cadence.start
    if start.date and action.start.text and action.start.date != start.date:
        message = CADENCE_START_CONFLICTS.format(text=text, cadence=label, date=start.date, start=action.start.text)
        preview.add_problem(WARNING, row, TARGET, message, action)
    elif start.date:
        message = CADENCE_WITH_START.format(text=text, cadence=label, date=start.date)
        preview.add_problem(WARNING, row, TARGET, message, action)
        if not action.start.text:
            action.start = PlanDate(text=text, date=start.date, precision=start.precision, note=start.note)
    elif start.problem:
        message = CADENCE_START_UNREAD.format(text=text, cadence=label, problem=start.problem)
        preview.add_problem(WARNING, row, TARGET, message, action)
    return True


def _all_dates(
    preview: PlanPreview,
) -> Iterator[tuple[ImportedAction, ImportedAction | ImportedMilestone, str, PlanDate]]:
    """(action, what holds the date, the column it was read from, the date) of every date in the plan."""
    for action in preview.actions:
        yield action, action, START, action.start
        yield action, action, TARGET, action.target
        for milestone in action.milestones:
            yield action, milestone, TARGET, milestone.target


def _check_dates(preview: PlanPreview) -> None:
    """Dates far from all the others, and dates with no year, checked against the middle of the plan."""
    known = sorted(date.date for *_, date in _all_dates(preview) if date.date)
    if not known:
        return
    middle = statistics.median_low(known)
    for action, owner, field_name, date in list(_all_dates(preview)):
        if date.date and abs(date.date.year - middle.year) > PLAUSIBLE_YEARS:
            message = FAR_FROM_OTHERS.format(text=date.text, date=date.date, middle=middle.year)
            preview.add_problem(WARNING, action.row, field_name, message, action)
        elif not date.date and "has no year" in (date.problem or ""):
            guessed = _nearest_year(date, middle, period_end=field_name == TARGET)
            if guessed is None:
                preview.add_problem(WARNING, action.row, field_name, date.problem, action)
                continue
            message = NO_YEAR_GUESSED.format(text=date.text, date=guessed.date)
            preview.add_problem(WARNING, action.row, field_name, message, action)
            if isinstance(owner, ImportedMilestone):
                owner.target = guessed
            elif field_name == START:
                owner.start = guessed
            else:
                owner.target = guessed


def _number_refless(preview: PlanPreview) -> None:
    """Actions without a reference get one, so that every action can be named; re-imports match them by title."""
    fields = preview.fields
    refs = {action.ref: action.row for action in preview.actions if action.ref}
    counts: dict[str, int] = {}
    for action in preview.actions:
        if action.ref:
            continue
        area = preview.areas[action.area]
        prefix = area.number or str(list(preview.areas).index(action.area) + 1)
        counts[prefix] = counts.get(prefix, 0) + 1
        ref = f"{prefix}.{counts[prefix]}"
        while ref in refs:
            counts[prefix] += 1
            ref = f"{prefix}.{counts[prefix]}"
        action.ref, action.ref_given = ref, False
        refs[ref] = action.row
        match = _LETTER_REF.match(action.title)
        message = (
            LETTERED_REF.format(letter=match.group("letter"), ref=ref) if match else NO_REF_NUMBERED.format(ref=ref)
        )
        preview.add_problem(WARNING, action.row, REF if REF in fields else ACTION, message, action)
    for action in preview.actions:
        if len(action.ref) > LIMITS["ref"]:
            message = TOO_LONG.format(what="The reference", length=len(action.ref), limit=LIMITS["ref"])
            preview.add_problem(ERROR, action.row, REF, message, action)
            action.ref = action.ref[: LIMITS["ref"]]


def _nearest_year(date: PlanDate, middle: dt.date, *, period_end: bool) -> PlanDate | None:
    candidates = []
    for year in (middle.year - 1, middle.year, middle.year + 1):
        parsed = parse_plan_date(f"{date.text} {year}", period_end=period_end)
        if parsed.date:
            candidates.append(parsed)
    if not candidates:
        return None
    best = min(candidates, key=lambda parsed: abs((parsed.date - middle).days))
    return PlanDate(text=date.text, date=best.date, precision=best.precision, note=best.note)
