"""One text cleaner for every importer: what both the plan and the KPI importer need from a cell's text."""

import pytest

from common.spreadsheets import clean_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        (0, "0"),  # a zero is a figure, not an empty cell
        (26.5, "26.5"),
        ("  Contacts   to\tMASH \n", "Contacts to MASH"),
        ("Line one\nLine two", "Line one Line two"),  # a name is one line
        ("'=SUM(A1)", "=SUM(A1)"),  # the apostrophe our export or Excel's user put against formulas
        ("'-5 days", "-5 days"),
        ("'+44 20", "+44 20"),
        ("'@home", "@home"),
        ("'Tis the season", "'Tis the season"),  # an apostrophe before a word is the text's own
        ("'", "'"),
        ("<b>Bold</b> &amp; plain", "<b>Bold</b> &amp; plain"),  # markup left alone unless asked
    ],
)
def test_it_tidies_a_one_line_text(value, expected):
    assert clean_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("First  line\n\n  second\tline \r\n", "First line\nsecond line"),
        ("'- a bullet\n'= not a formula", "- a bullet\n= not a formula"),  # each line's apostrophe
        ("<p>Set up the board</p><p>Meet monthly</p>", "Set up the board Meet monthly"),
        ("Health &amp; wellbeing", "Health & wellbeing"),
        ("Under 5s <5 days", "Under 5s <5 days"),  # "<5" is not a tag
        ("a<br/>b", "a b"),
        # From the plan importer's own cleaner, which this one replaced.
        ("Referrals <5% then >10%", "Referrals <5% then >10%"),
        ('<ul style="list-style-type: none"> (a) MASH &amp; consent', "(a) MASH & consent"),
    ],
)
def test_it_keeps_lines_and_reads_markup_when_asked(value, expected):
    assert clean_text(value, lines=True, markup=True) == expected
