"""The spreadsheet layout the tracker writes (plan export, blank template) and its importer reads back unchanged."""

import io

import openpyxl
from django.db.models import Prefetch
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.exporting import neutralise

from ..models import Action, TargetDateChange
from ..rag import Status
from ..targets import has_moved, target_words
from .dates import parse_plan_date
from .values import read_status

HEADER = [
    "Theme",
    "Area",
    "Ref",
    "Action",
    "Milestones",
    "Start date",
    "Target date",
    "Sponsor",
    "Delivery lead",
    "Status",
]
WIDTHS = [18, 24, 7, 60, 40, 12, 14, 16, 18, 14]
TEMPLATE_EXAMPLE_ROWS = [
    ["", "1. Leadership & Culture", "1", "Establish routine schedule of strategic management meetings.", "", "Oct 18",
     "Dec 18", "ADCSC", "", "Green"],
    ["", "", "2", "Ensure supervision framework in place (a) policy (b) training", "", "Nov 18", "Feb 19",
     "EDCYP/HFS", "Head of Service", ""],
    ["", "", "", "", "Draft policy", "", "Dec 18", "", "", ""],
    ["", "", "", "", "Train all supervisors", "", "Feb 19", "", "", ""],
]  # fmt: skip
GUIDANCE = [
    "How to fill in this template",
    "One action per row. The area (or workstream) is written once and carries down to the rows below it.",
    "Ref: the action's number as the plan writes it (1, 12, 2.3). Without one, the importer numbers the action.",
    "Action: lettered items such as (a) ... (b) ... become the action's sub-items.",
    'Milestones: one per row under the action, each with its own target date, or several in one cell ("•" per line).',
    'Dates: a real date or text as plans write it: "Dec 18", "June 2018", "1 August 2017", "Q4 2018/19", "TBC".',
    "A month alone means the end of that month for a target and its first day for a start.",
    "Sponsor: abbreviations or names separated by / , & or 'and'.",
    "Status: Red, Amber, Green, Blue, Completed, Overdue, At risk, On track, Not started (or fill the cell).",
]


def _date_cell(date, text):
    """The date as written when that still reads as the date held; otherwise the date itself."""
    if text and parse_plan_date(text).date == date:
        return text
    if text and date is None and not parse_plan_date(text).date:
        return text
    return date.isoformat() if date else ""


def _start_cell(action):
    if action.start_text and parse_plan_date(action.start_text, period_end=False).date == action.start_date:
        return action.start_text
    return _date_cell(action.start_date, "" if action.start_date else action.start_text)


def _status_cell(action):
    """The status cell as written while it still says what the action's status is; else the status now."""
    written = read_status(action.status_text) if action.status_text else None
    if written is not None:
        if written.understood and (written.status, written.at_risk) == (action.status, action.at_risk):
            return action.status_text
        if not written.understood and action.status == Status.NOT_STARTED and not action.at_risk:
            return action.status_text
    if action.status == Status.COMPLETED:
        return "Completed"
    if action.at_risk:
        return "At risk"
    if action.status == Status.IN_PROGRESS:
        return "In progress"
    return ""


def _action_text(action):
    text = action.description or action.title
    for item in action.sub_items:
        text += f" ({item['letter']}) {item['text']}"
    return text


def _sponsor_cell(action):
    return action.sponsor_text or ", ".join(str(sponsor) for sponsor in action.sponsors.all())


def _new_sheet(title):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(HEADER)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", start_color="DDE3EA", end_color="DDE3EA")
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_rows(plan):
    """Rows of the layout: one per action, then one per milestone under it."""
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("area", "area__theme")
        .prefetch_related("sponsors", "milestones", "leads")
        .order_by("position", "pk")
    )
    for action in actions:
        area = action.area
        yield [
            area.theme.title if area.theme else "",
            f"{area.number}. {area.title}" if area.number else area.title,
            action.ref,
            _action_text(action),
            "",
            _start_cell(action),
            _date_cell(action.target_date, action.target_text),
            _sponsor_cell(action),
            # The cell as the plan wrote it reads back unchanged; leads added in the tracker are named.
            action.lead or " / ".join(person.name for person in action.lead_list),
            _status_cell(action),
        ]
        for milestone in action.milestones.all():
            yield [
                "",
                "",
                "",
                "",
                milestone.title,
                "",
                _date_cell(milestone.target_date, milestone.target_text),
                "",
                "",
                "",
            ]


# What areas and themes are for, on sheets of their own that the importer reads back (sheets.OutcomeList).
AREA_HEADER = ["Area", "Outcome", "Objectives", "Measures of success"]
THEME_HEADER = ["Theme", "Outcome", "Measures of success"]


def _outcome_sheet(workbook, title, header, rows):
    rows = [row for row in rows if any(row[1:])]
    if not rows:
        return
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for index, width in enumerate([30, 60, 60, 60][: len(header)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _moved_targets(plan):
    """{ref: "31 Jan 2027, moved from 31 Dec 2026"} for the actions whose target moved, in the pages' words."""
    changes = Prefetch("target_changes", queryset=TargetDateChange.objects.all(), to_attr="prefetched_target_changes")
    actions = Action.objects.filter(plan=plan, target_changes__isnull=False).distinct().prefetch_related(changes)
    slippages = {action: action.slippage() for action in actions}
    return {action.ref: target_words(action, slip) for action, slip in slippages.items() if has_moved(slip)}


def plan_workbook(plan):
    """The plan as xlsx bytes, every text cell neutralised so that it cannot run as a formula; the areas' and
    themes' outcomes and measures on sheets of their own.

    A moved target keeps its date in the cell, which the importer reads back, and says where it moved from in the
    cell's note (the words of every page), so that a reader of the sheet sees the move.
    """
    workbook, sheet = _new_sheet("Plan")
    moved = _moved_targets(plan)
    target_column = HEADER.index("Target date") + 1
    for row in plan_rows(plan):
        sheet.append([neutralise(value) for value in row])
        if row[2] and row[2] in moved:
            sheet.cell(row=sheet.max_row, column=target_column).comment = Comment(moved[row[2]], "Tracker")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    areas = [
        [f"{area.number}. {area.title}" if area.number else area.title, area.outcome, area.objectives,
         area.measured_by]
        for area in plan.areas.all()
    ]  # fmt: skip
    _outcome_sheet(workbook, "Areas", AREA_HEADER, areas)
    themes = [[theme.title, theme.outcome, theme.measures_of_success] for theme in plan.themes.all()]
    _outcome_sheet(workbook, "Themes", THEME_HEADER, themes)
    return _save(workbook)


def template_workbook():
    """A blank plan in the layout, with example rows to overwrite and a sheet of guidance."""
    workbook, sheet = _new_sheet("Plan")
    for row in TEMPLATE_EXAMPLE_ROWS:
        sheet.append(row)
    guidance = workbook.create_sheet("How to fill in")
    for line in GUIDANCE:
        guidance.append([line])
    guidance["A1"].font = Font(bold=True)
    guidance.column_dimensions["A"].width = 110
    return _save(workbook)
