"""Dates and months written in addresses and on command lines: ISO dates (2018-11-30) and months (2018-11).

Dates written in plans (`Dec 18`, `Q3 2018/19`) are the plan importer's (plans/importing/dates.py); month headers of
KPI workbooks are the KPI importer's (kpis/importing/cells.py).
"""

import datetime as dt


def iso_date(text: str | None) -> dt.date | None:
    """The date written as YYYY-MM-DD, or None when the text is empty or is not one."""
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def iso_month(text: str | None) -> dt.date | None:
    """The month written as YYYY-MM, as its first day; None when the text is empty or is not one."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m").date()  # noqa: DTZ007 - a month, not a moment
    except ValueError:
        return None
