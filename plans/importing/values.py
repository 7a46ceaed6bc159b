"""Reads the status words, fill colours and bullet lists that plans put in their cells."""

import colorsys
import datetime as dt
import re
from dataclasses import dataclass, replace

from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.xml.functions import fromstring

from common.spreadsheets import clean_text
from common.spreadsheets.cells import CellValue

from ..rag import RAG, Status, reported_rag_from_text


@dataclass(frozen=True)
class ImportedStatus:
    status: str = Status.NOT_STARTED
    at_risk: bool = False
    understood: bool = True
    label: str = ""  # what the preview shows: "Amber (at risk)"
    # The colour the file reported ("Amber", "R", a green fill), kept beside the rule's; "" for words such as
    # "On track to complete within timescale", which give a status but no colour.
    reported_rag: str = ""


NOT_STARTED = ImportedStatus(label="Not started")
IN_PROGRESS = ImportedStatus(status=Status.IN_PROGRESS, label="In progress")
ON_TRACK = ImportedStatus(status=Status.IN_PROGRESS, label="On track")
AT_RISK = ImportedStatus(status=Status.IN_PROGRESS, at_risk=True, label="At risk")
# Red in a plan means overdue or off track: the date rule turns it Red once the target passes; until then
# the board should still see that someone flagged it, so it is held as at risk.
OFF_TRACK = ImportedStatus(status=Status.IN_PROGRESS, at_risk=True, label=f"At risk (reported {RAG.RED.words})")
COMPLETED = ImportedStatus(status=Status.COMPLETED, label="Completed")

STATUS_WORDS = {
    "completed": COMPLETED,
    "complete": COMPLETED,
    "done": COMPLETED,
    "achieved": COMPLETED,
    "closed": COMPLETED,
    "on track": ON_TRACK,
    "on target": ON_TRACK,
    "on track to complete within timescale": ON_TRACK,
    "at risk": AT_RISK,
    "completion at risk": AT_RISK,
    "overdue": OFF_TRACK,
    "off track": OFF_TRACK,
    "not started": NOT_STARTED,
    "not yet started": NOT_STARTED,
    # A plan's grey: no date agreed yet.
    "timing tbc": ImportedStatus(label="Not started (timing to be confirmed)"),
    "in progress": IN_PROGRESS,
    "started": IN_PROGRESS,
    "ongoing": IN_PROGRESS,
}
# A colour, as a word or its letter (plans.rag reads which), is a status and the colour reported with it.
_STATUS_OF_COLOUR = {RAG.BLUE: COMPLETED, RAG.GREEN: ON_TRACK, RAG.AMBER: AT_RISK, RAG.RED: OFF_TRACK,
                     RAG.GREY: NOT_STARTED}  # fmt: skip
for _word in ("blue", "b", "green", "g", "amber", "a", "yellow", "y", "red", "r", "grey", "gray"):
    _colour = reported_rag_from_text(_word)
    STATUS_WORDS[_word] = replace(_STATUS_OF_COLOUR[_colour], reported_rag=_colour.value)
UNKNOWN_STATUS = ImportedStatus(understood=False, label="Not started")


def read_status(text, fill_colour=""):
    """The status a cell's words give; words it does not know leave the action not started.

    `fill_colour` is the colour of the cell's fill (colour_of_fill): the colour reported when the words
    name none ("Completed" on a blue fill).
    """
    words = " ".join(re.sub(r"[^a-z ]+", " ", clean_text(text, lines=True, markup=True).lower()).split())
    if not words:
        return None
    status = STATUS_WORDS.get(words, UNKNOWN_STATUS)
    reported = reported_rag_from_text(fill_colour)
    if status.understood and not status.reported_rag and reported is not None:
        status = replace(status, reported_rag=reported.value)
    return status


