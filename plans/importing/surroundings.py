"""What stands around a plan's table: the rows above its header, lists of the areas' outcomes on other sheets.

Above the header plans put a title, a legend, the heading of the first area ("Area for improvement 1: ..."),
the first key area's title (then repeated over the header of each block), or a list of each area's outcome
statement (the area's name, then its outcome, on two rows or in two cells). Every row is accounted for.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from common.spreadsheets import WARNING, Problem
from common.spreadsheets.cells import CellValue

from .columns import AREA, THEME
from .details import add_text, described, find_named, find_named_in, read_detail, read_label
from .messages import (
    ABOVE_THE_TABLE,
    ACTION_NOT_IMPORTED,
    DEFAULT_AREA,
    NO_AREA,
    NO_SUCH_AREA,
    PART_NOT_IMPORTED,
)
from .preview import HEADING, IMPORTED, MERGED, PART_OF_ACTION, SKIPPED, ImportedArea, ImportedTheme, PlanPreview
from .values import value_text

if TYPE_CHECKING:
    from .rows import RowReader
    from .sheets import OutcomeList


class Surroundings:
    """The rows above the header, read before the table, and what they turn out to be once it is read."""

    def __init__(self, reader: RowReader, above: list[list[CellValue]]):
        self.reader = reader
        self.preview = reader.preview
        self.above = above
        self.first_title: tuple[int, str] | None = None  # a title standing just above the header
        self.candidates: list[tuple[int, list[str]]] = []  # rows that may name an area and its outcome
        reader.title_named = self.title_named

    def read_above(self) -> None:
        reader, preview = self.reader, self.preview
        header_row = preview.mapping.header_row
        for row_number, values in enumerate(self.above, start=1):
            texts = [value_text(value) for value in values if value_text(value)]
            if not texts:
                continue
            preview.account(row_number, HEADING, ABOVE_THE_TABLE)
            if len(texts) == 1:
                detail = read_detail(texts[0])
                if detail is not None and (reader.heading_target or detail.name):
                    reader.add_detail(row_number, detail)
                    continue
                if reader.block is not None:
                    target, kind = reader.block
                    preview.account(row_number, MERGED, described(target, add_text(target, kind, texts[0])))
                    continue
                section = reader.section(texts[0])
                if section:
                    self.read_heading(row_number, texts[0])
                    continue
                if row_number == header_row - 1:
                    self.first_title = (row_number, texts[0])
            elif len(texts) == 2 and (detail := read_label(texts[0], texts[1])) is not None and reader.heading_target:
                reader.add_detail(row_number, detail)
                continue
            reader.block = None
            if len(texts) <= 2:
                self.candidates.append((row_number, texts))

    def read_heading(self, row_number: int, text: str) -> None:
        """ "Area for improvement 1: ..." above the header: the first area (a theme, when areas have a column)."""
        reader = self.reader
        if AREA in reader.fields:
            theme = reader.set_theme(reader.section_title(text), row_number)
            reader.heading_target = theme
            self.preview.account(row_number, HEADING, f'theme "{theme.title}", above the header')
            return
        reader.set_area(text, row_number)
        reader.heading_target = reader.area
        self.preview.account(row_number, HEADING, f'area "{reader.area.title}", above the header')

    def title_named(self, name: str) -> ImportedArea | ImportedTheme | None:
        """A row naming the title above the header ("Leadership - Measures of success") makes it the first block's."""
        if self.first_title is None or find_named_in([self.first_title[1]], name) is None:
            return None
        title, self.first_title = self.first_title, None
        return self.title_first_block(*title)

    def finish(self) -> None:
        if self.first_title is not None and self.reader.block_titles:
            self.title_first_block(*self.first_title)
        self.read_outcome_statements()
        account_actions(self.preview)

    def title_first_block(self, row_number: int, text: str) -> ImportedArea | ImportedTheme | None:
        """The title just above the header names the first block when the later blocks have titles too."""
        preview, reader = self.preview, self.reader
        title = reader.section_title(text)
        if AREA in reader.fields or THEME in reader.fields:
            theme = reader.set_theme(title, row_number)
            preview.themes = {theme.title: theme} | preview.themes  # the first theme of the plan
            for area in preview.areas.values():
                if not area.theme:
                    area.theme = theme.title
            for action in preview.actions:
                if not action.theme:
                    action.theme = theme.title
            preview.account(row_number, HEADING, f'theme "{theme.title}", over the header')
            return theme
        if DEFAULT_AREA not in preview.areas:
            return None
        area = preview.areas[DEFAULT_AREA]
        area.title, area.row = title[:300], row_number
        preview.areas = {(area.title if key == DEFAULT_AREA else key): value for key, value in preview.areas.items()}
        for action in preview.actions:
            if action.area == DEFAULT_AREA:
                action.area = area.title
        no_area = NO_AREA.format(area=DEFAULT_AREA)
        preview.problems = [problem for problem in preview.problems if problem.message != no_area]
        preview.account(row_number, HEADING, f'area "{area.title}", over the header')
        if reader.area is area:
            reader.heading_target = area
        return area

    def read_outcome_statements(self) -> None:
        """A list of areas and their outcomes above the table: in two cells, or the name on one row and the
        outcome on the next."""
        rows = self.candidates
        used: set[int] = set()
        for position, (row_number, texts) in enumerate(rows):
            if row_number in used:
                continue
            target = find_named(self.preview, texts[0])
            if target is None:
                continue
            statement, rows_used = "", [row_number]
            if len(texts) == 2:
                statement = texts[1]
            elif position + 1 < len(rows):
                next_row, next_texts = rows[position + 1]
                if len(next_texts) == 1 and find_named(self.preview, next_texts[0]) is None:
                    statement, rows_used = next_texts[0], [row_number, next_row]
            if not statement:
                continue
            if isinstance(target, ImportedArea) and target.outcome and target.outcome != statement:
                continue  # the table says otherwise; the table wins
            where = described(target, add_text(target, "outcome", statement))
            for used_row in rows_used:
                used.add(used_row)
                self.preview.account(used_row, MERGED, where)


