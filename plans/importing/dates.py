"""Reads dates as people write them in plans ("Dec 18", "Q4 2018/19", "31 Sept 2017") and says what it understood."""

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from ..rag import Cadence

DAY = "day"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"

# Words that say there is no date yet: not an error, but nothing to put on a timeline.
NO_DATE_WORDS = re.compile(
    r"^(tbc|tba|tbd|to be confirmed|timing tbc|ongoing|on-going|monthly|weekly|quarterly|"
    r"annually|annual|bi-annually|n/a|na|none|-+)\.?$",
    re.IGNORECASE,
)

_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")),
    # Dotted numbers need a four-digit year: "4.1.12" is an action reference far more often than a date.
    ("numeric", re.compile(r"(?<![\d./])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d./])")),
    ("numeric", re.compile(r"(?<![\d./])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?![\d./])")),
    (
        "day_month_year",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s*" + _YEAR + r"\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day_year",
        re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.IGNORECASE),
    ),
    (
        "quarter",
        re.compile(
            r"\b(?:Q|Quarter\s*)(?P<quarter>[1-4])\s*(?:of\s+)?(?:FY\s*)?(?P<fy>\d{4}\s*[/-]\s*\d{2,4})", re.IGNORECASE
        ),
    ),
    (
        "quarter",
        re.compile(r"\b(?:FY\s*)?(?P<fy>\d{4}\s*[/-]\s*\d{2,4})\s*(?:Q|Quarter\s*)(?P<quarter>[1-4])\b", re.IGNORECASE),
    ),
    ("financial_year", re.compile(r"\b(?:FY\s*)?(?P<fy>\d{4}\s*[/-]\s*\d{2,4})\b", re.IGNORECASE)),
    ("month_year", re.compile(r"\b" + _MONTH + r"[\s-]*" + _YEAR + r"\b", re.IGNORECASE)),
    ("year", re.compile(r"^(?:by\s+|end of\s+)?(?P<year>\d{4})$", re.IGNORECASE)),
]
_MONTH_DAY_NO_YEAR = re.compile(r"\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b", re.IGNORECASE)
_MONTH_ALONE = re.compile(r"^(?:by\s+|end of\s+)?" + _MONTH + r"$", re.IGNORECASE)
_QUARTER_ALONE = re.compile(r"\bQ[1-4]\b", re.IGNORECASE)


@dataclass(frozen=True)
class PlanDate:
    """What a date cell said, and what was understood from it."""

    text: str
    date: dt.date | None = None
    precision: str = ""
    problem: str = ""  # why the text could not be read as a date; empty when it could
    note: str = ""  # words beside the date ("and ongoing", "TBC") or a no-date word

    @property
    def understood(self):
        return self.date is not None

    def __bool__(self):
        return self.date is not None


def _year(text):
    text = text.lstrip("'")
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _month_bounds(year, month):
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def _financial_year_start(fy_text):
    first, second = (part.strip() for part in re.split(r"[/-]", fy_text))
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if end != start + 1:
        raise ValueError(f"{fy_text} is not a financial year (April {start} to March {start + 1})")
    return start


def parse_plan_date(value, *, period_end=True):
    """Read one date cell.

    A month-only, quarter or year date stands for a period: a target ("Dec 18") means by the
    end of it, so `period_end=True` gives its last day; a start date gives its first day.
    Financial years run April to March, as councils' do.
    """
    if isinstance(value, dt.datetime):
        return PlanDate(text=value.date().isoformat(), date=value.date(), precision=DAY)
    if isinstance(value, dt.date):
        return PlanDate(text=value.isoformat(), date=value, precision=DAY)
    return _parse_text(" ".join(str(value or "").split()), period_end)


# A plan writes the same few dozen dates on thousands of rows ("Dec 18"), and ten patterns are tried on each:
# the readings (immutable) are kept for the texts seen most recently.
@functools.lru_cache(maxsize=4096)
def _parse_text(text, period_end):
    if not text:
        return PlanDate(text="")
    if NO_DATE_WORDS.match(text):
        return PlanDate(text=text, note=text)

    found = _dates_in(text)
    if found:
        readings = [_read_match(kind, match, text, period_end) for kind, match in found]
        distinct = {reading.date for reading in readings if reading.date}
        if len(distinct) > 1:
            listed = ", ".join(f'"{match.group(0)}"' for _, match in found)
            return PlanDate(text=text, problem=f'"{text}" holds more than one date ({listed}): give one per cell')
        return readings[0]

    if _MONTH_DAY_NO_YEAR.search(text) or _MONTH_ALONE.match(text):
        return PlanDate(text=text, problem=f'"{text}" has no year')
    if _QUARTER_ALONE.search(text):
        return PlanDate(text=text, problem=f'"{text}" has no financial year (write it as "Q2 2018/19")')
    return PlanDate(text=text, problem=f'"{text}" is not a date')


