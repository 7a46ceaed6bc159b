"""Reading one KPI spreadsheet cell: a month header, a value, a year, or words."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.spreadsheets import clean_text

from ..rules import is_missing_reason

MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december"]  # fmt: skip

_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR_DIGITS = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_NAMED_MONTH = re.compile(r"^([A-Za-z]{3,9})\.?[\s\-'’]*(\d{2}|\d{4})$")
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-+]?\.\d+$")
_PERCENT = re.compile(r"^(.*?)\s*%$")
_YEAR = re.compile(r"^((?:19|20)\d{2})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")
PLACES = Decimal("0.0001")
# Decimal(14, 4) holds numbers below 10 billion.
LARGEST = Decimal(10) ** 10


def parse_month(value: object) -> dt.date | None:
    """The month a header names (`Jul 18`, `2018-07`, `July 2018`, a real date), as its first day; else None."""
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    year = month = None
    if match := _ISO_MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _MONTH_YEAR_DIGITS.match(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := _NAMED_MONTH.match(text):
        name = match.group(1).lower()
        candidates = [number for number, full in enumerate(MONTH_NAMES, start=1) if full.startswith(name)]
        if len(candidates) != 1:
            return None
        month, year = candidates[0], int(match.group(2))
        if year < 100:
            year += 2000
    if year is None or not 1 <= month <= 12 or not 1990 <= year <= 2100:
        return None
    return dt.date(year, month, 1)


def parse_year(value: object) -> int | None:
    """A benchmark year: 2018, "2018", or a financial year "2017/18" read as the year it ends (2018)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 1990 <= value <= 2100:
        return int(value)
    if isinstance(value, dt.date):
        return value.year
    match = _YEAR.match(clean_text(value))
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2):
        end = int(match.group(2))
        end = end if end > 100 else (year // 100) * 100 + end
        if end != year + 1:
            return None
        year = end
    return year


@dataclass(frozen=True)
class Reading:
    """What a value cell holds: a number, words saying why there is none, nothing, or a problem."""

    number: Decimal | None = None
    words: str = ""
    problem: str = ""

    @property
    def empty(self) -> bool:
        return self.number is None and not self.words and not self.problem


def _to_decimal(text):
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def read_value(raw: object, number_format: str | None = "General", *, words_allowed: bool = True) -> Reading:
    """A value cell read as the report means it: 0.26 shown as 26% is 26.0 points; `100.0 %` is 100.0."""
    if raw is None:
        return Reading()
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        return Reading(problem=f'"{raw}" is not a number')
    if isinstance(raw, int | float | Decimal):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if _scales_by_100(number_format):
            number *= 100
        return _checked(number, str(raw))
    text = clean_text(raw)
    if not text:
        return Reading()
    number_text = text
    if match := _PERCENT.match(text):
        number_text = match.group(1)
    if _NUMBER.match(number_text.replace(" ", "")):
        return _checked(_to_decimal(number_text.replace(" ", "")), text)
    if words_allowed and is_missing_reason(text):
        return Reading(words=text)
    return Reading(problem=f'"{text}" is not a number')


_LITERAL = re.compile(r'"[^"]*"|\\.')


def _scales_by_100(number_format):
    """Whether Excel shows the number times 100 (`0%`), not with a literal sign (`0.0"%"`, as our export writes)."""
    return "%" in _LITERAL.sub("", number_format or "")


def _checked(number, written):
    if number is None or not number.is_finite():
        return Reading(problem=f'"{written}" is not a number')
    if abs(number) >= LARGEST:
        return Reading(problem=f'"{written}" is too large')
    return Reading(number=number.quantize(PLACES))