# Upper bounds of the hues (degrees) of the fills councils use for BRAG. Excel's "Light Green" (92D050, 89°)
# and olive greens (80°) are green; purples and pinks are no RAG colour (read as words, then reported).
_HUES = [(15, "red"), (50, "amber"), (72, "yellow"), (170, "green"), (260, "blue"), (330, "purple"), (361, "red")]


# The order in which cells number a workbook theme's colours (Color(theme=N)): background and text first.
_THEME_SLOTS = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink"]  # fmt: skip
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def theme_colours(theme_xml):
    """RGB ("70AD47") of each colour of a workbook's theme, in the order cells number them; [] when unreadable."""
    if not theme_xml:
        return []
    try:
        scheme = fromstring(theme_xml).find(f".//{_DRAWING}clrScheme")
    except Exception:  # a theme that cannot be read leaves theme fills unread, reported as such
        return []
    colours = []
    for slot in _THEME_SLOTS:
        element = scheme.find(f"{_DRAWING}{slot}") if scheme is not None else None
        if element is None or not len(element):
            return colours
        colour = element[0]
        colours.append(colour.get("val") if colour.tag == f"{_DRAWING}srgbClr" else colour.get("lastClr"))
    return colours


def colour_of_fill(fill, theme=()):
    """ "red", "amber", "green", "blue", "grey" from a cell's solid fill, or "" for none.

    `theme` holds the workbook's theme colours (theme_colours), which Excel's palette offers first.
    """
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return ""
    colour = fill.fgColor
    rgb = None
    tint = 0
    if colour.type == "rgb" and isinstance(colour.rgb, str):
        rgb = colour.rgb[-6:]
    elif colour.type == "indexed" and colour.indexed is not None and colour.indexed < len(COLOR_INDEX):
        rgb = COLOR_INDEX[colour.indexed][-6:]
    elif colour.type == "theme" and colour.theme is not None and colour.theme < len(theme):
        rgb, tint = theme[colour.theme], colour.tint or 0
    if not rgb or not re.fullmatch(r"[0-9A-Fa-f]{6}", rgb):
        return ""
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    # Excel's tints of a theme colour ("Green, Accent 6, Lighter 40%") move its lightness only.
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    if lightness > 0.93:  # white or nearly: no colour meant
        return ""
    if saturation < 0.2:
        return "grey"
    degrees = hue * 360
    return next(name for bound, name in _HUES if degrees < bound)


_BREAK_TAGS = re.compile(r"<\s*(?:/?li|br|/?p|/?ul|/?ol|/?div)\b[^>]*>", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[▪•\-*·●◦○■□➢►→✓–—]|o(?=\s)|\d{1,2}[.)](?=\s)|\(?[ivx]{1,4}\)(?=\s))\s*")
_INLINE_BULLETS = re.compile(r"\s*[▪•●◦■➢►]\s*")


def cell_text(value: CellValue) -> str:
    """A cell's text as a plain, tidy string (list remnants from Word or the web become line breaks)."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = _BREAK_TAGS.sub("\n", text)
    return clean_text(text, lines=True, markup=True)


def value_text(value: CellValue) -> str:
    """A cell's value as the plan shows it: whole numbers without ".0", dates as YYYY-MM-DD, text tidied."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return cell_text(value)


_SYMBOL_BULLET = re.compile(r"^\s*[▪•\-*·●◦○■□➢►→✓]\s*(?=\S)")


def is_bullet_line(line):
    """A line starting with a bullet symbol (numbered lines in an action's text are more often its own refs)."""
    return bool(_SYMBOL_BULLET.match(line))


def split_lines(text):
    """One item per bullet, line or ";" of a cell; the bullets themselves dropped."""
    text = cell_text(text)
    lines = text.split("\n")
    if len(lines) == 1:
        if len(_INLINE_BULLETS.findall(text)) > 1:
            lines = _INLINE_BULLETS.split(text)
        elif ";" in text:
            lines = text.split(";")
    items = []
    for line in lines:
        item = _BULLET.sub("", line, count=1).strip(" ;")
        if item:
            items.append(item)
    return items
