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

# In the order the preview lists them; the label is what the admin sees in the column mapping.
FIELD_LABELS = {
    THEME: "Theme",
    AREA: "Area / workstream",
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
    THEME: ["theme", "themes"],
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
              "evidence", "outcome", "outcomes", "measures of success", "impact"]  # fmt: skip
_BY_NAME = {name: field_name for field_name, names in SYNONYMS.items() for name in names}
_BY_NAME.update(dict.fromkeys(NOT_FIELDS, ""))
_LONGEST_FIRST = sorted(_BY_NAME, key=len, reverse=True)

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
        if ACTION in fields and len(fields) >= 2:
            return ColumnMapping(header_row=row_number, columns=columns)
    return None


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
