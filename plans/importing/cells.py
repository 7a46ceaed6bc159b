"""Reads the text cells of a plan: action references, lettered sub-items, sponsor lists."""

import re

from common.spreadsheets import clean_text

_ACTION_REF = re.compile(r"^\s*(?P<ref>\d+(?:\.\d+)*)[.)]?\s+(?=\S)")
_LETTERED_ITEM = re.compile(r"(?:^|\s)\((?P<letter>[a-z]{1,2})\)\s+")
_NO_SPONSOR = re.compile(r"^\s*(n/?a|tbc|tba|none|-+)\s*$", re.IGNORECASE)
_SPONSOR_SEPARATORS = re.compile(r"\s*[/,;\n]\s*")


def split_action_ref(text):
    """("12", "Rest of the text") from "12. Rest of the text"; ("", text) when there is no number."""
    text = clean_text(text, lines=True, markup=True)
    match = _ACTION_REF.match(text)
    if not match:
        return "", text
    return match.group("ref"), text[match.end() :].strip()


def split_lettered_items(text):
    """Split "Intro (a) one (b) two" into ("Intro", [("a", "one"), ("b", "two")]).

    Only a run that starts at (a) and goes on letter by letter counts, so a stray "(i.e. ...)"
    or "(b)" quoted mid-sentence stays in the text.
    """
    text = " ".join(clean_text(text, lines=True, markup=True).split())
    matches = list(_LETTERED_ITEM.finditer(text))
    run = []
    for match in matches:
        expected = chr(ord("a") + len(run))
        if match.group("letter") == expected:
            run.append(match)
        elif match.group("letter") == "a":
            run = [match]
    if not run:
        return text, []
    intro = text[: run[0].start()].strip()
    items = []
    for index, match in enumerate(run):
        end = run[index + 1].start() if index + 1 < len(run) else len(text)
        items.append((match.group("letter"), text[match.end() : end].strip()))
    return intro, items


def split_sponsors(text, known_abbreviations=()):
    """Sponsor names or abbreviations in a cell such as "EDCYP/HFS ADCSC".

    Words separated only by spaces are split only when every one is a known abbreviation,
    so "Head of IT" stays one sponsor while "HFS ADCSC" becomes two.
    """
    text = clean_text(text, lines=True, markup=True)
    if not text or _NO_SPONSOR.match(text):
        return []
    known = {abbreviation.upper() for abbreviation in known_abbreviations}
    sponsors = []
    for part in _SPONSOR_SEPARATORS.split(text):
        part = part.strip(" .")
        if not part:
            continue
        words = part.split()
        if len(words) > 1 and all(word.upper() in known for word in words):
            sponsors.extend(words)
        else:
            sponsors.append(part)
    return list(dict.fromkeys(sponsors))
