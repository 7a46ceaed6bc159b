"""Headings, block titles and the rows saying what an area or theme is for: the part of the row reader that
reads a plan's structure rather than its actions (mixed into rows.RowReader, whose state it shares)."""

import re

from common.spreadsheets import WARNING
from common.spreadsheets.cells import CellValue

from .columns import ACTION, AREA, AREA_DETAILS, find_header, is_column_name, is_repeated_header
from .details import add_text, described, find_named, read_label
from .messages import NO_HOME_FOR_DETAIL
from .preview import HEADING, MERGED, SKIPPED, ImportedArea, ImportedTheme, PlanPreview
from .values import value_text

SECTION = re.compile(
    r"^(?P<kind>areas?\s+for\s+(?:improvement|development)|key\s+areas?|priority(?:\s+area)?|area|theme|workstream|"
    r"work\s+stream|"
    r"strand|section)\s*(?P<number>\d+(?:\.\d+)*|[IVX]+)?\s*(?P<separator>[:.\-–—])?\s*(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)


class BlockRows:
    """Reads headings, titles over a repeated header, and outcome, objective and measure rows."""

    preview: PlanPreview
    fields: dict[str, int]
    header_fields: dict[str, int]
    area: ImportedArea | None
    theme: str
    heading_target: ImportedArea | ImportedTheme | None
    block: tuple[ImportedArea | ImportedTheme, str] | None
    pending: tuple | None
    block_titles: int
    last_action: object

    @staticmethod
    def section(text: str) -> bool:
        """Whether a line is a numbered or titled heading: "Area for improvement 1: ...", "Key area 2 - ..."."""
        match = SECTION.match(text)
        return bool(match and (match.group("number") or match.group("separator")) and match.group("title").strip())

    @classmethod
    def section_title(cls, text: str) -> str:
        """The title of a heading without its kind and number; the first line of anything else."""
        first_line = text.split("\n")[0].strip()
        if cls.section(first_line):
            first_line = SECTION.match(first_line).group("title").strip()
        return first_line.rstrip(":").strip()[:300]

    @staticmethod
    def only_filled(values: list[CellValue]) -> int:
        return next(index for index, value in enumerate(values) if value_text(value))

    def repeats_header(self, values: list[CellValue], filled: list[int]) -> bool:
        """Whether a row is the header again (written the same, or with some cells left blank)."""
        if self.starts_like_header(values) and is_repeated_header(values, self.mapping):
            return True
        if len(filled) < 2 or not all(isinstance(values[i], str) and is_column_name(values[i]) for i in filled):
            return False
        other = find_header([(1, values)])
        return other is not None and (
            other.fields.items() <= self.fields.items() or other.fields.items() <= self.header_fields.items()
        )

    def read_block_title(self, row_number: int, text: str) -> None:
        """A title over a repeat of the header: the key area (a theme, when areas have a column) of the block."""
        self.block = None
        self.last_action = None
        self.block_titles += 1
        if AREA in self.fields:
            theme = self.set_theme(self.section_title(text), row_number)
            self.heading_target = theme
            self.preview.account(row_number, HEADING, f'theme "{theme.title}", over the header repeated')
            return
        self.set_area(text, row_number)
        self.preview.account(row_number, HEADING, f'area "{self.area.title}", over the header repeated')

    def set_theme(self, title: str, row_number: int) -> ImportedTheme:
        title = title[:300]
        theme = self.preview.themes.get(title)
        if theme is None:
            theme = self.preview.themes[title] = ImportedTheme(title=title, row=row_number)
        self.theme = title
        return theme

    def read_area_details(self, texts: list[str], row_number: int) -> str:
        """Objectives, outcome and measures columns join the row's area's text; says where they went, or ""."""
        went = []
        for field_name in AREA_DETAILS:  # the fields are named as the kinds of detail are
            text = self.text(texts, field_name)
            if text:
                self.current_area(row_number)
                went.append(described(self.area, add_text(self.area, field_name, text)))
        return "; ".join(went)

    def read_label_row(self, row_number: int, values: list[CellValue], filled: list[int]) -> bool:
        """ "Outcome" in one cell and its text in the next: the heading's area or theme takes it."""
        label, text = (value_text(values[index]) for index in filled)
        detail = read_label(label, text) if isinstance(values[filled[0]], str) else None
        if detail is None:
            return False
        self.add_detail(row_number, detail)
        return True

    def add_detail(self, row_number: int, detail) -> None:
        target = self.detail_target(detail.name)
        if target is None:
            self.preview.account(row_number, SKIPPED, NO_HOME_FOR_DETAIL)
            self.problem(WARNING, row_number, ACTION, NO_HOME_FOR_DETAIL)
            return
        attribute = ""
        for line in (detail.heading, detail.text):
            if line:
                attribute = add_text(target, detail.kind, line)
        attribute = attribute or add_text(target, detail.kind, "")
        # A heading with nothing after it opens a list: the rows under it, one item each, until the next action.
        self.block = (target, detail.kind) if not detail.text else None
        self.preview.account(row_number, MERGED, described(target, attribute))

    def detail_target(self, name: str) -> ImportedArea | ImportedTheme | None:
        if name:
            found = find_named(self.preview, name) or self.title_named(name)
            if found is not None:
                return found
        return self.heading_target or self.area

    def title_named(self, name: str) -> ImportedArea | ImportedTheme | None:
        """Replaced by Surroundings: the title above the header, when a row names it ("... - Measures of success")."""
        return None
