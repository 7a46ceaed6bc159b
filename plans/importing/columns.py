"""Finds a plan's header row and says which column holds what, from the names councils give their columns."""

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

AREA = "area"
THEME = "theme"
REF = "ref"
ACTION = "action"
MILESTONES = "milestones"
START = "start"
TARGET = "target"
SPONSOR = "sponsor"
LEAD = "lead"
STATUS = "status"
# Fields of the action's area, not of the action: each distinct value joins the area's text.
OBJECTIVES = "objectives"
OUTCOME = "outcome"
MEASURES = "measures"
AREA_DETAILS = {OUTCOME: "outcome", OBJECTIVES: "objectives", MEASURES: "measured_by"}  # field -> ImportedArea's

# In the order the preview lists them; the label is what the admin sees in the column mapping.
FIELD_LABELS = {
    THEME: "Theme",
    AREA: "Area / workstream",
    OBJECTIVES: "Area's objectives",
    OUTCOME: "Area's outcome",
    MEASURES: "Area's measures of success",
    REF: "Reference",
    ACTION: "Action",
    MILESTONES: "Milestones",
    START: "Start date",
    TARGET: "Target date",
    SPONSOR: "Sponsor",
    LEAD: "Delivery lead",
    STATUS: "Status",
}

# Column names seen in real plans, normalised by _normalise (lower case, punctuation as spaces).
SYNONYMS = {
    AREA: [
        "area",
        "areas",
        "workstream",
        "workstreams",
        "work stream",
        "priority",
        "priorities",
        "priority area",
        "area for improvement",
        "areas for improvement",
        "improvement area",
        "area of focus",
        "strand",
    ],
    THEME: ["theme", "themes", "key area", "key areas"],
    OBJECTIVES: ["objective", "objectives", "key objectives", "aims", "aim"],
    OUTCOME: [
        "outcome",
        "outcomes",
        "outcome sought",
        "outcomes sought",
        "intended outcome",
        "intended outcomes",
        "what success looks like",
    ],  # fmt: skip
    MEASURES: [
        "measures of success",
        "measure of success",
        "success measures",
        "measured by",
        "success criteria",
        "how we will measure success",
        "how will we know",
        "measurement of progress",
    ],  # fmt: skip
    REF: ["ref", "reference", "no", "number", "action no", "action number", "action ref", "#", "id", "item"],
    ACTION: [
        "action",
        "actions",
        "key actions milestones",
        "key actions",
        "key action",
        "action milestone",
        "actions milestones",
        "action description",
        "description",
        "what we will do",
        "what will we do",
        "task",
        "tasks",
        "activities",
        "activity",
        "key activities",
    ],
    MILESTONES: ["progress milestones", "milestones", "milestone", "key milestones", "steps"],
    START: ["start", "start date", "starts", "from", "date started"],
    TARGET: [
        "target",
        "target date",
        "target completion date",
        "completion date",
        "by when",
        "timescale",
        "timescales",
        "deadline",
        "due",
        "due date",
        "end date",
        "when",
        "date",
    ],
    SPONSOR: ["sponsor", "sponsors", "sponsor board member", "board sponsor", "executive sponsor", "accountable"],
    LEAD: [
        "lead",
        "leads",
        "delivery lead",
        "owner",
        "action owner",
        "responsible",
        "responsible officer",
        "lead officer",
        "lead person",
        "who",
        "by whom",
    ],
    STATUS: [
        "status",
        "rag",
        "rag status",
        "brag",
        "brag status",
        "rag rating",
        "progress",
        "current status",
        "rating",
    ],
}
# Columns people keep beside the plan that are not fields of an action ("Progress update" is not "Progress").
NOT_FIELDS = ["progress update", "progress to date", "progress made", "update", "comments", "commentary", "notes",
              "evidence", "impact"]  # fmt: skip
_BY_NAME = {name: field_name for field_name, names in SYNONYMS.items() for name in names}
_BY_NAME.update(dict.fromkeys(NOT_FIELDS, ""))
_LONGEST_FIRST = sorted(_BY_NAME, key=len, reverse=True)

# "1", "1.1", "2.10", "3a": a cell of the action column that is an action's number and nothing more.
_SHORT_REFERENCE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[a-z]?\.?$")

# How far down a sheet the header may sit, under titles, legends and logos.
HEADER_SEARCH_ROWS = 40


def _normalise(text):
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", str(text).lower()).split())


def is_column_name(text):
    """Whether a cell is exactly a column name the importer knows ("Target date", "Comments"), no more.

    Stricter than field_for_header: a row of data ("Action 30", "From Jan 2019") is never all column names.
    """
    return _normalise(text) in _BY_NAME


