"""What the plan importer tells the admin, as module constants that tests import, and the refusal that carries one."""

# Reading the workbook: the sheet and its header.
NO_HEADER = (
    'No header row found in the first rows of {sheets}: the importer looks for a column named "Action" '
    '(or "Key actions", "Actions / milestones") beside others such as "Area", "Target date", "Sponsor", "Status".'
)
NO_SUCH_SHEET = 'There is no sheet called "{sheet}" in {name} (sheets: {sheets}).'
EMPTY_WORKBOOK = "{name} has no rows to import."
CHART_SHEET = '"{sheet}" is a chart, not a table of actions (sheets with tables: {sheets}).'
HIDDEN_SHEET = 'The sheet "{sheet}" is hidden in Excel; it was read because no visible sheet has a plan\'s header.'
OTHER_TABLES = 'Read the sheet "{sheet}"; other sheets with a header row: {others}. Choose one to read it instead.'
HIDDEN_COLUMN = (
    'column {letter} ("{header}") is hidden in Excel; it was read as {field}. Choose "Not imported" for it if it '
    "should not be."
)

# Reading the rows under the header.
NO_ACTIONS = "No actions were found under the header in row {row}."
DUPLICATE_REF = "action {ref} appears twice (first in row {first}); this row was not imported"
NO_AREA = 'No area column or section rows: the actions were put in one area, "{area}".'
DEFAULT_AREA = "Actions"
HIDDEN_ROW = "this row is hidden in Excel; it was imported like the others (delete it from the file to leave it out)"
NOT_A_REFERENCE = '"{ref}" is not an action\'s reference; this row was not imported'
ANOTHER_TABLE = (
    "another table starts here, with its own header ({headers}); only the table under the header in row {row} "
    "was read. Put the other table on a sheet of its own to import it."
)
ROW_WITHOUT_ACTION = "this row has no action text and was not imported"
AFTER_ANOTHER_TABLE = "in another table (its header is in row {row}), not read"
NO_HOME_FOR_DETAIL = "an outcome, objective or measure with no area or theme above it to hold it; not imported"
ABOVE_THE_TABLE = "above the table: a title, legend or note"
NO_SUCH_AREA = 'names no area or theme of the plan ("{name}"); not imported'
ACTION_NOT_IMPORTED = "the action here is not imported: {reason}"
PART_NOT_IMPORTED = "part of the action in row {row}, which is not imported"
TOO_LONG = "{what} is {length} characters long; only the first {limit} were kept"

# Reading an action's cells: dates, statuses, text, references.
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
UNKNOWN_FILL = "no status written, and the colour of the cell's fill could not be read: left not started"
STATUS_FROM_COLOUR = "no status written; the cell is filled {colour}, read as {label}"
MILESTONE_DATES_MISMATCH = "{dates} dates for {milestones} milestones: the dates could not be matched to milestones"
NO_TEXT = "action {ref} has no text (a blank cell, or a formula the file holds no value for); this row was not imported"
NO_REF_NUMBERED = "no reference: numbered {ref}"
LETTERED_REF = 'a lettered action "({letter})" was numbered {ref}'

# Comparing with the tracker and writing.
INVALID_PLAN = "The plan cannot be saved: {problems}"
NOTHING_TO_IMPORT = "Nothing in the file could be imported: no action was read without an error."
TARGET_MOVED_BY_IMPORT = "Target date changed in the spreadsheet {file_name}, imported by {user}."
NEW_SPONSORS = "New sponsors will be created: {names}. Check the spelling if any should be an existing sponsor."
NEW_PEOPLE = (
    "New people will be created as leads: {names}. Any that is someone already in the tracker under another "
    "spelling can be merged with them on the People page after the import."
)
SHARED_NAMES = (
    "More than one person in the tracker is named {names}: the import does not choose between them; "
    "name the lead on the action page or merge the people if they are one."
)
POSITION_DATE_IN_FUTURE = (
    "The position date {date:%-d %b %Y} is in the future: a file can say where actions stood up to today, not later."
)
KEPT_NEWER = (
    "{count} actions were updated in the tracker after {date:%-d %b %Y}: the file's position joins their history "
    "but does not replace their current state"
)
KEPT_NEWER_ONE = (
    "1 action was updated in the tracker after {date:%-d %b %Y}: the file's position joins its history "
    "but does not replace its current state"
)


class ImportRefused(Exception):
    """The import cannot be applied; nothing was written."""
