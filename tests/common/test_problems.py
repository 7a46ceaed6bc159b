"""One problem type for every importer: it says where (sheet and cell) and what, as Excel users read a place."""

import pytest

from common.spreadsheets import ERROR, WARNING, Problem


@pytest.mark.parametrize(
    ("problem", "shown"),
    [
        (Problem(ERROR, "Plan", "C4", "not a date"), "Plan!C4: not a date"),
        (Problem(WARNING, "KPIs", "", "only the first rows were read"), "KPIs: only the first rows were read"),
    ],
)
def test_it_reads_as_sheet_and_cell(problem, shown):
    assert str(problem) == shown


@pytest.mark.parametrize(
    ("ref", "sheet", "cell"),
    [("KPIs!D13", "KPIs", "D13"), ("Q3 report!Wow!B2", "Q3 report!Wow", "B2"), ("Benchmarks", "Benchmarks", "")],
)
def test_it_is_made_from_a_reference(ref, sheet, cell):
    problem = Problem.at(ref, "is not a number")
    assert (problem.level, problem.sheet, problem.cell, problem.message) == (WARNING, sheet, cell, "is not a number")
    assert str(problem) == f"{ref}: is not a number"
