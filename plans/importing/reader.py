"""Reads a plan's workbook into a preview: areas, actions, milestones and every problem with its sheet and cell.

Nothing here touches the database: the preview is shown to the admin (or printed by the command) and
`plans.importing.applying.plan_import` writes it.
"""

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel

from common.spreadsheets.opening import WorkbookError, hidden_rows_and_columns, open_workbook, unreadable

from ..rag import RAG, Cadence
from .cells import split_action_ref, split_lettered_items, split_sponsors
from .columns import (
    ACTION,
    AREA,
    FIELD_LABELS,
    HEADER_SEARCH_ROWS,
    LEAD,
    MILESTONES,
    REF,
    SPONSOR,
    START,
    STATUS,
    TARGET,
    THEME,
    field_for_header,
    find_header,
    is_column_name,
    is_repeated_header,
)
from .dates import PlanDate, parse_plan_date, read_cadence
from .values import cell_text, colour_of_fill, is_bullet_line, read_status, split_lines, theme_colours

ERROR = "error"
WARNING = "warning"

NO_HEADER = (
    'No header row found in the first rows of {sheets}: the importer looks for a column named "Action" '
    '(or "Key actions", "Actions / milestones") beside others such as "Area", "Target date", "Sponsor", "Status".'
)
NO_SUCH_SHEET = 'There is no sheet called "{sheet}" in {name} (sheets: {sheets}).'
EMPTY_WORKBOOK = "{name} has no rows to import."
CHART_SHEET = '"{sheet}" is a chart, not a table of actions (sheets with tables: {sheets}).'
HIDDEN_SHEET = 'The sheet "{sheet}" is hidden in Excel; it was read because no visible sheet has a plan\'s header.'
OTHER_TABLES = 'Read the sheet "{sheet}"; other sheets with a header row: {others}. Choose one to read it instead.'
NO_ACTIONS = "No actions were found under the header in row {row}."
DUPLICATE_REF = "action {ref} appears twice (first in row {first}); this row was not imported"
NO_AREA = 'No area column or section rows: the actions were put in one area, "{area}".'
DEFAULT_AREA = "Actions"
START_AFTER_TARGET = 'starts "{start}", after its target "{target}": check which is right'
FAR_FROM_OTHERS = '"{text}" was read as {date:%d %b %Y}, years from the plan\'s other dates (around {middle}): check it'
NO_YEAR_GUESSED = '"{text}" has no year: read as {date:%d %b %Y}, the nearest to the plan\'s other dates; check it'
DATE_WITH_WORDS = '"{text}" was read as {date:%d %b %Y}; the words "{note}" are kept with it'
CADENCE_WITH_START = '"{text}" was read as {cadence} from {date:%d %b %Y}: a start, with no target date'
CADENCE_START_UNREAD = '"{text}" was read as {cadence}, with no target date; its start could not be read ({problem})'
CADENCE_START_CONFLICTS = (
    '"{text}" was read as {cadence} from {date:%d %b %Y}, but the start column says "{start}": the start column is kept'
)
STARTS_IN_TARGET = '"{text}" is a start, not a target: read as a start of {date:%d %b %Y}, with no target date'
NUMBER_AS_DATE = "the number {value} was read as the Excel date {date:%d %b %Y}"
NOT_A_DATE_NUMBER = "{value} is a number, not a date"
UNKNOWN_STATUS = (
    '"{text}" is not a status the importer knows (Red, Amber, Green, Blue, Completed, Overdue, ...): '
    "kept as written, action left not started"
)
HIDDEN_ROW = "this row is hidden in Excel; it was imported like the others (delete it from the file to leave it out)"
HIDDEN_COLUMN = (
    'column {letter} ("{header}") is hidden in Excel; it was read as {field}. Choose "Not imported" for it if it '
    "should not be."
)
UNKNOWN_FILL = "no status written, and the colour of the cell's fill could not be read: left not started"
STATUS_FROM_COLOUR = "no status written; the cell is filled {colour}, read as {label}"
MILESTONE_DATES_MISMATCH = "{dates} dates for {milestones} milestones: the dates could not be matched to milestones"
NO_TEXT = "action {ref} has no text (a blank cell, or a formula the file holds no value for); this row was not imported"
NOT_A_REFERENCE = '"{ref}" is not an action\'s reference; this row was not imported'
ANOTHER_TABLE = (
    "another table starts here, with its own header ({headers}); only the table under the header in row {row} "
    "was read. Put the other table on a sheet of its own to import it."
)
ROW_WITHOUT_ACTION = "this row has no action text and was not imported"
TOO_LONG = "{what} is {length} characters long; only the first {limit} were kept"
NO_REF_NUMBERED = "no reference: numbered {ref}"
LETTERED_REF = 'a lettered action "({letter})" was numbered {ref}'

