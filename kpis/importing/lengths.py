"""Texts read from a KPI workbook checked against the fields they are written to, before anything is written.

A 400-character indicator name used to reach the database and fail there (a 500 on PostgreSQL, which checks
lengths; SQLite does not). Each text too long is reported at its cell and its record left out.
"""

from common.spreadsheets import Problem

from ..models import ComparatorGroup, Indicator, Section, Target, Value
from .records import WorkbookContents

# Messages tests import.
TOO_LONG = "the {what} is {length:,} characters long, more than the {limit:,} it can hold; {left_out}"
NOTE_MAX_LENGTH = 2000  # as the data entry grid allows


def _limit(model, field):
    return model._meta.get_field(field).max_length


def check_lengths(contents: WorkbookContents) -> None:
    """Drop from `contents` every record holding a text too long for its field, with a warning at its cell."""
    problems = contents.problems
    limits = {
        "indicator name": _limit(Indicator, "name"),
        "section title": _limit(Section, "name"),
        "code": _limit(Indicator, "code"),
        "source": _limit(Indicator, "source"),
        "owner": _limit(Indicator, "owner"),
        "reason for no figure": _limit(Value, "missing_reason"),
        "note": NOTE_MAX_LENGTH,
        "target's words": _limit(Target, "text"),
        "comparator group's name": _limit(ComparatorGroup, "name"),
    }

    def fits(ref, what, text, left_out):
        if len(text or "") <= limits[what]:
            return True
        message = TOO_LONG.format(what=what, length=len(text), limit=limits[what], left_out=left_out)
        problems.append(Problem.at(ref, message))
        return False

    dropped = set()
    kept = []
    for row in contents.indicators:
        details = {name: text for name, (text, _ref) in row.details.items() if name in ("code", "source", "owner")}
        if not fits(row.ref, "indicator name", row.name, "the row is left out") or not fits(
            row.ref, "section title", row.section, "its indicators are left out"
        ):
            dropped.add(row.name)
            continue
        if not all(
            fits(row.details[name][1], name, str(text), "the row is left out") for name, text in details.items()
        ):
            dropped.add(row.name)
            continue
        kept.append(row)
    contents.indicators = kept
    contents.values = [
        cell
        for cell in contents.values
        if cell.indicator not in dropped
        and fits(cell.ref, "reason for no figure", cell.reading.words, "the cell is left out")
        and fits(cell.ref, "note", cell.note, "the cell is left out")
    ]
    for name in ("targets", "target_columns"):
        setattr(
            contents,
            name,
            [
                cell
                for cell in getattr(contents, name)
                if cell.indicator not in dropped
                and fits(cell.ref, "target's words", cell.reading.words, "it is left out")
            ],
        )
    contents.benchmarks = [
        cell
        for cell in contents.benchmarks
        if cell.indicator not in dropped
        and fits(cell.ref, "comparator group's name", cell.group, "the column is left out")
    ]