def field_for_header(text):
    """The field a column name stands for ("Target completion date" -> target), or "" when none does."""
    name = _normalise(text)
    if not name or len(name) > 60:
        return ""
    if name in _BY_NAME:
        return _BY_NAME[name]
    # "Target date (month/year)", "Sponsor (Board Member)": a known name followed by more words.
    for known in _LONGEST_FIRST:
        if name.startswith(known + " "):
            return _BY_NAME[known]
    return ""


@dataclass
class Column:
    index: int  # 0-based
    header: str = ""
    field: str = ""

    @property
    def letter(self):
        return get_column_letter(self.index + 1)


@dataclass
class ColumnMapping:
    """The header row found and which column feeds which field."""

    header_row: int  # 1-based, as Excel numbers rows
    columns: list = field(default_factory=list)

    @property
    def fields(self):
        return {column.field: column.index for column in self.columns if column.field}

    @property
    def first_index(self):
        return min((column.index for column in self.columns if column.header), default=0)

    def widened(self, width):
        """A copy with blank columns added up to `width` (a second header row can run past the first)."""
        extra = [Column(index=index) for index in range(len(self.columns), width)]
        return ColumnMapping(header_row=self.header_row, columns=self.columns + extra)

    def changed(self, choices):
        """A copy with the admin's choices applied: {column letter: field or ""}."""
        columns = []
        taken = set()
        for column in self.columns:
            chosen = choices.get(column.letter, column.field)
            if chosen not in FIELD_LABELS or chosen in taken:
                chosen = ""
            taken.add(chosen)
            columns.append(Column(index=column.index, header=column.header, field=chosen))
        return ColumnMapping(header_row=self.header_row, columns=columns)


def map_header(values):
    """Columns of one row with the field each names; the first column to name a field keeps it."""
    columns = []
    taken = set()
    for index, value in enumerate(values):
        header = " ".join(str(value).split()) if value is not None else ""
        field_name = field_for_header(header) if header else ""
        if field_name in taken:
            field_name = ""
        taken.add(field_name)
        columns.append(Column(index=index, header=header, field=field_name))
    fields = {column.field for column in columns}
    # A theme column alone is the plan's areas; beside a workstream or area column it groups them.
    if THEME in fields and AREA not in fields:
        for column in columns:
            if column.field == THEME:
                column.field = AREA
    return columns


def find_header(rows):
    """The first row naming an action column and at least one other known column, or None.

    `rows` yields (row number, values); only the first HEADER_SEARCH_ROWS are looked at.
    """
    for row_number, values in rows:
        if row_number > HEADER_SEARCH_ROWS:
            break
        columns = map_header(values)
        fields = {column.field for column in columns if column.field}
        if ACTION not in fields and REF in fields and len(fields) >= 2:
            # "Ref" over the number and a blank header over the action's text beside it (one merged cell, often).
            beside = next(column.index for column in columns if column.field == REF) + 1
            if beside < len(columns) and not columns[beside].header:
                columns[beside].field = ACTION
                fields.add(ACTION)
        if ACTION in fields and len(fields) >= 2:
            return ColumnMapping(header_row=row_number, columns=columns)
    return None


def reference_beside_text(mapping, rows_below):
    """The mapping with the action column read as references when it holds "1.1", "1.2" and the unlabelled
    column beside it holds the text (a header "Action" merged over both); else the mapping unchanged."""
    fields = mapping.fields
    action = fields.get(ACTION)
    if action is None or REF in fields:
        return mapping
    beside = action + 1
    if beside >= len(mapping.columns) or mapping.columns[beside].header:
        return mapping
    refs = texts = 0
    for values in rows_below:
        left = values[action] if action < len(values) else None
        right = values[beside] if beside < len(values) else None
        if left is None or right is None:
            continue
        left_text = " ".join(str(left).split())
        if _SHORT_REFERENCE.match(left_text):
            refs += 1
        if isinstance(right, str) and len(right.split()) >= 3:
            texts += 1
    if refs < 2 or texts < 2:
        return mapping
    letters = {mapping.columns[action].letter: REF, mapping.columns[beside].letter: ACTION}
    return mapping.changed({column.letter: letters.get(column.letter, column.field) for column in mapping.columns})


def is_repeated_header(values, mapping):
    """A row that repeats the header (printed plans repeat it on every page)."""
    matches = 0
    for column in mapping.columns:
        if not column.header:
            continue
        value = values[column.index] if column.index < len(values) else None
        if value is None or _normalise(value) != _normalise(column.header):
            return False
        matches += 1
    return matches > 0