_SECTION = re.compile(
    r"^(?P<kind>areas?\s+for\s+(?:improvement|development)|priority(?:\s+area)?|area|theme|workstream|work\s+stream|"
    r"strand|section)\s*(?P<number>\d+(?:\.\d+)*|[IVX]+)?\s*(?P<separator>[:.\-–—])?\s*(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_AREA_DETAIL = re.compile(
    r"^(?P<kind>outcomes?|objectives?|measured\s+by|measures?\s+of\s+success|success\s+measures?|"
    r"what\s+success\s+looks\s+like)\s*[:\-–]\s*(?P<text>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_SPONSOR_JOINS = re.compile(r"\s*&\s*|\s+and\s+", re.IGNORECASE)
# "1", "2.10", "1a", "LC1", "(a)", "iv": a reference has a digit, or is a few letters; "Target" or "20%" is not.
_REFERENCE = re.compile(r"^(?:[\w.\-/() ]*\d[\w.\-/() ]*|\(?[A-Za-z]{1,4}\)?)$")
# "Starts Jan 2019", "From Jan 2019": a start written where the target goes.
_STARTS = re.compile(r"^(?:starts?|from)\b", re.IGNORECASE)
_LETTER_REF = re.compile(r"^\(?(?P<letter>[a-z])\)\s+(?=\S)")
_LEGEND = re.compile(r"^(?P<abbreviation>[A-Z][A-Za-z]{1,9})\s*[=:–-]\s*(?P<role>[A-Za-z].{2,80})$")
# Past this distance from the middle of a plan's dates a date is probably a typo ("Aug 99" for "Aug 19").
PLAUSIBLE_YEARS = 5
HEADER_SEARCH_COLUMNS = 200
# Field lengths of the models the preview is written to.
LIMITS = {
    "title": 500,
    "ref": 20,
    "date_text": 200,
    "sponsor_text": 300,
    "status_text": 100,
    "lead": 200,
    "area": 300,
    "area_number": 20,
}


@dataclass(frozen=True)
class Problem:
    level: str
    sheet: str
    cell: str  # "C14", or "" for the sheet as a whole
    message: str

    @property
    def where(self):
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass
class ImportedArea:
    title: str
    number: str = ""
    theme: str = ""
    outcome: str = ""
    measured_by: str = ""
    row: int = 0


@dataclass
class ImportedMilestone:
    title: str
    target: PlanDate = field(default_factory=lambda: PlanDate(text=""))


@dataclass
class ImportedAction:
    row: int
    area: str
    theme: str = ""
    ref: str = ""
    ref_given: bool = True  # False when the importer numbered it: matched again by area and title
    text_lines: list = field(default_factory=list)
    milestone_lines: list = field(default_factory=list)
    start: PlanDate = field(default_factory=lambda: PlanDate(text=""))
    target: PlanDate = field(default_factory=lambda: PlanDate(text=""))
    target_lines: list = field(default_factory=list)
    cadence: str = ""  # a plans.rag.Cadence value when the target cell says "Ongoing", "Monthly", ...
    milestone_rows: list = field(default_factory=list)  # (text, target cell, row): milestones on rows of their own
    sponsor_text: str = ""
    sponsor_names: list = field(default_factory=list)
    lead: str = ""
    status: object = None  # ImportedStatus, or None when the plan gives none
    status_text: str = ""
    cells: dict = field(default_factory=dict)  # field -> "C14"
    title: str = ""
    description: str = ""
    sub_items: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def status_label(self):
        return self.status.label if self.status else "Not started"

    @property
    def reported_rag(self):
        """The colour the file reported for the action (a plans.rag.RAG), or None."""
        return RAG(self.status.reported_rag) if self.status and self.status.reported_rag else None

    @property
    def cadence_label(self):
        return Cadence(self.cadence).label if self.cadence else ""


@dataclass
class PlanPreview:
    file_name: str
    sheet: str
    sheet_names: list
    mapping: object  # ColumnMapping
    areas: dict = field(default_factory=dict)  # title -> ImportedArea, in the plan's order
    actions: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    legend_sponsors: dict = field(default_factory=dict)  # abbreviation -> role, from a legend above the table
    rows_read: int = 0

    @property
    def errors(self):
        return [problem for problem in self.problems if problem.level == ERROR]

    @property
    def warnings(self):
        return [problem for problem in self.problems if problem.level == WARNING]


def read_plan(data, *, name="The file", sheet=None, columns=None, known_abbreviations=()):
    """The preview of the plan in `data` (xlsx bytes); raises WorkbookError when nothing can be read.

    `sheet` picks a sheet by name (else the first with a header); `columns` is the admin's choice of
    fields by column letter ({"B": "action"}) replacing what the header names suggested.
    """
    workbook = open_workbook(data, name=name)
    try:
        return _read_workbook(workbook, name, sheet, columns, known_abbreviations, data)
    except WorkbookError:
        raise
    except Exception as error:
        # openpyxl reads lazily: a damaged sheet part fails here, not on opening.
        raise unreadable(error, name=name) from error
    finally:
        workbook.close()


def _read_workbook(workbook, name, sheet, columns, known_abbreviations, data):
    # Chart sheets hold no cells; only worksheets can hold a plan.
    sheet_names = [worksheet.title for worksheet in workbook.worksheets]
    if sheet and sheet not in sheet_names:
        if sheet in workbook.sheetnames:
            raise WorkbookError(CHART_SHEET.format(sheet=sheet, sheets=", ".join(sheet_names)))
        raise WorkbookError(NO_SUCH_SHEET.format(sheet=sheet, name=name, sheets=", ".join(sheet_names)))
    tables = []
    any_rows = False
    for sheet_name in [sheet] if sheet else sheet_names:
        worksheet = workbook[sheet_name]
        mapping, above, has_rows, sub_header = _find_table(worksheet)
        any_rows = any_rows or has_rows
        if mapping is not None:
            tables.append((worksheet, mapping, above, sub_header))
    if not tables:
        if not any_rows and not sheet:
            raise WorkbookError(EMPTY_WORKBOOK.format(name=name))
        searched = [sheet] if sheet else sheet_names
        raise WorkbookError(NO_HEADER.format(sheets=", ".join(f'"{sheet_name}"' for sheet_name in searched)))
    # Workbooks keep legends, old plans and hidden copies beside the plan: the visible sheet whose header
    # names the most columns is taken, and the admin is told which others could have been.
    worksheet, mapping, above, sub_header = max(
        tables, key=lambda table: (table[0].sheet_state == "visible", len(table[1].fields), -tables.index(table))
    )
    header_fields = mapping.fields
    if sub_header:
        mapping = mapping.widened(max(column_index_from_string(letter) for letter in sub_header))
        mapping = mapping.changed({letter: field_for_header(text) for letter, text in sub_header.items()})
    if columns:
        mapping = mapping.changed(columns)
    preview = PlanPreview(file_name=name, sheet=worksheet.title, sheet_names=sheet_names, mapping=mapping)
    if worksheet.sheet_state != "visible":
        preview.problems.append(Problem(WARNING, worksheet.title, "", HIDDEN_SHEET.format(sheet=worksheet.title)))
    others = [f'"{other.title}"' for other, *_ in tables if other is not worksheet]
    if others:
        preview.problems.append(
            Problem(WARNING, worksheet.title, "", OTHER_TABLES.format(sheet=worksheet.title, others=", ".join(others)))
        )
    preview.legend_sponsors = _legend(above)
    abbreviations = set(known_abbreviations) | set(preview.legend_sponsors)
    # Only the header's columns are read below it, whatever width the sheet claims.
    rows = worksheet.iter_rows(min_row=mapping.header_row + 1, max_col=len(mapping.columns))
    reader = _SheetReader(preview, abbreviations)
    reader.header_fields = header_fields
    reader.sub_header_row = mapping.header_row + 1 if sub_header else None
    reader.sub_header = {column_index_from_string(letter) - 1: text for letter, text in sub_header.items()}
    reader.hidden_rows, hidden_columns = hidden_rows_and_columns(data, worksheet)
    for column in mapping.columns:
        if column.field and column.index + 1 in hidden_columns:
            message = HIDDEN_COLUMN.format(letter=column.letter, header=column.header, field=FIELD_LABELS[column.field])
            preview.problems.append(Problem(WARNING, worksheet.title, f"{column.letter}{mapping.header_row}", message))
    reader.theme_colours = theme_colours(getattr(workbook, "loaded_theme", None))
    reader.read(enumerate(rows, start=mapping.header_row + 1))
    return preview


def _find_table(worksheet):
    """(header mapping or None, the rows above the header, whether the sheet has any text) from its first rows."""
    if getattr(worksheet, "max_row", None) is None or worksheet.max_row <= 1:
        # Some writers leave out the sheet's dimension; without it read-only mode stops at row 1.
        worksheet.reset_dimensions()
    above = []
    any_rows = False
    # A sheet can claim 16,384 columns (one formatted cell in XFD is enough): the header is looked for
    # in the first HEADER_SEARCH_COLUMNS only, so that a small file cannot keep the server busy.
    rows = worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS + 1, max_col=HEADER_SEARCH_COLUMNS)
    rows = [_trimmed([cell.value for cell in cells]) for cells in rows]
    for row_number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        if not values:
            above.append([])
            continue
        any_rows = True
        mapping = find_header([(row_number, values)])
        if mapping:
            below = rows[row_number] if row_number < len(rows) else []
            return mapping, above, any_rows, _sub_header(mapping, below)
        above.append(values)
    return None, above, any_rows, {}


