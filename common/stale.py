"""Saving a page of several objects that others may have saved since it was opened: detect it per object, say so.

A page holding several objects (the month's narratives, a section's KPI figures) sends back, for each object it
showed, the stamp of the object as it was shown (`stamp`) and a fingerprint of what it showed (`digest`). A row the
user did not change is not written at all, so it cannot overwrite what someone else saved meanwhile. The service
compares each changed row's stamp with the object as it is now, locked, and writes nothing if any changed
(`StaleObjects`): the page answers 409 with what changed and by whom, and keeps what the user typed, as the action
update does. An object the page did not show is never written or deleted.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

NOTHING_SAVED = "none"  # the stamp of an object that did not exist when the page was shown
# Messages tests import.
CHANGED_SINCE_OPENED = (
    "Someone else saved {count} of these after you opened the page, so nothing was saved. "
    "Their changes are shown beside yours; what you typed is kept. Check it, then save again."
)


def digest(*texts: str) -> str:
    """A short fingerprint of what a row showed, so that a row the user left as it was is not written back.

    Line endings are those of the text, whatever the browser sends (textareas post CRLF).
    """
    shown = "\x1f".join(text.replace("\r\n", "\n").replace("\r", "\n").strip() for text in texts)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def stamp(changed_at: dt.datetime | None) -> str:
    """What a page keeps of an object it shows: when it last changed, or that there was none."""
    return changed_at.isoformat() if changed_at else NOTHING_SAVED


@dataclass(frozen=True)
class Conflict:
    """One object that changed since the page was shown: its key, who changed it and what it holds now (None: gone)."""

    key: Any
    changed_by: Any  # a user, or None when unknown or removed
    changed_at: dt.datetime | None
    now: Any


class StaleObjects(Exception):
    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__(CHANGED_SINCE_OPENED.format(count=len(conflicts)))

    def by_key(self) -> dict[Any, Conflict]:
        return {conflict.key: conflict for conflict in self.conflicts}
