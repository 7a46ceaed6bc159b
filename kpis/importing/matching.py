"""Matching the names a KPI workbook writes to the tracker's: indicators by code or by a normalised name,
comparator groups that differ only in spelling or abbreviation, and polarity as people write it.

A benchmarking table is usually copied from national data, so its rows rarely spell an indicator as the
scorecard does ("Rate of CSC referrals (10k pop)" for "Rate of CSC referrals per 10,000"); its columns name the
same comparator group several ways ("Statistical Neighbours", "Stat neighbours", "SN"). Every match that is not
exact is shown in the preview for the admin to confirm before importing.
"""

import re

from ..rules import Polarity


def normalise(name: str) -> str:
    """A name as compared exactly: spaces and case aside."""
    return " ".join(name.split()).casefold()


# Words that say the same thing in several ways, and words that say nothing about which indicator it is.
_SAME_WORDS = {
    "10k": "10000", "10 000": "10000", "10,000": "10000", "per10k": "10000", "%": "percent", "pct": "percent",
    "percentage": "percent", "no": "number", "num": "number", "nos": "number", "cp": "child protection",
    "cpp": "child protection plan", "cla": "looked after", "lac": "looked after", "cic": "looked after",
    "stat": "statistical", "stats": "statistical", "neighbour": "neighbours", "neighbor": "neighbours",
    "neighbors": "neighbours", "sn": "statistical neighbours", "sns": "statistical neighbours",
    "eng": "england", "avg": "", "average": "", "ave": "",
}  # fmt: skip
_NOISE = {"of", "the", "a", "an", "per", "in", "for", "rate", "pop", "population", "children", "child", "aged",
          "under", "0", "17", "18", "and", "to", "by", "with", "which", "were", "was", "is", "are"}  # fmt: skip
_TOKEN = re.compile(r"10[ ,]000|10k|%|[a-z0-9]+")


def _tokens(name: str) -> list[str]:
    words = []
    for token in _TOKEN.findall(name.casefold()):
        words.extend(_SAME_WORDS.get(token, token).split())
    return words


def indicator_key(name: str) -> frozenset[str]:
    """The words that tell one indicator from another, spelled one way: "(10k pop)" and "per 10,000" alike."""
    return frozenset(word for word in _tokens(name) if word not in _NOISE)


def group_key(name: str) -> str:
    """ "Statistical Neighbours", "Stat neighbours", "SN average", "Stat. Neighbors" -> "statistical neighbours"."""
    return " ".join(_tokens(name))


def closest_indicator(name: str, keys: dict[frozenset[str], list]) -> object | None:
    """The one indicator whose key is the name's, or failing that the one sharing most of its words; None when
    no single indicator is close enough (two equally close are not guessed between)."""
    wanted = indicator_key(name)
    if not wanted:
        return None
    exact = keys.get(wanted, [])
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    scored = []
    for key, indicators in keys.items():
        if not key:
            continue
        similarity = len(wanted & key) / len(wanted | key)
        if similarity >= 0.75:
            scored.extend((similarity, indicator) for indicator in indicators)
    scored.sort(key=lambda pair: -pair[0])
    if len(scored) == 1 or (len(scored) > 1 and scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


_HIGHER = ("higher", "high", "up", "increase", "more", "bigger", "larger", "maximise")
_LOWER = ("lower", "low", "down", "decrease", "less", "fewer", "smaller", "minimise", "reduce")
_NEITHER = ("neither", "none", "n/a", "na", "context", "no polarity", "-")


def read_polarity(text: str) -> str | None:
    """A Polarity value from how people write it: "Higher is better", "higher", "Good is low", "Lower"."""
    words = " ".join(str(text).casefold().replace("good is", "").split()).strip(" .")
    if words in (value for value, _label in Polarity.choices):
        return words
    if words.startswith(_HIGHER):
        return Polarity.HIGHER
    if words.startswith(_LOWER):
        return Polarity.LOWER
    if words.startswith(_NEITHER) or words == "":
        return Polarity.NEITHER if words else None
    return None
