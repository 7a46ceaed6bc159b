"""Reading single cells of KPI workbooks: month headers, values as people type them, benchmark years."""

import datetime as dt
from decimal import Decimal

import pytest

from kpis.importing.cells import parse_month, parse_year, read_value

JULY = dt.date(2018, 7, 1)


@pytest.mark.parametrize(
    ("header", "month"),
    [
        ("Jul 18", JULY),
        ("Jul-18", JULY),
        ("July 2018", JULY),
        ("july 18", JULY),
        ("2018-07", JULY),
        ("2018/7", JULY),
        ("07/2018", JULY),
        (dt.datetime(2018, 7, 1), JULY),  # noqa: DTZ001 - Excel dates have no time zone; a real date, as Excel stores "Jul-18"
        (dt.date(2018, 7, 31), JULY),
        ("Sept 18", dt.date(2018, 9, 1)),
        ("Sep 2018", dt.date(2018, 9, 1)),
        ("Target", None),
        ("Indicator", None),
        ("Ma 18", None),  # too short to tell March from May
        ("2018-13", None),
        (2018, None),
        (None, None),
    ],
)
def test_month_headers(header, month):
    assert parse_month(header) == month


D = Decimal


@pytest.mark.parametrize(
    ("raw", "number_format", "number", "words", "problem"),
    [
        (1786, "General", D(1786), "", ""),
        (476.2, "General", D("476.2"), "", ""),
        (0.26, "0%", D(26), "", ""),  # a number formatted as a percentage in Excel
        (0.097, "0.0%", D("9.7"), "", ""),
        (26.5, '0.0"%"', D("26.5"), "", ""),  # a literal % sign, as our export writes: not scaled
        (26, "0\\%", D(26), "", ""),
        ("26%", "General", D(26), "", ""),
        ("100.0 %", "General", D(100), "", ""),
        ("9.7%", "General", D("9.7"), "", ""),
        ("476.2", "General", D("476.2"), "", ""),
        ("1,786", "General", D(1786), "", ""),
        (" 48.5 ", "General", D("48.5"), "", ""),
        ("Data under development", "General", None, "Data under development", ""),
        ("Data under review", "General", None, "Data under review", ""),
        ("abc", "General", None, "", '"abc" is not a number'),
        ("26 percent", "General", None, "", '"26 percent" is not a number'),
        (dt.datetime(2018, 7, 1), "General", None, "", '"2018-07-01 00:00:00" is not a number'),  # noqa: DTZ001 - Excel dates have no time zone
        (True, "General", None, "", '"True" is not a number'),
        (1e12, "General", None, "", '"1000000000000.0" is too large'),
        (None, "General", None, "", ""),
        ("   ", "General", None, "", ""),
    ],
)
def test_values(raw, number_format, number, words, problem):
    reading = read_value(raw, number_format)
    assert (reading.number, reading.words, reading.problem) == (number, words, problem)


@pytest.mark.parametrize(
    ("raw", "year"),
    [(2018, 2018), ("2017", 2017), ("2017/18", 2018), ("2017-2018", 2018), ("2017/19", None), ("Lewisham", None)],
)
def test_years(raw, year):
    assert parse_year(raw) == year
