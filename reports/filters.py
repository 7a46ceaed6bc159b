"""The action table's filters with one more that needs board packs: changed colour since what a pack showed."""

import django_filters
from django import forms

from plans.filters import ActionFilter

from .models import BoardPack


class BoardActionFilter(ActionFilter):
    moved_since_pack = django_filters.NumberFilter(
        label="Changed colour since board pack", method="filter_moved_since_pack", widget=forms.HiddenInput
    )

    def _described_by_fields(self, cleaned):
        yield from super()._described_by_fields(cleaned)
        if cleaned.get("moved_since_pack"):
            pack = BoardPack.objects.issued().filter(pk=cleaned["moved_since_pack"]).first()
            if pack:
                yield f"that changed colour since the board pack of {pack.meeting_date:%-d %b %Y}"

    def filter_moved_since_pack(self, queryset, name, value):
        """Changed colour since what an issued board pack showed (its snapshot, not the history)."""
        if not value:
            return queryset
        pack = BoardPack.objects.issued().filter(pk=value).first()
        shown = pack.previous_rags() if pack else {}
        return self._keep(queryset, lambda reading: shown.get(reading.action.pk) != reading.rag)
