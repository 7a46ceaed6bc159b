"""Reads a plan's workbook into a preview: areas, actions, milestones and every problem with its sheet and cell.

Nothing here touches the database: the preview is shown to the admin (or printed by the command) and
`plans.importing.writes.plan_import` writes it. The sheet and its header are chosen in `sheets`, the rows
read in `rows`, and the actions finished (targets, milestones, dates checked, references given) in `actions`.
"""

from collections.abc import Iterable

from openpyxl.utils import column_index_from_string
from openpyxl.workbook.workbook import Workbook

from common.heap import collector_paused
from common.spreadsheets import WARNING, Budget, Problem, ReadLimits, WorkbookError, open_workbook, unreadable
from common.spreadsheets.cells import CUT_SHORT
from common.spreadsheets.opening import FILE_ERRORS
from common.spreadsheets.stream import SheetRows

from .actions import finish_actions
from .columns import FIELD_LABELS
from .messages import HIDDEN_COLUMN, HIDDEN_SHEET, OTHER_TABLES
from .preview import HEADING, PlanPreview
from .rows import RowReader
from .sheets import HEADER_SEARCH_COLUMNS, choose_table
from .surroundings import Surroundings, read_outcome_lists
from .values import theme_colours

# A plan of 100,000 actions is read (and shown a page at a time); the columns are the header's.
LIMITS = ReadLimits(max_rows=200_000, max_columns=HEADER_SEARCH_COLUMNS, max_cells=3_000_000)


def read_plan(
    data: bytes,
    *,
    name: str = "The file",
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
    known_abbreviations: Iterable[str] = (),
) -> PlanPreview:
    """The preview of the plan in `data` (xlsx bytes); raises WorkbookError when nothing can be read.

    `sheet` picks a sheet by name (else the first with a header); `columns` is the admin's choice of
    fields by column letter ({"B": "action"}) replacing what the header names suggested.
    """
    workbook = open_workbook(data, name=name)
    try:
        with collector_paused():
            return _read_workbook(workbook, name=name, sheet=sheet, columns=columns, known=known_abbreviations)
    except WorkbookError:
        raise
    except FILE_ERRORS as error:
        # openpyxl reads lazily: a damaged sheet part fails here, not on opening. Any other error is a bug.
        raise unreadable(error, name=name) from error
    finally:
        workbook.close()


def _read_workbook(
    workbook: Workbook,
    *,
    name: str,
    sheet: str | None,
    columns: dict[str, str] | None,
    known: Iterable[str],
) -> PlanPreview:
    table = choose_table(workbook, name=name, sheet=sheet)
    worksheet, mapping = table.worksheet, table.mapping
    if columns:
        mapping = mapping.changed(columns)
    preview = PlanPreview(
        file_name=name,
        sheet=worksheet.title,
        sheet_names=table.sheet_names,
        mapping=mapping,
        legend_sponsors=table.legend,
    )
    if worksheet.sheet_state != "visible":
        preview.problems.append(Problem(WARNING, worksheet.title, "", HIDDEN_SHEET.format(sheet=worksheet.title)))
    if table.others:
        others = ", ".join(f'"{other}"' for other in table.others)
        preview.problems.append(
            Problem(WARNING, worksheet.title, "", OTHER_TABLES.format(sheet=worksheet.title, others=others))
        )
    # One pass over the sheet: the rows' values, and as they go by the hidden rows and columns, the cells counted
    # against the limit and how far the sheet goes (which no longer costs a scan of its own first).
    rows = SheetRows(
        worksheet,
        first_row=mapping.header_row + 1,
        max_row=LIMITS.max_rows,
        width=len(mapping.columns),  # only the header's columns, whatever width the sheet claims
        max_cells=LIMITS.max_cells,
        budget=Budget(name=name),
        name=name,
    )
    abbreviations = set(known) | set(preview.legend_sponsors)
    reader = RowReader(
        preview,
        header_fields=table.header_fields,
        sub_header_row=mapping.header_row + 1 if table.sub_header else None,
        sub_header={column_index_from_string(letter) - 1: text for letter, text in table.sub_header.items()},
        hidden_rows=rows.hidden_rows,
        theme_colours=theme_colours(getattr(workbook, "loaded_theme", None)),
        fill=rows.fill,
    )
    # The sheet's warnings come before those of its rows, though the pass that reads the rows finds them.
    sheet_problems_at = len(preview.problems)
    surroundings = Surroundings(reader, table.above)
    surroundings.read_above()
    preview.account(mapping.header_row, HEADING, "the header")
    reader.read(rows)
    sheet_problems = []
    if rows.last_row > LIMITS.max_rows:
        cut = CUT_SHORT.format(rows=LIMITS.max_rows, columns=len(mapping.columns), cell=f"row {rows.last_row}")
        sheet_problems.append(Problem(WARNING, worksheet.title, "", cut))
    for column in mapping.columns:
        if column.field and column.index + 1 in rows.hidden_columns:
            message = HIDDEN_COLUMN.format(letter=column.letter, header=column.header, field=FIELD_LABELS[column.field])
            sheet_problems.append(Problem(WARNING, worksheet.title, f"{column.letter}{mapping.header_row}", message))
    preview.problems[sheet_problems_at:sheet_problems_at] = sheet_problems
    finish_actions(preview, abbreviations=abbreviations)
    read_outcome_lists(preview, table.outcome_lists)
    surroundings.finish()
    return preview
