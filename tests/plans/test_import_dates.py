"""Dates as people write them in plans: understood, kept as written, or reported."""

import datetime as dt

import pytest

from plans.importing.dates import DAY, MONTH, QUARTER, YEAR, parse_plan_date

D = dt.date


@pytest.mark.parametrize(
    ("written", "date", "precision", "note"),
    [
        ("Dec 18", D(2018, 12, 31), MONTH, ""),
        ("Sept 18", D(2018, 9, 30), MONTH, ""),
        ("Sep 18", D(2018, 9, 30), MONTH, ""),
        ("June18", D(2018, 6, 30), MONTH, ""),
        ("June 2018", D(2018, 6, 30), MONTH, ""),
        ("March 19", D(2019, 3, 31), MONTH, ""),
        ("Feb 20", D(2020, 2, 29), MONTH, ""),
        ("Nov 19", D(2019, 11, 30), MONTH, ""),
        ("1 August 2017", D(2017, 8, 1), DAY, ""),
        ("7th Jan 2019", D(2019, 1, 7), DAY, ""),
        ("Jan 7th 2019", D(2019, 1, 7), DAY, ""),
        ("31/03/2019", D(2019, 3, 31), DAY, ""),
        ("2019-03-31", D(2019, 3, 31), DAY, ""),
        ("Q4 2018/19", D(2019, 3, 31), QUARTER, ""),
        ("Q1 2018/19", D(2018, 6, 30), QUARTER, ""),
        ("Q3 2018/2019", D(2018, 12, 31), QUARTER, ""),
        ("2018/19", D(2019, 3, 31), YEAR, ""),
        ("2018-19", D(2019, 3, 31), YEAR, ""),
        ("2018 - 2019", D(2019, 3, 31), YEAR, ""),
        ("Q3 2018-19", D(2018, 12, 31), QUARTER, ""),
        ("2019", D(2019, 12, 31), YEAR, ""),
        ("Starts Jan 2019", D(2019, 1, 31), MONTH, "Starts"),
        ("January 2015 TBC TBC", D(2015, 1, 31), MONTH, "TBC TBC"),
        ("Sept 2017 and ongoing", D(2017, 9, 30), MONTH, "and ongoing"),
        ("First report June 2015 and then quarterly", D(2015, 6, 30), MONTH, "First report and then quarterly"),
    ],
)
def test_it_reads_the_dates_real_plans_hold(written, date, precision, note):
    parsed = parse_plan_date(written)
    assert (parsed.date, parsed.precision, parsed.note, parsed.problem) == (date, precision, note, "")
    assert parsed.text == written


@pytest.mark.parametrize(
    ("written", "start"),
    [("Dec 18", D(2018, 12, 1)), ("June18", D(2018, 6, 1)), ("Q4 2018/19", D(2019, 1, 1)), ("2018/19", D(2018, 4, 1))],
)
def test_a_start_date_of_a_month_means_its_first_day(written, start):
    assert parse_plan_date(written, period_end=False).date == start


@pytest.mark.parametrize("written", ["TBC", "tbc", "Ongoing", "Monthly", "Timing tbc", "N/A"])
def test_words_that_mean_no_date_yet_are_kept_without_a_problem(written):
    parsed = parse_plan_date(written)
    assert (parsed.date, parsed.problem, parsed.note) == (None, "", written)


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("31 Sept 2017", '"31 Sept 2017" is not a date (September 2017 has 30 days)'),
        ("29 Feb 2019", '"29 Feb 2019" is not a date (February 2019 has 28 days)'),
        ("Jan 7th", '"Jan 7th" has no year'),
        ("December", '"December" has no year'),
        ("Q2", '"Q2" has no financial year (write it as "Q2 2018/19")'),
        ("Q2 2018/20", '"Q2 2018/20" is not a date (2018/20 is not a financial year (April 2018 to March 2019))'),
        ("when the board agrees", '"when the board agrees" is not a date'),
        ("2018-12", '"2018-12" is not a date (2018-12 is not a financial year (April 2018 to March 2019))'),
        ("31/09/2018", '"31/09/2018" is not a date (September 2018 has 30 days)'),
        ("end of Q3", '"end of Q3" has no financial year (write it as "Q2 2018/19")'),
    ],
)
def test_what_cannot_be_understood_is_reported_not_guessed(written, problem):
    parsed = parse_plan_date(written)
    assert parsed.date is None
    assert parsed.problem == problem


def test_real_excel_dates_are_taken_as_they_are():
    # openpyxl gives Excel's dates as naive datetimes.
    assert parse_plan_date(dt.datetime(2019, 3, 31, 0, 0)).date == D(2019, 3, 31)  # noqa: DTZ001
    assert parse_plan_date(D(2019, 3, 31)).precision == DAY


def test_a_blank_cell_is_no_date_and_no_problem():
    parsed = parse_plan_date("   ")
    assert (parsed.date, parsed.problem, parsed.text) == (None, "", "")


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("Quarter 2 2018/19", D(2018, 9, 30)),
        ("Q2 of 2018/19", D(2018, 9, 30)),
        ("2019/20 Q1", D(2020 - 1, 6, 30)),
        ("Dec-18", D(2018, 12, 31)),
        ("Sep-2018", D(2018, 9, 30)),
        ("Deliver 4.1.12 by Dec 18", D(2018, 12, 31)),
        ("04.01.2019", D(2019, 1, 4)),
    ],
)
def test_quarters_either_way_round_and_excel_month_text(written, date):
    assert parse_plan_date(written).date == date


@pytest.mark.parametrize(
    "written", ["Sept 18\nDec 18", "June 18 (16 Dec 18 for phase 2)", "Review of 2016/17 data by Dec 18"]
)
def test_a_cell_with_several_dates_is_reported_not_guessed(written):
    parsed = parse_plan_date(written)
    assert parsed.date is None
    assert "holds more than one date" in parsed.problem
