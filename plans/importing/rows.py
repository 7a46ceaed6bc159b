"""Reads the rows under a plan's header: areas and sections, actions and the rows that run on from them."""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from common.spreadsheets import ERROR, WARNING, Problem
from common.spreadsheets.cells import CellValue

from .actions import read_date
from .blocks import SECTION, BlockRows
from .cells import split_action_ref
from .columns import (
    ACTION,
    AREA,
    LEAD,
    MILESTONES,
    REF,
    SPONSOR,
    START,
    STATUS,
    TARGET,
    THEME,
    find_header,
    is_column_name,
    is_repeated_header,
)
from .details import add_text, described, read_detail
from .messages import (
    AFTER_ANOTHER_TABLE,
    ANOTHER_TABLE,
    DEFAULT_AREA,
    DUPLICATE_REF,
    HIDDEN_ROW,
    NO_AREA,
    NOT_A_REFERENCE,
    ROW_WITHOUT_ACTION,
    STATUS_FROM_COLOUR,
    TOO_LONG,
    UNKNOWN_FILL,
    UNKNOWN_STATUS,
)
from .preview import (
    HEADING,
    IMPORTED,
    LIMITS,
    MERGED,
    PART_OF_ACTION,
    SKIPPED,
    ImportedAction,
    ImportedArea,
    ImportedTheme,
    PlanPreview,
)
from .values import colour_of_fill, read_status, value_text

# "1", "2.10", "1a", "LC1", "(a)", "iv": a reference has a digit, or is a few letters; "Target" or "20%" is not.
_REFERENCE = re.compile(r"^(?:[\w.\-/() ]*\d[\w.\-/() ]*|\(?[A-Za-z]{1,4}\)?)$")


class RowCells(NamedTuple):
    """What the reader keeps of a row's cells besides their values: computed once, read by every rule."""

    styles: list[int]  # style ids, whose fills a status cell may be coloured with
    texts: list[str]  # each cell's value as text, tidied (values.value_text)
    filled: list[int]  # indexes of the cells with text