def _trimmed(values):
    filled = [index for index, value in enumerate(values) if value not in (None, "")]
    return values[: filled[-1] + 1] if filled else []


def _sub_header(mapping, values):
    """{column letter: text} of a second header row ("Start", "Target" under a merged "Timescales"), or {}.

    Only a row of column names with at least one under a blank header cell (the rest of a merged group) counts.
    """
    filled = [index for index, value in enumerate(values) if value not in (None, "")]
    if not filled or not all(isinstance(values[index], str) and is_column_name(values[index]) for index in filled):
        return {}
    headers = [column.header for column in mapping.columns]
    if not any(index >= len(headers) or not headers[index] for index in filled):
        return {}
    return {get_column_letter(index + 1): _text(values[index]) for index in filled}


def _legend(rows):
    """Sponsor abbreviations a legend above the table spells out ("ADCSC= Assistant Director CSC")."""
    legend = {}
    for values in rows:
        for value in values:
            if isinstance(value, str) and (match := _LEGEND.match(" ".join(value.split()))):
                legend[match.group("abbreviation")] = match.group("role").strip()
    return legend


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return cell_text(value)


class _SheetReader:
    def __init__(self, preview, abbreviations):
        self.preview = preview
        self.mapping = preview.mapping
        self.fields = preview.mapping.fields
        self.abbreviations = abbreviations
        self.area = None
        self.theme = ""
        self.last_action = None
        self.last_detail_target = None
        self.refs = {}
        self.stopped = False
        self.theme_colours = []
        self.hidden_rows = set()
        self.header_fields = {}
        self.sub_header_row = None
        self.sub_header = {}  # column index -> text of a second header row, skipped where pages repeat it
        # The first header cell, to recognise a repeated header without normalising every row.
        first = next(column for column in preview.mapping.columns if column.header)
        self.header_check = (first.index, first.header)

    def starts_like_header(self, values):
        index, header = self.header_check
        value = values[index] if index < len(values) else None
        return isinstance(value, str) and " ".join(value.split()) == header

    def problem(self, level, row, column_field, message, action=None):
        cell = ""
        if row:
            index = self.fields.get(column_field)
            cell = f"{get_column_letter(index + 1)}{row}" if index is not None else f"row {row}"
        problem = Problem(level=level, sheet=self.preview.sheet, cell=cell, message=message)
        self.preview.problems.append(problem)
        if action is not None:
            action.problems.append(problem)
        return problem

    def value(self, values, field_name):
        index = self.fields.get(field_name)
        if index is None or index >= len(values):
            return None
        return values[index]

    def read(self, rows):
        missing = None
        for row_number, cells in rows:
            # openpyxl yields one shared empty tuple for each row missing from the file: a sheet that claims
            # a million rows (a formatted cell in row 1,048,576) costs a check per row, not a read.
            if cells is missing:
                continue
            values = [cell.value for cell in cells]
            if not cells or all(value is None for value in values):
                missing = cells
                continue
            self.preview.rows_read += 1
            self.read_row(row_number, cells, values)
            if self.stopped:
                break
        self.finish()

    def read_row(self, row_number, cells, values):
        filled = [index for index, value in enumerate(values) if _text(value)]
        if not filled or row_number == self.sub_header_row:
            return
        if len(filled) == len(self.sub_header) and {index: _text(values[index]) for index in filled} == self.sub_header:
            return
        if self.starts_like_header(values) and is_repeated_header(values, self.mapping):
            return
        if len(filled) > 1 and self.read_other_header(row_number, values, filled):
            return
        if len(filled) == 1 and self.read_section_row(row_number, filled[0], _text(values[filled[0]])):
            return

        theme_text = _text(self.value(values, THEME))
        if theme_text:
            self.theme = theme_text.split("\n")[0]
        area_text = _text(self.value(values, AREA))
        if area_text:
            self.set_area(area_text, row_number)

        text = _text(self.value(values, ACTION))
        ref_value = self.value(values, REF)
        ref = _text(ref_value).rstrip(".")
        milestone_text = _text(self.value(values, MILESTONES))
        start_value, target_value = self.value(values, START), self.value(values, TARGET)
        has_dates = bool(_text(start_value) or _text(target_value))
        sponsor_text = _text(self.value(values, SPONSOR))
        status_text = _text(self.value(values, STATUS))

        if ref and not _REFERENCE.match(ref):
            self.problem(ERROR, row_number, REF, NOT_A_REFERENCE.format(ref=ref))
            self.last_action = None
            return
        if not ref and text:
            ref, text = split_action_ref(text)
        if not ref and not has_dates and not sponsor_text and not status_text and self.last_action and not area_text:
            # Text that runs on from the action above (a cell split by a page break, or a pasted paragraph).
            if text:
                self.last_action.text_lines.append(text)
            if milestone_text:
                self.last_action.milestone_lines.append(milestone_text)
            return
        if not text and not ref:
            if milestone_text and self.last_action:
                # A milestone on its own row, under its action, with its own date.
                self.last_action.milestone_rows.append((milestone_text, target_value, row_number))
                return
            if area_text and not has_dates and not sponsor_text:
                return  # an area named on a row of its own
            self.problem(WARNING, row_number, ACTION, ROW_WITHOUT_ACTION)
            return

        action = ImportedAction(row=row_number, area=self.current_area(row_number), theme=self.area_theme())
        action.ref = ref
        action.text_lines = [text] if text else []
        if milestone_text:
            action.milestone_lines.append(milestone_text)
        action.sponsor_text = sponsor_text
        action.lead = _text(self.value(values, LEAD))
        action.cells = {
            field_name: f"{get_column_letter(index + 1)}{row_number}" for field_name, index in self.fields.items()
        }
        action.start = self.read_date(start_value, action, START, period_end=False)
        action.target_lines = [(target_value, row_number)]
        self.read_status_cell(action, status_text, cells, row_number)
        if ref in self.refs:
            first = self.refs[ref]
            self.problem(
                ERROR, row_number, REF if REF in self.fields else ACTION, DUPLICATE_REF.format(ref=ref, first=first)
            )
            self.last_action = None
            return
        if ref:
            self.refs[ref] = row_number
        if row_number in self.hidden_rows:
            self.problem(WARNING, row_number, REF if REF in self.fields else ACTION, HIDDEN_ROW, action)
        self.preview.actions.append(action)
        self.last_action = action

    def read_other_header(self, row_number, values, filled):
        """A header row further down: the header again in another form (skipped), or a second table (the end)."""
        # Only a row of nothing but column names is a header: data such as "Action 30" or "From Jan 2019"
        # starts like a column name too.
        if not all(isinstance(values[index], str) and is_column_name(values[index]) for index in filled):
            return False
        other = find_header([(1, values)])
        if other is None:
            return False
        if other.fields.items() <= self.fields.items() or other.fields.items() <= self.header_fields.items():
            return True  # the same columns, some written differently or left blank on a later page
        headers = ", ".join(f'"{_text(values[index])}"' for index in filled)
        self.preview.problems.append(
            Problem(
                WARNING,
                self.preview.sheet,
                f"{get_column_letter(filled[0] + 1)}{row_number}",
                ANOTHER_TABLE.format(headers=headers, row=self.mapping.header_row),
            )
        )
        self.stopped = True
        return True

    def read_section_row(self, row_number, index, text):
        """A row with text in one cell only: a section heading, an area's outcome, or nothing special."""
        if index not in (self.mapping.first_index, self.fields.get(AREA)):
            return False
        detail = _AREA_DETAIL.match(text)
        if detail and self.last_detail_target is not None:
            kind = detail.group("kind").lower()
            attribute = "outcome" if kind.startswith(("outcome", "objective", "what")) else "measured_by"
            current = getattr(self.last_detail_target, attribute)
            setattr(self.last_detail_target, attribute, f"{current}\n{detail.group('text').strip()}".strip())
            return True
        section = _SECTION.match(text)
        is_heading = bool(section and (section.group("number") or section.group("separator")))
        if index == self.fields.get(ACTION) and not (is_heading or _looks_like_heading(text)):
            return False
        if index == self.fields.get(REF) and split_action_ref(text + " x")[0]:
            return False
        if is_heading and section.group("kind").lower().startswith("theme"):
            self.theme = section.group("title").strip() or text
            if AREA in self.fields:
                return True
        self.set_area(text, row_number)
        self.last_action = None
        return True

    def set_area(self, text, row_number):
        first_line, _, rest = text.partition("\n")
        number, title = "", first_line.strip()
        section = _SECTION.match(first_line)
        if section and (section.group("number") or section.group("separator")) and section.group("title").strip():
            number, title = section.group("number") or "", section.group("title").strip()
        else:
            ref, rest_of_line = split_action_ref(first_line)
            if ref and rest_of_line:
                number, title = ref, rest_of_line
        if len(number) > LIMITS["area_number"]:
            # "20180930 Ofsted visit" or a long run of digits is not an area's number: keep the line whole.
            number, title = "", first_line.strip()
        title = title.rstrip(":").strip()
        if len(title) > LIMITS["area"]:
            self.problem(
                WARNING,
                row_number,
                AREA,
                FIELD_LABELS,
                TOO_LONG.format(what="The area name", length=len(title), limit=LIMITS["area"]),
            )
            title = title[: LIMITS["area"]]
        area = self.preview.areas.get(title)
        if area is None:
            area = ImportedArea(title=title, number=number, theme=self.theme, outcome=rest.strip(), row=row_number)
            self.preview.areas[title] = area
        self.area = area
        self.last_detail_target = area

    def current_area(self, row_number):
        if self.area is None:
            self.preview.problems.append(
                Problem(level=WARNING, sheet=self.preview.sheet, cell="", message=NO_AREA.format(area=DEFAULT_AREA))
            )
            self.area = ImportedArea(title=DEFAULT_AREA, row=row_number)
            self.preview.areas[DEFAULT_AREA] = self.area
        return self.area.title

    def area_theme(self):
        return self.area.theme if self.area else self.theme

    def read_date(self, value, action, field_name, *, period_end, row=None):
        row = row or action.row
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer() and 1990 <= value <= 2100:
                # A year typed into Excel is a number: read as the year, as the text "2019" is.
                value = str(int(value))
            elif 20000 < value < 80000:
                date = from_excel(value).date()
                self.problem(WARNING, row, field_name, NUMBER_AS_DATE.format(value=value, date=date), action)
                return PlanDate(text=_text(value), date=date, precision="day")
            else:
                self.problem(WARNING, row, field_name, NOT_A_DATE_NUMBER.format(value=_text(value)), action)
                return PlanDate(text=_text(value), problem="not a date")
        if isinstance(value, str):
            value = cell_text(value)
        parsed = parse_plan_date(value, period_end=period_end)
        if len(parsed.text) > LIMITS["date_text"]:
            self.problem(
                WARNING,
                row,
                field_name,
                TOO_LONG.format(what="The date", length=len(parsed.text), limit=LIMITS["date_text"]),
                action,
            )
            parsed = PlanDate(
                text=parsed.text[: LIMITS["date_text"]],
                date=parsed.date,
                precision=parsed.precision,
                problem=parsed.problem,
                note=parsed.note,
            )
        if parsed.problem and "has no year" not in parsed.problem:
            self.problem(WARNING, row, field_name, parsed.problem, action)
        elif parsed.date and parsed.note and re.match(r"^(starts?|from)$", parsed.note, re.IGNORECASE):
            pass  # "Starts Jan 2019": a start date (read_targets moves one found in the target column)
        elif parsed.date and parsed.note:
            self.problem(
                WARNING,
                row,
                field_name,
                DATE_WITH_WORDS.format(text=parsed.text, date=parsed.date, note=parsed.note),
                action,
            )
        return parsed

    def read_status_cell(self, action, status_text, cells, row_number):
        index = self.fields.get(STATUS)
        cell = cells[index] if index is not None and index < len(cells) else None
        if status_text:
            action.status_text = status_text[: LIMITS["status_text"]]
            action.status = read_status(status_text)
            if action.status.understood and not action.status.reported_rag and cell is not None:
                # A legend's words ("On track to complete within timescale") on a coloured fill: the fill is
                # the colour reported.
                action.status = read_status(
                    status_text, colour_of_fill(getattr(cell, "fill", None), self.theme_colours)
                )
            if not action.status.understood:
                self.problem(WARNING, row_number, STATUS, UNKNOWN_STATUS.format(text=status_text), action)
            return
        if cell is None:
            return
        fill = getattr(cell, "fill", None)
        colour = colour_of_fill(fill, self.theme_colours)
        themed = fill is not None and fill.fill_type == "solid" and fill.fgColor.type == "theme"
        if themed and not colour and (fill.fgColor.theme or 0) >= len(self.theme_colours):
            self.problem(WARNING, row_number, STATUS, UNKNOWN_FILL, action)
        if colour:
            action.status = read_status(colour)
            self.problem(
                WARNING, row_number, STATUS, STATUS_FROM_COLOUR.format(colour=colour, label=action.status.label), action
            )

    def finish(self):
        if not self.preview.actions:
            self.preview.problems.append(
                Problem(ERROR, self.preview.sheet, "", NO_ACTIONS.format(row=self.mapping.header_row))
            )
            return
        for action in self.preview.actions:
            self.finish_action(action)
        self.check_dates()
        self.number_refless()

    def finish_action(self, action):
        lines = "\n".join(action.text_lines).split("\n")
        intro_lines = [line for index, line in enumerate(lines) if index == 0 or not is_bullet_line(line)]
        bullet_lines = [line for index, line in enumerate(lines) if index and is_bullet_line(line)]
        intro, items = split_lettered_items("\n".join(intro_lines))
        action.description = intro
        action.sub_items = [{"letter": letter, "text": text} for letter, text in items]
        title = intro or (items[0][1] if items else "")
        if len(title) > LIMITS["title"]:
            self.problem(
                WARNING,
                action.row,
                ACTION,
                TOO_LONG.format(what="The action's text", length=len(title), limit=LIMITS["title"])
                + " as its title; the whole text is its description",
                action,
            )
        action.title = title[: LIMITS["title"]]
        if not action.title:
            self.problem(ERROR, action.row, ACTION, NO_TEXT.format(ref=action.ref), action)
        milestone_titles = [item for text in action.milestone_lines for item in split_lines(text)]
        if not milestone_titles and bullet_lines:
            milestone_titles = split_lines("\n".join(bullet_lines))
        self.read_targets(action, milestone_titles)
        for text, target_value, row in action.milestone_rows:
            for title in split_lines(text):
                target = self.read_date(target_value, action, TARGET, period_end=True, row=row)
                action.milestones.append(ImportedMilestone(title=title, target=target))
        # Plans join sponsors with "&" and "and" too ("ADCSC & HFS"); new names are listed for the admin to check.
        names = split_sponsors(_SPONSOR_JOINS.sub("/", action.sponsor_text), self.abbreviations)
        action.sponsor_names = [name[: LIMITS["sponsor_text"]] for name in names]
        action.sponsor_text = action.sponsor_text[: LIMITS["sponsor_text"]]
        action.lead = action.lead[: LIMITS["lead"]]
        if action.start.date and action.target.date and action.start.date > action.target.date:
            self.problem(
                WARNING,
                action.row,
                START,
                START_AFTER_TARGET.format(start=action.start.text, target=action.target.text),
                action,
            )

    def read_targets(self, action, milestone_titles):
        """The action's target, and each milestone's when the target cell holds one date per milestone."""
        dates = []
        for value, row in action.target_lines:
            if isinstance(value, str) and len(split_lines(value)) > 1:
                dates.extend((line, row) for line in split_lines(value))
            elif _text(value):
                dates.append((value, row))
        if len(dates) == 1 and self.read_cadence(action, *dates[0]):
            action.milestones = [ImportedMilestone(title=title) for title in milestone_titles]
            return
        per_milestone = len(milestone_titles) > 1 and len(dates) == len(milestone_titles)
        if per_milestone or len(dates) <= 1:
            parsed = [self.read_date(value, action, TARGET, period_end=True, row=row) for value, row in dates]
        else:
            parsed = []
            self.problem(
                WARNING,
                action.row,
                TARGET,
                MILESTONE_DATES_MISMATCH.format(dates=len(dates), milestones=len(milestone_titles)),
                action,
            )
        action.milestones = [
            ImportedMilestone(title=title, target=parsed[index] if per_milestone else PlanDate(text=""))
            for index, title in enumerate(milestone_titles)
        ]
        understood = [date for date in parsed if date.date]
        if len(parsed) == 1:
            action.target = parsed[0]
        elif understood:
            latest = max(understood, key=lambda date: date.date)
            action.target = PlanDate(
                text="; ".join(date.text for date in parsed)[: LIMITS["date_text"]],
                date=latest.date,
                precision=latest.precision,
            )
        elif dates:
            action.target = PlanDate(text="; ".join(_text(value) for value, _ in dates)[: LIMITS["date_text"]])
        note = action.target.note
        if action.target.date and note and _STARTS.match(note) and not action.start.text:
            start = parse_plan_date(action.target.text, period_end=False)
            message = STARTS_IN_TARGET.format(text=action.target.text, date=start.date)
            self.problem(WARNING, action.row, TARGET, message, action)
            action.start = PlanDate(
                text=action.target.text, date=start.date, precision=start.precision, note=start.note
            )
            action.target = PlanDate(text="")

    def read_cadence(self, action, value, row):
        """A target cell naming ongoing or recurring work: the action's cadence, and its start where written."""
        cadence = read_cadence(cell_text(value) if isinstance(value, str) else value)
        if cadence is None:
            return False
        text = cell_text(value)[: LIMITS["date_text"]]
        action.cadence = cadence.cadence
        action.target = PlanDate(text=text, note=text)
        label = Cadence(cadence.cadence).label.lower()
        start = cadence.start
        if start.date and action.start.text and action.start.date != start.date:
            message = CADENCE_START_CONFLICTS.format(text=text, cadence=label, date=start.date, start=action.start.text)
            self.problem(WARNING, row, TARGET, message, action)
        elif start.date:
            self.problem(
                WARNING, row, TARGET, CADENCE_WITH_START.format(text=text, cadence=label, date=start.date), action
            )
            if not action.start.text:
                action.start = PlanDate(text=text, date=start.date, precision=start.precision, note=start.note)
        elif start.problem:
            message = CADENCE_START_UNREAD.format(text=text, cadence=label, problem=start.problem)
            self.problem(WARNING, row, TARGET, message, action)
        return True

    def all_dates(self):
        for action in self.preview.actions:
            yield action, START, "start", action.start
            yield action, TARGET, "target", action.target
            for index, milestone in enumerate(action.milestones):
                yield milestone, TARGET, ("milestone", action, index), milestone.target

    def check_dates(self):
        """Dates far from all the others, and dates with no year, checked against the middle of the plan."""
        known = sorted(date.date for *_, date in self.all_dates() if date.date)
        if not known:
            return
        middle = statistics.median_low(known)
        for owner, field_name, attribute, date in list(self.all_dates()):
            action = owner if isinstance(owner, ImportedAction) else attribute[1]
            if date.date and abs(date.date.year - middle.year) > PLAUSIBLE_YEARS:
                self.problem(
                    WARNING,
                    action.row,
                    field_name,
                    FAR_FROM_OTHERS.format(text=date.text, date=date.date, middle=middle.year),
                    action,
                )
            elif not date.date and "has no year" in (date.problem or ""):
                guessed = _nearest_year(date, middle, period_end=field_name == TARGET)
                if guessed is None:
                    self.problem(WARNING, action.row, field_name, date.problem, action)
                    continue
                self.problem(
                    WARNING, action.row, field_name, NO_YEAR_GUESSED.format(text=date.text, date=guessed.date), action
                )
                if isinstance(owner, ImportedMilestone):
                    owner.target = guessed
                else:
                    setattr(owner, attribute, guessed)

    def number_refless(self):
        """Actions without a reference get one, so that every action can be named; re-imports match them by title."""
        counts = {}
        for action in self.preview.actions:
            if action.ref:
                continue
            area = self.preview.areas[action.area]
            prefix = area.number or str(list(self.preview.areas).index(action.area) + 1)
            counts[prefix] = counts.get(prefix, 0) + 1
            ref = f"{prefix}.{counts[prefix]}"
            while ref in self.refs:
                counts[prefix] += 1
                ref = f"{prefix}.{counts[prefix]}"
            action.ref, action.ref_given = ref, False
            self.refs[ref] = action.row
            match = _LETTER_REF.match(action.title)
            message = (
                LETTERED_REF.format(letter=match.group("letter"), ref=ref) if match else NO_REF_NUMBERED.format(ref=ref)
            )
            self.problem(WARNING, action.row, REF if REF in self.fields else ACTION, message, action)
        for action in self.preview.actions:
            if len(action.ref) > LIMITS["ref"]:
                self.problem(
                    ERROR,
                    action.row,
                    REF,
                    TOO_LONG.format(what="The reference", length=len(action.ref), limit=LIMITS["ref"]),
                    action,
                )
                action.ref = action.ref[: LIMITS["ref"]]


def _looks_like_heading(text):
    letters = [character for character in text if character.isalpha()]
    return len(text.split()) >= 2 and len(letters) >= 4 and all(character.isupper() for character in letters)


def _nearest_year(date, middle, *, period_end):
    candidates = []
    for year in (middle.year - 1, middle.year, middle.year + 1):
        parsed = parse_plan_date(f"{date.text} {year}", period_end=period_end)
        if parsed.date:
            candidates.append(parsed)
    if not candidates:
        return None
    best = min(candidates, key=lambda parsed: abs((parsed.date - middle).days))
    return PlanDate(text=date.text, date=best.date, precision=best.precision, note=best.note)
