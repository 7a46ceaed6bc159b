"""One cleaner for the text of a spreadsheet cell, used by every importer."""

import html
import re

from common.exporting import FORMULA_PREFIXES

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# What tidying changes: a space at either end, two together, or any other white space (tabs, line breaks, the
# non-breaking space: the characters str.split() and str.splitlines() break on, which \s matches too).
_UNTIDY = re.compile(r"[^\S ]|  |^ | $")


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
    text = value if type(value) is str else str(value)
    if markup and ("<" in text or "&" in text):
        text = html.unescape(_TAG.sub(" ", text))
    if not _UNTIDY.search(text) and not text.startswith("'"):
        # Most cells are tidy already: one line, single spaces. An import reads hundreds of thousands.
        return text
    if not lines:
        return _unquote(" ".join(text.split()))
    return "\n".join(_unquote(" ".join(line.split())) for line in text.splitlines() if line.strip())


def _unquote(text: str) -> str:
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text