def _dates_in(text):
    """Every date-like span in the text, left to right, none overlapping (the longest wins at a place)."""
    candidates = sorted(
        (
            (match.start(), -len(match.group(0)), kind, match)
            for kind, pattern in _PATTERNS
            for match in pattern.finditer(text)
        ),
        key=lambda candidate: candidate[:2],
    )
    chosen = []
    for _, _, kind, match in candidates:
        if all(match.start() >= other.end() or match.end() <= other.start() for _, other in chosen):
            chosen.append((kind, match))
    return chosen


def _note(text, match):
    return " ".join((text[: match.start()] + " " + text[match.end() :]).split())


def _read_match(kind, match, text, period_end):
    note = _note(text, match)
    groups = match.groupdict()
    try:
        if kind in ("iso", "numeric", "day_month_year", "month_day_year"):
            month = groups["month"]
            month = int(month) if month.isdigit() else MONTHS[month.lower()]
            year = _year(groups["year"])
            day = int(groups["day"])
            if not 1 <= month <= 12:
                raise ValueError(f"there is no month {month}")
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{calendar.month_name[month]} {year} has {last} days")
            return PlanDate(text=text, date=dt.date(year, month, day), precision=DAY, note=note)
        if kind == "month_year":
            first, last = _month_bounds(_year(groups["year"]), MONTHS[groups["month"].lower()])
            return PlanDate(text=text, date=last if period_end else first, precision=MONTH, note=note)
        if kind == "quarter":
            fy_start = _financial_year_start(groups["fy"])
            first_month = 4 + 3 * (int(groups["quarter"]) - 1)
            year = fy_start + (first_month - 1) // 12
            first_month = (first_month - 1) % 12 + 1
            first = dt.date(year, first_month, 1)
            last = _month_bounds(year, first_month + 2)[1]
            return PlanDate(text=text, date=last if period_end else first, precision=QUARTER, note=note)
        if kind == "financial_year":
            fy_start = _financial_year_start(groups["fy"])
            first, last = dt.date(fy_start, 4, 1), dt.date(fy_start + 1, 3, 31)
            return PlanDate(text=text, date=last if period_end else first, precision=YEAR, note=note)
        year = int(groups["year"])
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return PlanDate(text=text, date=last if period_end else first, precision=YEAR, note=note)
    except ValueError as error:
        return PlanDate(text=text, problem=f'"{text}" is not a date ({error})')


# Work with no single target date, as plans write it in the target column: "Ongoing", "Monthly",
# "Sept 2017 and ongoing", "Monthly from Jan 2019", "First report June 2015 and then quarterly".
_CADENCE_WORDS = re.compile(
    r"\b(?P<word>on[\s-]?going|monthly|quarterly|every\s+month|every\s+quarter)\b", re.IGNORECASE
)

_CONNECTORS = re.compile(r"\b(?:and|then|from|starting|starts?|since|first\s+report)\b|[(),.;:&\-–]", re.IGNORECASE)


@dataclass(frozen=True)
class PlanCadence:
    """What a target cell said about recurring or ongoing work, and the start it gave, if any."""

    cadence: str  # a plans.rag.Cadence value
    start: PlanDate  # "Sept 2017 and ongoing" starts in September 2017; empty text when none is written


def _cadence_of(word):
    word = " ".join(word.lower().replace("-", " ").split())
    if word in ("monthly", "every month"):
        return Cadence.MONTHLY
    if word in ("quarterly", "every quarter"):
        return Cadence.QUARTERLY
    return Cadence.ONGOING


def read_cadence(value):
    """The cadence a target cell names, with the start it gives, or None when it names none.

    A recurring word wins over "ongoing" ("monthly, ongoing" is monthly); the date written beside it
    is where the work starts ("Monthly from Jan 2019": the first of January), never a target.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    found = [_cadence_of(match.group("word")) for match in _CADENCE_WORDS.finditer(text)]
    if not found:
        return None
    recurring = [cadence for cadence in found if cadence != Cadence.ONGOING]
    rest = " ".join(_CADENCE_WORDS.sub(" ", text).split())
    # Words left beside the cadence are read as its start, so that one not understood is reported.
    start = parse_plan_date(rest, period_end=False) if _CONNECTORS.sub(" ", rest).strip() else PlanDate(text="")
    return PlanCadence(cadence=recurring[-1] if recurring else Cadence.ONGOING, start=start)