class RowReader(BlockRows):
    """Reads rows into `preview`: its areas and actions, and the problems of each row."""

    def __init__(
        self,
        preview: PlanPreview,
        *,
        header_fields: dict[str, int],
        sub_header_row: int | None = None,
        sub_header: dict[int, str] | None = None,
        hidden_rows: set[int] | None = None,
        theme_colours: Sequence[str] = (),
        fill: Callable[[int], object] | None = None,
    ):
        self.preview = preview
        self.mapping = preview.mapping
        self.fields = preview.fields
        self.header_fields = header_fields  # as the first header row alone names the columns
        self.sub_header_row = sub_header_row
        self.sub_header = sub_header or {}  # column index -> text of a second header row, skipped where pages repeat it
        # The same set the sheet's rows fill as they are read (SheetRows), so not replaced when still empty.
        self.hidden_rows = hidden_rows if hidden_rows is not None else set()
        self.theme_colours = theme_colours
        self.fill = fill or (lambda style: None)  # the fill of a style id (SheetRows.fill)
        self.letters = {field_name: get_column_letter(index + 1) for field_name, index in self.fields.items()}
        self.area: ImportedArea | None = None
        self.theme = ""
        self.last_action: ImportedAction | None = None
        # Where an "Outcome:" or "Measures of success" row goes: the area or theme of the heading above it.
        self.heading_target: ImportedArea | ImportedTheme | None = None
        self.block: tuple[ImportedArea | ImportedTheme, str] | None = None  # a heading's list, one row per item
        self.pending: tuple[int, RowCells, list[CellValue]] | None = None  # a title row, until the next row
        self.block_titles = 0  # title rows standing over a repeat of the header
        self.refs: dict[str, int] = {}  # reference -> row
        self.stopped = 0  # the row of another table's header, which ends this one
        # The first header cell, to recognise a repeated header without normalising every row.
        first = next(column for column in preview.mapping.columns if column.header)
        self.header_check = (first.index, first.header)

    def read(self, rows: Iterable[tuple[int, list[CellValue], list[int]]]) -> None:
        """Reads (row number, values, style ids) as common.spreadsheets.stream.SheetRows gives them."""
        for row_number, values, styles in rows:
            if all(value is None for value in values):
                continue
            self.preview.rows_read += 1
            if self.stopped:
                # Still counted, so that every row of the file is accounted for.
                self.preview.account(row_number, SKIPPED, AFTER_ANOTHER_TABLE.format(row=self.stopped))
                continue
            # Each cell's text is tidied once, here; everything below reads these.
            texts = [value_text(value) for value in values]
            filled = [index for index, text in enumerate(texts) if text]
            if self.pending is not None:
                pending, self.pending = self.pending, None
                if filled and self.repeats_header(values, filled):
                    title_row = pending[1]
                    self.read_block_title(pending[0], title_row.texts[title_row.filled[0]])
                else:
                    self.read_row(*pending)
            if len(filled) == 1 and isinstance(values[filled[0]], str) and not self.stopped:
                # A title standing alone over a repeat of the header names the block under it: wait and see.
                self.pending = (row_number, RowCells(styles, texts, filled), values)
                continue
            if self.stopped:
                self.preview.account(row_number, SKIPPED, AFTER_ANOTHER_TABLE.format(row=self.stopped))
                continue
            self.read_row(row_number, RowCells(styles, texts, filled), values)
        if self.pending is not None:
            self.read_row(*self.pending)
            self.pending = None

    def starts_like_header(self, values: list[CellValue]) -> bool:
        index, header = self.header_check
        value = values[index] if index < len(values) else None
        return isinstance(value, str) and " ".join(value.split()) == header

    def problem(
        self, level: str, row: int, column_field: str, message: str, action: ImportedAction | None = None
    ) -> Problem:
        return self.preview.add_problem(level, row, column_field, message, action)

    def text(self, texts: list[str], field_name: str) -> str:
        """The tidied text of the row's cell read as `field_name`; "" when the file has no such column."""
        index = self.fields.get(field_name)
        if index is None or index >= len(texts):
            return ""
        return texts[index]

    def value(self, values: list[CellValue], field_name: str) -> CellValue:
        index = self.fields.get(field_name)
        if index is None or index >= len(values):
            return None
        return values[index]

    def read_row(self, row_number: int, cells: "RowCells", values: list[CellValue]) -> None:
        texts, filled = cells.texts, cells.filled
        if not filled:
            return
        account = self.preview.account
        if row_number == self.sub_header_row or (
            len(filled) == len(self.sub_header) and {index: texts[index] for index in filled} == self.sub_header
        ):
            account(row_number, HEADING, "the header's second row")
            return
        if len(filled) > 1:
            self.block = None  # a list under a heading ends at the next row of several cells
        if self.starts_like_header(values) and is_repeated_header(values, self.mapping):
            account(row_number, HEADING, "the header, repeated")
            return
        if len(filled) > 1 and self.read_other_header(row_number, values, filled):
            return
        if len(filled) == 1 and self.read_section_row(row_number, filled[0], texts[filled[0]]):
            return
        if len(filled) == 2 and self.read_label_row(row_number, values, filled):
            return

        theme_text = self.text(texts, THEME)
        if theme_text:
            self.set_theme(theme_text.split("\n")[0], row_number)
        area_text = self.text(texts, AREA)
        if area_text:
            self.set_area(area_text, row_number)
        merged = self.read_area_details(texts, row_number)

        text = self.text(texts, ACTION)
        ref = self.text(texts, REF).rstrip(".")
        milestone_text = self.text(texts, MILESTONES)
        start_value, target_value = self.value(values, START), self.value(values, TARGET)
        has_dates = bool(self.text(texts, START) or self.text(texts, TARGET))
        sponsor_text = self.text(texts, SPONSOR)
        status_text = self.text(texts, STATUS)

        if ref and not _REFERENCE.match(ref):
            self.problem(ERROR, row_number, REF, NOT_A_REFERENCE.format(ref=ref))
            account(row_number, SKIPPED, NOT_A_REFERENCE.format(ref=ref))
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
            if text or milestone_text:
                account(row_number, PART_OF_ACTION, f"runs on from the action in row {self.last_action.row}")
            else:
                account(row_number, MERGED, merged or "nothing to read")
            return
        if not text and not ref:
            if milestone_text and self.last_action:
                # A milestone on its own row, under its action, with its own date.
                self.last_action.milestone_rows.append((milestone_text, target_value, row_number))
                account(row_number, PART_OF_ACTION, f"a milestone of the action in row {self.last_action.row}")
                return
            if area_text and not has_dates and not sponsor_text:
                # An area named on a row of its own.
                account(row_number, MERGED if merged else HEADING, merged or f'area "{self.area.title}"')
                return
            if merged and not has_dates and not sponsor_text and not status_text:
                account(row_number, MERGED, merged)
                return
            self.problem(WARNING, row_number, ACTION, ROW_WITHOUT_ACTION)
            account(row_number, SKIPPED, ROW_WITHOUT_ACTION)
            return

        action = ImportedAction(
            row=row_number,
            area=self.current_area(row_number),
            theme=self.area_theme(),
            ref=ref,
            text_lines=[text] if text else [],
            milestone_lines=[milestone_text] if milestone_text else [],
            sponsor_text=sponsor_text,
            lead=self.text(texts, LEAD),
            cells={field_name: f"{letter}{row_number}" for field_name, letter in self.letters.items()},
            target_lines=[(target_value, row_number)],
        )
        action.start = read_date(self.preview, start_value, action, START, period_end=False)
        self.read_status_cell(action, status_text, cells.styles, row_number)
        if ref in self.refs:
            first = self.refs[ref]
            self.problem(
                ERROR, row_number, REF if REF in self.fields else ACTION, DUPLICATE_REF.format(ref=ref, first=first)
            )
            account(row_number, SKIPPED, DUPLICATE_REF.format(ref=ref, first=first))
            self.last_action = None
            return
        if ref:
            self.refs[ref] = row_number
        if row_number in self.hidden_rows:
            self.problem(WARNING, row_number, REF if REF in self.fields else ACTION, HIDDEN_ROW, action)
        self.preview.actions.append(action)
        account(row_number, IMPORTED, "an action")  # its reference is given once the actions are finished
        self.last_action = action

    def read_other_header(self, row_number: int, values: list[CellValue], filled: list[int]) -> bool:
        """A header row further down: the header again in another form (skipped), or a second table (the end)."""
        # Only a row of nothing but column names is a header: data such as "Action 30" or "From Jan 2019"
        # starts like a column name too.
        if not all(isinstance(values[index], str) and is_column_name(values[index]) for index in filled):
            return False
        other = find_header([(1, values)])
        if other is None:
            return False
        if other.fields.items() <= self.fields.items() or other.fields.items() <= self.header_fields.items():
            # The same columns, some written differently or left blank on a later page.
            self.preview.account(row_number, HEADING, "the header, repeated")
            return True
        headers = ", ".join(f'"{value_text(values[index])}"' for index in filled)
        self.preview.problems.append(
            Problem(
                WARNING,
                self.preview.sheet,
                f"{get_column_letter(filled[0] + 1)}{row_number}",
                ANOTHER_TABLE.format(headers=headers, row=self.mapping.header_row),
            )
        )
        self.preview.account(row_number, SKIPPED, AFTER_ANOTHER_TABLE.format(row=row_number))
        self.stopped = row_number
        return True

    def read_section_row(self, row_number: int, index: int, text: str) -> bool:
        """A row with text in one cell only: a section heading, an area's outcome or measures, or an action's text."""
        detail = read_detail(text)
        if detail is not None and index in (self.mapping.first_index, self.fields.get(AREA), self.fields.get(ACTION)):
            self.add_detail(row_number, detail)
            return True
        section = SECTION.match(text)
        is_heading = bool(section and (section.group("number") or section.group("separator")))
        if self.block is not None and not is_heading:
            target, kind = self.block
            self.preview.account(row_number, MERGED, described(target, add_text(target, kind, text)))
            return True
        if index not in (self.mapping.first_index, self.fields.get(AREA)):
            return False
        if index == self.fields.get(ACTION) and not (is_heading or _looks_like_heading(text)):
            return False
        if index == self.fields.get(REF) and split_action_ref(text + " x")[0]:
            return False
        self.last_action = None
        kind = section.group("kind").lower() if is_heading else ""
        if kind.startswith("theme") or (kind.startswith("key") and AREA in self.fields):
            theme = self.set_theme(section.group("title").strip() or text, row_number)
            if AREA in self.fields:
                self.heading_target = theme
                self.preview.account(row_number, HEADING, f'theme "{theme.title}"')
                return True
        self.set_area(text, row_number)
        self.heading_target = self.area
        self.preview.account(row_number, HEADING, f'area "{self.area.title}"')
        return True

    def set_area(self, text: str, row_number: int) -> None:
        first_line, _, rest = text.partition("\n")
        number, title = "", first_line.strip()
        section = SECTION.match(first_line)
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
                TOO_LONG.format(what="The area name", length=len(title), limit=LIMITS["area"]),
            )
            title = title[: LIMITS["area"]]
        area = self.preview.areas.get(title)
        if area is None:
            area = ImportedArea(title=title, number=number, theme=self.theme, row=row_number)
            self.preview.areas[title] = area
        self.area = area
        if rest.strip():
            add_text(area, "outcome", rest.strip())
        if not isinstance(self.heading_target, ImportedTheme):
            self.heading_target = area

    def current_area(self, row_number: int) -> str:
        if self.area is None:
            self.preview.problems.append(
                Problem(level=WARNING, sheet=self.preview.sheet, cell="", message=NO_AREA.format(area=DEFAULT_AREA))
            )
            self.area = ImportedArea(title=DEFAULT_AREA, row=row_number)
            self.preview.areas[DEFAULT_AREA] = self.area
        return self.area.title

    def area_theme(self) -> str:
        return self.area.theme if self.area else self.theme

    def read_status_cell(self, action: ImportedAction, status_text: str, styles: list[int], row_number: int) -> None:
        index = self.fields.get(STATUS)
        has_cell = index is not None and index < len(styles)
        fill = self.fill(styles[index]) if has_cell else None
        if status_text:
            action.status_text = status_text[: LIMITS["status_text"]]
            action.status = read_status(status_text)
            if action.status.understood and not action.status.reported_rag and has_cell:
                # A legend's words ("On track to complete within timescale") on a coloured fill: the fill is
                # the colour reported.
                action.status = read_status(status_text, colour_of_fill(fill, self.theme_colours))
            if not action.status.understood:
                self.problem(WARNING, row_number, STATUS, UNKNOWN_STATUS.format(text=status_text), action)
            return
        if not has_cell:
            return
        colour = colour_of_fill(fill, self.theme_colours)
        themed = fill is not None and fill.fill_type == "solid" and fill.fgColor.type == "theme"
        if themed and not colour and (fill.fgColor.theme or 0) >= len(self.theme_colours):
            self.problem(WARNING, row_number, STATUS, UNKNOWN_FILL, action)
        if colour:
            action.status = read_status(colour)
            self.problem(
                WARNING, row_number, STATUS, STATUS_FROM_COLOUR.format(colour=colour, label=action.status.label), action
            )


def _looks_like_heading(text: str) -> bool:
    letters = [character for character in text if character.isalpha()]
    return len(text.split()) >= 2 and len(letters) >= 4 and all(character.isupper() for character in letters)
