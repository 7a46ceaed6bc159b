"""Rows that say what an area or theme is for: outcome, objectives, measured by, measures of success.

Plans write them as a row "Outcome: ..." under the area's heading, as a heading row ("Measures of success",
"Leadership - Measures of success", "Measurement of progress (6 months)") with one bullet per row under it,
or as a label and its text in two cells. They become fields of their area or theme, as written.
"""

import re
from dataclasses import dataclass

from .preview import ImportedArea, ImportedTheme, PlanPreview

_KINDS = (
    r"(?P<kind>outcomes?(?:\s+(?:of\s+the\s+project|sought))?|objectives?|aims?|measured\s+by|"
    r"measures?\s+of\s+success|success\s+measures?|what\s+success\s+looks\s+like|success\s+criteria|"
    r"measure(?:ment)?s?\s+of\s+(?:initial\s+)?progress(?:\s*\([^)]*\))?|how\s+(?:we\s+will|will\s+we)\s+"
    r"(?:know|measure)[^:]*?)"
)
# "Outcome: every assessment is timely", "Measures of success", "Leadership - Measures of success:".
_DETAIL = re.compile(
    rf"^(?:(?P<name>[^:\n]{{2,200}}?)\s*[-–—:]\s*)?{_KINDS}\s*(?:[:\-–—]\s*(?P<text>.+)|:?\s*)$",
    re.IGNORECASE | re.DOTALL,
)
_LABEL = re.compile(rf"^{_KINDS}\s*:?$", re.IGNORECASE)


@dataclass(frozen=True)
class Detail:
    """A row read as an area's or theme's outcome, objectives or measures."""

    kind: str  # "outcome", "objectives" or "measures"
    name: str  # the area or theme it names ("Leadership - Measures of success"), or ""
    text: str  # the text on the row itself; "" for a heading with its list on the rows under it
    heading: str  # the row as written, kept above the list for measures of progress at 6 and 12 months


def _kind(words: str) -> str:
    words = words.lower()
    if words.startswith(("outcome", "what success")):
        return "outcome"
    if words.startswith(("objective", "aim")):
        return "objectives"
    return "measures"


def read_detail(text: str) -> Detail | None:
    """The detail a one-cell row gives, or None when it is no such row."""
    first_line, _, rest = text.partition("\n")
    match = _DETAIL.match(first_line.strip())
    if not match:
        return None
    name = (match.group("name") or "").strip()
    if name and len(name.split()) > 12:
        return None  # a sentence that happens to end in "outcomes", not a heading
    inline = (match.group("text") or "").strip()
    body = "\n".join(part for part in (inline, rest.strip()) if part)
    kind_words = match.group("kind")
    # "Measurement of progress (6 months)" is one of several lists of measures: its heading says which.
    heading = first_line.strip().rstrip(":") if "progress" in kind_words.lower() else ""
    return Detail(kind=_kind(kind_words), name=name, text=body, heading=heading)


def read_label(label: str, text: str) -> Detail | None:
    """A label cell ("Outcome", "Measured by:") and its text in the next cell, or None."""
    match = _LABEL.match(" ".join(label.split()))
    if not match:
        return None
    kind_words = match.group("kind")
    heading = label.strip().rstrip(":") if "progress" in kind_words.lower() else ""
    return Detail(kind=_kind(kind_words), name="", text=text, heading=heading)


def field_of(target: ImportedArea | ImportedTheme, kind: str) -> str:
    """The attribute of an area or a theme that a kind of detail goes into."""
    if isinstance(target, ImportedTheme):
        return "outcome" if kind in ("outcome", "objectives") else "measures_of_success"
    return {"outcome": "outcome", "objectives": "objectives", "measures": "measured_by"}[kind]


def add_text(target: ImportedArea | ImportedTheme, kind: str, text: str) -> str:
    """Add a line to the target's field, as written (its bullet kept); returns the field's name."""
    attribute = field_of(target, kind)
    current = getattr(target, attribute)
    lines = current.split("\n") if current else []
    if text and text not in lines:
        setattr(target, attribute, "\n".join([*lines, text]))
    return attribute


FIELD_WORDS = {"outcome": "outcome", "objectives": "objectives", "measured_by": "measured by",
               "measures_of_success": "measures of success"}  # fmt: skip


def described(target: ImportedArea | ImportedTheme, attribute: str) -> str:
    """'area "Workforce": measured by' as the preview says where a row went."""
    what = "theme" if isinstance(target, ImportedTheme) else "area"
    return f'{what} "{target.title}": {FIELD_WORDS[attribute]}'


_NUMBERING = re.compile(r"^(?:(?:areas?\s+for\s+improvement|key\s+areas?|area|theme|priority|workstream|work\s+stream)"
                        r"\s*)?\d*(?:\.\d+)*\s*[:.\-–—)]?\s*", re.IGNORECASE)  # fmt: skip


def _key(name: str) -> str:
    name = _NUMBERING.sub("", " ".join(name.split()), count=1) or name
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split())


def find_named(preview: PlanPreview, name: str) -> ImportedArea | ImportedTheme | None:
    """The theme or area a row names ("Leadership - Measures of success", "2. Workforce"), whatever the case,
    numbering or "&"; None when it names none."""
    found = find_named_in([*preview.themes.values(), *preview.areas.values()], name)
    return found


def find_named_in(candidates, name):
    """The first of `candidates` (titles, or things with a title) that `name` names, or None."""
    wanted = _key(name)
    if not wanted:
        return None
    for candidate in candidates:
        if _key(candidate if isinstance(candidate, str) else candidate.title) == wanted:
            return candidate
    return None
