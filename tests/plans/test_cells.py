"""Reading the text cells of a plan: references, lettered sub-items, sponsors."""

import pytest

from plans.importing.cells import split_action_ref, split_lettered_items, split_sponsors


@pytest.mark.parametrize(
    ("cell", "ref", "text"),
    [
        ("1. Establish routine meetings.", "1", "Establish routine meetings."),
        ("<p>48. Make step change</p>", "48", "Make step change"),
        ("1.1 Review the policy", "1.1", "Review the policy"),
        ("12) Recruit", "12", "Recruit"),
        ("Recruit a permanent SLT", "", "Recruit a permanent SLT"),
    ],
)
def test_it_splits_the_reference_from_the_action_text(cell, ref, text):
    assert split_action_ref(cell) == (ref, text)


def test_lettered_items_become_sub_items():
    intro, items = split_lettered_items("Reset budget (a) Staffing (b) s17 (c) placements")
    assert intro == "Reset budget"
    assert items == [("a", "Staffing"), ("b", "s17"), ("c", "placements")]


def test_a_parenthesis_that_is_not_a_run_from_a_stays_in_the_text():
    text = "Refresh key strategies (i.e. R&R, CLA) and item (b) alone"
    assert split_lettered_items(text) == (text, [])


@pytest.mark.parametrize(
    ("cell", "sponsors"),
    [
        ("ADCSC", ["ADCSC"]),
        ("EDCYP/HFS ADCSC", ["EDCYP", "HFS", "ADCSC"]),
        ("EDCYP/DA/ADCSC", ["EDCYP", "DA", "ADCSC"]),
        ("ADCSC/ Performance Manager", ["ADCSC", "Performance Manager"]),
        ("Head of IT", ["Head of IT"]),
        ("HEAD OF CHILDREN WITH COMPLEX NEEDS", ["HEAD OF CHILDREN WITH COMPLEX NEEDS"]),
        ("", []),
        ("n/a", []),
        ("TBC", []),
    ],
)
def test_it_splits_sponsor_cells(cell, sponsors):
    assert split_sponsors(cell, known_abbreviations=["EDCYP", "ADCSC", "HFS"]) == sponsors
