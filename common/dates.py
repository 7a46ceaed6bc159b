"""Dates and months written in addresses, forms and on command lines: ISO dates (2018-11-30) and months (2018-11).

Every date a person can give the tracker is checked against one sane range: a plan runs between 1990 and 2100,
and a date far outside it (0001-01-01, 9999-12-31) is a typo or a probe that would overflow date arithmetic.
Pages answer 400 with the message (common.middleware), forms show it on the field, commands stop with it.

Dates written in plans (`Dec 18`, `Q3 2018/19`) are the plan importer's (plans/importing/dates.py); month headers of
KPI workbooks are the KPI importer's (kpis/importing/cells.py).
"""

import datetime as dt
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
# Messages tests import.
OUT_OF_RANGE = "{date} is outside the dates the tracker works with: give one from 1990 to 2100."
NOT_A_DATE = "“{text}” ({name}) is not a date: write it as YYYY-MM-DD, for example 2018-11-30."
NOT_A_MONTH = "“{text}” ({name}) is not a month: write it as YYYY-MM, for example 2018-11."


class BadDateParameter(Exception):
    """A date or month in the address that cannot be used; the message says why in the reader's words."""


def iso_date(text: str | None) -> dt.date | None:
    """The date written as YYYY-MM-DD, or None when the text is empty or is not one."""
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def iso_month(text: str | None) -> dt.date | None:
    """The month written as YYYY-MM, as its first day; None when the text is empty or is not one."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m").date()  # noqa: DTZ007 - a month, not a moment
    except ValueError:
        return None


def in_range(date: dt.date) -> bool:
    return EARLIEST <= date <= LATEST


def check_date(date: dt.date | None) -> None:
    """A validator for every date field a person fills in: ValidationError outside the sane range."""
    if date is not None and not in_range(date):
        raise ValidationError(OUT_OF_RANGE.format(date=date.isoformat()), code="date_out_of_range")


def sane_date(text: str | None, *, name: str = "the date") -> dt.date | None:
    """The date in `text` (None when empty); ValueError with the message when it is not one or is out of range."""
    text = (text or "").strip()
    if not text:
        return None
    date = iso_date(text)
    if date is None:
        raise ValueError(NOT_A_DATE.format(text=text[:20], name=name))
    if not in_range(date):
        raise ValueError(OUT_OF_RANGE.format(date=date.isoformat()))
    return date


def sane_month(text: str | None, *, name: str = "the month") -> dt.date | None:
    """The month in `text` as its first day (None when empty); ValueError when it is not one or is out of range."""
    text = (text or "").strip()
    if not text:
        return None
    month = iso_month(text)
    if month is None:
        raise ValueError(NOT_A_MONTH.format(text=text[:20], name=name))
    if not in_range(month):
        raise ValueError(OUT_OF_RANGE.format(date=f"{month.year:04}-{month.month:02}"))
    return month


def query_date(params: Mapping[str, str], name: str, default: dt.date | None = None) -> dt.date | None:
    """The date in the address's `?name=` (`default` when absent or empty); BadDateParameter when it is unusable."""
    try:
        return sane_date(params.get(name), name=name) or default
    except ValueError as error:
        raise BadDateParameter(str(error)) from None


def query_month(params: Mapping[str, str], name: str, default: dt.date | None = None) -> dt.date | None:
    """The month in the address's `?name=` as its first day (`default` when absent); BadDateParameter if unusable."""
    try:
        return sane_month(params.get(name), name=name) or default
    except ValueError as error:
        raise BadDateParameter(str(error)) from None


class SaneDateField(forms.DateField):
    """A form's date field that refuses dates outside the sane range with the same message as the pages."""

    default_validators = [check_date]
