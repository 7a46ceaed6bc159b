"""Real xlsx files written with openpyxl, in the layouts councils use, for the importer's tests."""

import io
import json
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill

SEED = Path(__file__).resolve().parents[3] / "fixtures" / "csc_improvement_plan.json"
SEED_HEADER = [
    "Area",
    "Key actions / milestones",
    "Start Date",
    "Target Completion Date",
    "Sponsor (Board Member)",
    "Status",
]


def xlsx(rows, *, title="Plan", merges=(), fills=None, sheets=None):
    """The bytes of a workbook whose first sheet holds `rows` (lists of cell values, None for blank).

    `merges` are ranges such as "A3:A5"; `fills` maps a cell ("F4") to an RGB colour.
    `sheets` adds further sheets: {name: rows}.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for cell, colour in (fills or {}).items():
        sheet[cell].fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    for name, other_rows in (sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_actions():
    """(area title, cells) of the seed's actions in the order of their numbers, as the seed lists them."""
    seed = seed_plan()
    return sorted(
        ((area["title"], action) for area in seed["areas"] for action in area["actions"]),
        key=lambda pair: int(pair[1]["text"].replace("<p>", "").split(".")[0]),
    )


def seed_plan():
    return json.loads(SEED.read_text(encoding="utf-8"))


def seed_rows():
    """The seed plan as its tables read: titles and legend above, header repeated every few rows,
    the area written only on an area's first row, action 26's and 47's text running on after a page break."""
    rows = [
        ["CHILDREN'S SOCIAL CARE SERVICE IMPROVEMENT PLAN (6 MONTH SUMMARY)"],
        [],
        [None, "Overdue", "EDCYP= Executive Director CYP"],
        [None, "Completion at risk", "ADCSC= Assistant Director CSC"],
        [None, "On track to complete within timescale", "HFS = Head of Financial Services"],
        [None, "Completed"],
        [],
        SEED_HEADER,
    ]
    previous_area = None
    for count, (area_title, action) in enumerate(seed_actions(), start=1):
        first, _, rest = action["text"].partition("\n")
        area_cell = area_title if area_title != previous_area else None
        previous_area = area_title
        rows.append([area_cell, first, action["start"] or None, action["target"], action["sponsor"] or None,
                     action["status"] or None])  # fmt: skip
        if rest:
            rows.append(SEED_HEADER)  # the page break that split the cell
            rows.append([None, rest, None, None, None, None])
        elif count % 6 == 0:
            rows.append(SEED_HEADER)
    return rows
