"""Writes to KPI figures that do more than save one row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from common.stale import Conflict, StaleObjects, stamp

from .models import Indicator, Value

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .importing.cells import Reading

VALUES_SAVED = "Saved {month:%B %Y} for {section}: {created} new, {updated} changed, {deleted} cleared."
NOTE_NEEDS_FIGURE = "A note needs a figure, or words saying why there is none."


@dataclass(frozen=True)
class Entry:
    """One indicator's cell in the data entry grid, already read (kpis.importing.cells.read_value)."""

    indicator: Indicator
    reading: Reading
    note: str
    seen: str | None = None  # the figure's stamp as the page showed it (common.stale.stamp); None: not checked


@dataclass(frozen=True)
class EntryResult:
    created: int
    updated: int
    deleted: int


@transaction.atomic
def values_enter(*, month: dt.date, entries: Sequence[Entry], user: AbstractBaseUser | None) -> EntryResult:
    """Save one month's figures for several indicators at once: all of them or, on any error, none.

    An empty cell clears that month's figure; a cell holding what is already saved changes nothing. If a figure has
    changed since the page showed it (its entry's `seen`), nothing is written: StaleObjects says which and who.
    """
    existing = {
        value.indicator_id: value
        for value in Value.objects.select_for_update().filter(
            period=month, indicator__in=[entry.indicator for entry in entries]
        )
    }
    conflicts = [
        Conflict(entry.indicator, now.updated_by if now else None, now.updated_at if now else None, now)
        for entry in entries
        if entry.seen is not None and stamp((now := existing.get(entry.indicator.pk)) and now.updated_at) != entry.seen
    ]
    if conflicts:
        raise StaleObjects(conflicts)
    created = updated = deleted = 0
    for entry in entries:
        value = existing.get(entry.indicator.pk)
        number, words = entry.reading.number, entry.reading.words
        if number is None and not words:
            if value is not None:
                value.delete()
                deleted += 1
            continue
        if value is None:
            value = Value(indicator=entry.indicator, period=month)
        elif (value.value, value.missing_reason, value.note) == (number, words, entry.note):
            continue
        is_new = value.pk is None
        value.value, value.missing_reason, value.note, value.updated_by = number, words, entry.note, user
        value.full_clean()
        value.save()
        created += is_new
        updated += not is_new
    return EntryResult(created=created, updated=updated, deleted=deleted)