def read_outcome_lists(preview: PlanPreview, lists: list[OutcomeList]) -> None:
    """Each area's outcome (objectives, measures) from a sheet of its own listing them."""
    for outcomes in lists:
        name_column = outcomes.fields.get(AREA, outcomes.fields.get(THEME))
        for row_number, values in outcomes.rows:
            name = value_text(values[name_column]) if name_column < len(values) else ""
            target = find_named(preview, name) if name else None
            if target is None:
                message = NO_SUCH_AREA.format(name=name) if name else "no area named on this row; not imported"
                preview.account(row_number, SKIPPED, message, sheet=outcomes.sheet)
                preview.problems.append(Problem(WARNING, outcomes.sheet, f"row {row_number}", message))
                continue
            went = []
            for kind in ("outcome", "objectives", "measures"):
                column = outcomes.fields.get(kind)
                text = value_text(values[column]) if column is not None and column < len(values) else ""
                if text:
                    went.append(described(target, add_text(target, kind, text)))
            preview.account(row_number, MERGED if went else HEADING, "; ".join(went) or "nothing to read",
                            sheet=outcomes.sheet)  # fmt: skip


def account_actions(preview: PlanPreview) -> None:
    """Once the actions are finished: the reference each imported row became, or why it is not imported."""
    by_row = {action.row: action for action in preview.actions}
    action_rows = sorted(by_row)
    for fate in list(preview.fates.values()):
        if fate.sheet != preview.sheet:
            continue
        if fate.kind == IMPORTED and (action := by_row.get(fate.row)) is not None:
            if action.importable:
                fate.note = f"action {action.ref}" if action.ref else "an action"
            else:
                reason = next(problem.message for problem in action.problems if problem.level == "error")
                preview.account(fate.row, SKIPPED, ACTION_NOT_IMPORTED.format(reason=reason))
        elif fate.kind == PART_OF_ACTION:
            before = bisect.bisect_left(action_rows, fate.row)
            owner = by_row[action_rows[before - 1]] if before else None
            if owner is not None and not owner.importable:
                preview.account(fate.row, SKIPPED, PART_NOT_IMPORTED.format(row=owner.row))
