"""Finding the KPI tables in a workbook, whatever layout the performance team used, and reading their cells.

Every sheet is scanned top to bottom for header rows. A header row decides the table's layout:

- wide: an indicator column, then month columns (`Jul 18`, `2018-07`, real dates, `July 2018`) and an
  optional `Target` column. A row holding only a title just above a header names the section; the
  header may be repeated for each section.
- long: `Indicator`, `Month` (or `Period`), `Value`, optional `Section` and `Note` columns.
- benchmark: indicator rows with comparator groups as columns and the year in each column's header
  (`England 2017`) or in the row above it, often one merged cell across several groups.
- indicator details (`Indicator`, `Unit`, `Polarity`, ...) and stepped targets (`Indicator`, `From`,
  `To`, `Target`, `Amber tolerance`): the sheets our own export writes so that nothing is lost.

A table ends at the next header, at a title followed by a header, or at two blank rows. Nothing here
touches the database: the result is a list of what was read, each with the cell it came from.
"""

from pathlib import Path
from typing import BinaryIO

from openpyxl.utils import get_column_letter

from common.spreadsheets import Problem, ReadLimits, WorkbookError, read_sheets

from .cells import parse_month, parse_year, read_value
from .lengths import check_lengths
from .records import BenchmarkCell, IndicatorRow, TargetCell, ValueCell, WorkbookContents

OWN_MARKER = "(this council)"
TARGET_HEADERS = {"target", "targets"}
# A column saying which way is better for each indicator ("Higher", "Lower is better").
POLARITY_HEADERS = {"polarity", "good is", "good if", "good", "higher or lower is better", "better is"}
_NAME_HEADERS = {"indicator", "indicators", "kpi", "kpis", "measure", "performance indicator", ""}
NO_KPI_TABLE = (
    "No KPI table was found: expected a header row such as \u201cIndicator | Jul 18 | Aug 18 | Target\u201d, "
    "\u201cIndicator | Month | Value\u201d or a benchmarking table with years."
)
# A KPI sheet is a few hundred rows by a few dozen months; past these a file is not a report. The cells bound
# what reading costs: 300 indicators over 60 months with benchmarks is under 25,000 cells.
LIMITS = ReadLimits(max_rows=20_000, max_columns=400, max_cells=100_000)

# The file as a whole cannot be read; nothing has been written. The toolkit's error, under the name kpis knows.
ImportFileError = WorkbookError


def file_bytes(file: BinaryIO | str | Path) -> tuple[str, bytes]:
    """(name, bytes) of an open file or a path."""
    if hasattr(file, "read"):
        return getattr(file, "name", None) or "The file", file.read()
    return Path(file).name, Path(file).read_bytes()


def read_workbook(file: BinaryIO | str | Path) -> WorkbookContents:
    """What the workbook holds, each value with its cell; ImportFileError when the file cannot be read at all.

    Opened read-only by the shared toolkit after its checks (size, type, password, zip and XML bombs), so both
    importers refuse the same unsafe files in the same words.
    """
    name, data = file_bytes(file)
    return read_workbook_bytes(data, name=name)


def read_workbook_bytes(data: bytes, *, name: str = "The file") -> WorkbookContents:
    sheets = read_sheets(data, name=name, limits=LIMITS)
    contents = WorkbookContents()
    for sheet in sheets:
        contents.problems.extend(sheet.problems)
        _SheetReader(sheet.title, sheet.rows, contents).read()
    if not contents.tables:
        raise ImportFileError(NO_KPI_TABLE)
    check_lengths(contents)
    return contents


def _is_blank(row):
    return all(cell.value is None or cell.text == "" for cell in row)


def _filled(row):
    return [(index, cell) for index, cell in enumerate(row) if cell.value is not None and cell.text != ""]


