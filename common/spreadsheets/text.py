"""One cleaner for the text of a spreadsheet cell, used by every importer."""

import html
import re

from common.exporting import FORMULA_PREFIXES

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def clean_text(value: object, *, lines: bool = False, markup: bool = False) -> str:
    """A cell's text, tidy: nothing for an empty cell, one space for each run of spaces.

    An apostrophe before "=", "+", "-" or "@" is dropped: Excel users type it, and our own exports write it
    (common.exporting.neutralise), so that the text is not run as a formula; it is not part of the text.
    `lines` keeps the line breaks (blank lines dropped, each line tidied, each line's apostrophe dropped),
    as an action's text needs; otherwise the text is one line, as a name or a figure needs.
    `markup` reads HTML remnants pasted from Word or a web page as the text they show.
    """
    if value is None:
        return ""
    text = str(value)
    if markup:
        text = html.unescape(_TAG.sub(" ", text))
    if not lines:
        return _unquote(" ".join(text.split()))
    return "\n".join(_unquote(" ".join(line.split())) for line in text.splitlines() if line.strip())


def _unquote(text: str) -> str:
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text