class _SheetReader:
    def __init__(self, title, rows, contents):
        self.title = title
        self.rows = rows
        self.contents = contents
        self._layouts = {}

    def problem(self, ref, message):
        self.contents.problems.append(Problem.at(ref, message))

    def read(self):
        title = None
        index = 0
        while index < len(self.rows):
            row = self.rows[index]
            layout = self.layout_of(index)
            if layout is None:
                filled = _filled(row)
                if len(filled) == 1 and isinstance(filled[0][1].value, str):
                    title = filled[0][1].text
                index += 1
                continue
            self.contents.tables += 1
            reader = getattr(self, f"read_{layout}")
            index = reader(index, title)
            title = None

    # Which layout a header row starts, if it is one.
    def layout_of(self, index):
        if index not in self._layouts:
            self._layouts[index] = self._layout_of(index)
        return self._layouts[index]

    def _layout_of(self, index):
        row = self.rows[index]
        filled = _filled(row)
        if len(filled) < 2:
            return None
        words = {cell.text.lower() for _i, cell in filled}
        if "indicator" in words and ({"month", "period"} & words) and "value" in words:
            return "long"
        if "indicator" in words and "polarity" in words and not any(parse_month(cell.value) for _i, cell in filled):
            return "details"  # a Polarity column beside months is part of a wide table
        if "indicator" in words and "target" in words and ({"from", "to"} & words):
            return "targets"
        first, rest = filled[0][1], filled[1:]
        if any(isinstance(cell.value, int | float) and not isinstance(cell.value, bool) for _i, cell in rest):
            return None  # a row of figures (or of years over a benchmark table) heads no table
        if isinstance(first.value, str) and _is_wide_header(rest):
            return "wide"
        if self.benchmark_years(index) is not None:
            return "benchmark"
        return None

    def benchmark_years(self, index):
        """{column: (group, is_own, year)} when this row heads a benchmark table, else None.

        The first column holds indicator names (its header may say anything, or nothing); every other
        filled cell names a comparator group, with its year in the header or in the row above, where a
        year stands over its own column or, merged or not, over the columns to its right.
        """
        groups = [(column, cell) for column, cell in _filled(self.rows[index]) if column > 0]
        if not groups:
            return None
        above = self.rows[index - 1] if index > 0 else []
        years_above = {column: parse_year(cell.value) for column, cell in _filled(above)}
        columns = {}
        for column, cell in groups:
            if not isinstance(cell.value, str) or parse_month(cell.value) or read_value(cell.value).number is not None:
                return None
            name, year = _split_group_header(cell.text)
            if year is None:
                year = next((years_above[left] for left in range(column, -1, -1) if years_above.get(left)), None)
            if year is None or not name:
                return None
            own = name.lower().endswith(OWN_MARKER)
            if own:
                name = name[: -len(OWN_MARKER)].strip()
            columns[column] = (name, own, year)
        return columns

    def _table_rows(self, start):
        """Row numbers of a table's body from `start`, stopping before the next table or a title over one."""
        index, blanks = start, 0
        while index < len(self.rows):
            row = self.rows[index]
            if _is_blank(row):
                blanks += 1
                if blanks == 2:
                    return
                index += 1
                continue
            blanks = 0
            if self.layout_of(index) is not None:
                return
            following = next((i for i in range(index + 1, len(self.rows)) if not _is_blank(self.rows[i])), None)
            if following is not None and self.layout_of(following) is not None and len(_filled(row)) == 1:
                return  # a section title over the next table
            if following is not None and self.layout_of(following) == "benchmark" and _is_year_row(row):
                return  # the row of years over a benchmark table
            yield index
            index += 1

    def _end_of(self, start):
        last = start
        for index in self._table_rows(start):
            last = index + 1
        return max(last, start)

    def read_wide(self, index, title):
        header = self.rows[index]
        filled = _filled(header)
        name_column, first = filled[0]
        section = title or self.title
        if first.text.lower() not in _NAME_HEADERS:
            section = first.text  # the section's name written where "Indicator" usually is
        months, target_column, polarity_column = {}, None, None
        for column, cell in filled[1:]:
            month = parse_month(cell.value)
            if month:
                if month in months.values():
                    self.problem(cell.ref, f"{month:%b %Y} appears twice in this header; the second is ignored")
                    continue
                months[column] = month
            elif cell.text.lower() in TARGET_HEADERS:
                target_column = column
            elif cell.text.lower() in POLARITY_HEADERS:
                polarity_column = column
            else:
                self.problem(cell.ref, f'"{cell.text}" is not a month; that column is ignored')
        table_months = sorted(months.values())
        for row_index in self._table_rows(index + 1):
            row = self.rows[row_index]
            cell = row[name_column] if name_column < len(row) else None
            name = cell.text if cell else ""
            if not name:
                self.problem(f"{self.title}!{get_column_letter(name_column + 1)}{row_index + 1}",
                             "a row with figures but no indicator name; it is ignored")  # fmt: skip
                continue
            self.contents.indicators.append(
                IndicatorRow(name=name, section=section, ref=cell.ref, details=_polarity(row, polarity_column))
            )
            for column, month in months.items():
                if column < len(row):
                    value_cell = row[column]
                    self._value(name, month, value_cell, value_cell.comment)
            if target_column is not None and target_column < len(row):
                target_cell = row[target_column]
                if target_cell.merged_from_elsewhere:
                    continue  # words such as "Data under review" spread across the months, not a target
                reading = read_value(target_cell.value, target_cell.number_format, words_allowed=False)
                if reading.problem and not isinstance(target_cell.value, str | None):
                    self.problem(target_cell.ref, reading.problem)
                    continue
                if reading.problem:  # words: "No Target", "Under review"
                    reading = type(reading)(words=target_cell.text)
                if not reading.empty and table_months:
                    self.contents.target_columns.append(
                        TargetCell(name, table_months[0], table_months[-1], reading, None, target_cell.ref)
                    )
        return self._end_of(index + 1)

    def _value(self, name, month, cell, note):
        reading = read_value(cell.value, cell.number_format)
        if reading.problem:
            self.problem(cell.ref, reading.problem)
            return
        if reading.empty:
            return
        self.contents.values.append(ValueCell(name, month, reading, note, cell.ref))

    def _columns(self, index, names):
        columns = {}
        for column, cell in _filled(self.rows[index]):
            key = cell.text.lower()
            for field_name, accepted in names.items():
                if key in accepted and field_name not in columns:
                    columns[field_name] = column
        return columns

    def _cell(self, row, column):
        if column is None or column >= len(row):
            return None
        return row[column]

    def read_long(self, index, title):
        columns = self._columns(
            index,
            {
                "indicator": {"indicator"},
                "section": {"section"},
                "month": {"month", "period"},
                "value": {"value"},
                "note": {"note", "notes", "comment"},
                "polarity": POLARITY_HEADERS,
            },
        )
        for row_index in self._table_rows(index + 1):
            row = self.rows[row_index]
            name_cell = self._cell(row, columns["indicator"])
            if name_cell is None or not name_cell.text:
                continue
            month_cell = self._cell(row, columns["month"])
            month = parse_month(month_cell.value) if month_cell else None
            if month is None:
                where = month_cell.ref if month_cell else name_cell.ref
                self.problem(where, f'"{month_cell.text if month_cell else ""}" is not a month')
                continue
            section_cell = self._cell(row, columns.get("section"))
            section = section_cell.text if section_cell and section_cell.text else (title or self.title)
            details = _polarity(row, columns.get("polarity"))
            self.contents.indicators.append(
                IndicatorRow(name=name_cell.text, section=section, ref=name_cell.ref, details=details)
            )
            note_cell = self._cell(row, columns.get("note"))
            value_cell = self._cell(row, columns["value"])
            if value_cell is None:
                continue
            self._value(name_cell.text, month, value_cell, note_cell.text if note_cell else "")
        return self._end_of(index + 1)

    def read_details(self, index, title):
        fields = ["code", "section", "unit", "polarity", "basis", "definition", "source", "owner"]
        names = {"indicator": {"indicator"}, "decimal_places": {"decimal places", "decimals"}}
        names |= {name: {name} for name in fields}
        columns = self._columns(index, names)
        for row_index in self._table_rows(index + 1):
            row = self.rows[row_index]
            name_cell = self._cell(row, columns["indicator"])
            if name_cell is None or not name_cell.text:
                continue
            details = {}
            for field_name, column in columns.items():
                cell = self._cell(row, column)
                if field_name != "indicator" and cell is not None and cell.value is not None:
                    details[field_name] = (cell.value if field_name == "decimal_places" else cell.text, cell.ref)
            section = details.pop("section", (title or self.title, None))[0]
            self.contents.indicators.append(
                IndicatorRow(name=name_cell.text, section=section, ref=name_cell.ref, details=details)
            )
        return self._end_of(index + 1)

    def read_targets(self, index, title):
        columns = self._columns(
            index,
            {
                "indicator": {"indicator"},
                "from": {"from"},
                "to": {"to", "until"},
                "target": {"target"},
                "tolerance": {"amber tolerance", "tolerance"},
            },
        )
        for row_index in self._table_rows(index + 1):
            row = self.rows[row_index]
            name_cell = self._cell(row, columns["indicator"])
            if name_cell is None or not name_cell.text:
                continue
            bounds = []
            for key in ("from", "to"):
                cell = self._cell(row, columns.get(key))
                month = parse_month(cell.value) if cell and cell.value is not None else None
                if cell and cell.value is not None and cell.text and month is None:
                    self.problem(cell.ref, f'"{cell.text}" is not a month')
                    break
                bounds.append(month)
            else:
                target_cell = self._cell(row, columns["target"])
                if target_cell is None or target_cell.value is None:
                    self.problem(name_cell.ref, "a target row without a target; it is ignored")
                    continue
                reading = read_value(target_cell.value, target_cell.number_format, words_allowed=False)
                if reading.problem and isinstance(target_cell.value, str):
                    reading = type(reading)(words=target_cell.text)
                elif reading.problem:
                    self.problem(target_cell.ref, reading.problem)
                    continue
                tolerance_cell = self._cell(row, columns.get("tolerance"))
                tolerance = read_value(tolerance_cell.value, words_allowed=False) if tolerance_cell else None
                if tolerance and tolerance.problem:
                    self.problem(tolerance_cell.ref, tolerance.problem)
                    continue
                self.contents.targets.append(
                    TargetCell(
                        name_cell.text,
                        bounds[0],
                        bounds[1],
                        reading,
                        tolerance.number if tolerance else None,
                        target_cell.ref,
                    )
                )
        return self._end_of(index + 1)

    def read_benchmark(self, index, title):
        columns = self.benchmark_years(index)
        name_column = 0
        for row_index in self._table_rows(index + 1):
            row = self.rows[row_index]
            name_cell = self._cell(row, name_column)
            if name_cell is None or not name_cell.text:
                continue
            for column, (group, own, year) in columns.items():
                cell = self._cell(row, column)
                if cell is None:
                    continue
                reading = read_value(cell.value, cell.number_format)
                if reading.problem:
                    self.problem(cell.ref, reading.problem)
                elif reading.number is not None:
                    self.contents.benchmarks.append(BenchmarkCell(name_cell.text, group, own, year, reading, cell.ref))
        return self._end_of(index + 1)


def _polarity(row, column):
    """{"polarity": (text, ref)} from the row's Polarity column, or {} when it has none."""
    if column is None or column >= len(row) or not row[column].text:
        return {}
    return {"polarity": (row[column].text, row[column].ref)}


def _is_wide_header(cells):
    """Month columns, a Target and a Polarity column; a stray extra heading is allowed when months dominate."""
    months = sum(1 for _column, cell in cells if parse_month(cell.value))
    known = TARGET_HEADERS | POLARITY_HEADERS
    others = [cell for _column, cell in cells if not parse_month(cell.value) and cell.text.lower() not in known]
    if not months or any(read_value(cell.value).number is not None for cell in others):
        return False
    return not others or (months >= 2 and months > len(others))


def _is_year_row(row):
    later = [cell for column, cell in _filled(row) if column > 0]
    return bool(later) and all(parse_year(cell.value) for cell in later)


def _split_group_header(text):
    """ "England 2017" -> ("England", 2017); "Inner London (2016/17)" -> ("Inner London", 2017); else no year."""
    words = text.rsplit(" ", 1)
    if len(words) == 2:
        year = parse_year(words[1].strip("()"))
        if year is not None:
            return words[0].strip(), year
    return text, None
