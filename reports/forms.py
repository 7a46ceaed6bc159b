import datetime as dt

from django import forms
from django.utils import timezone

from common.dates import SaneDateField
from common.stale import digest

from .models import BoardPack


class BoardPackForm(forms.Form):
    as_of = SaneDateField(label="Position as at", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    meeting_date = SaneDateField(
        label="Board meeting", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    next_meeting_date = SaneDateField(
        label="Next board meeting",
        required=False,
        help_text="Milestones due by then are listed. Leave blank for a month after the position date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    orientation = forms.ChoiceField(choices=BoardPack.Orientation.choices, initial=BoardPack.Orientation.PORTRAIT)

    @classmethod
    def with_defaults(cls):
        today = timezone.localdate()
        return cls(initial={"as_of": today, "meeting_date": today + dt.timedelta(days=7)})


NARRATIVE_MAX_LENGTH = 5000


class PeriodNarrativeForm(forms.Form):
    """The two columns of the performance report under one area or KPI section; blank lines start a new paragraph."""

    going_well = forms.CharField(
        label="What is going well?",
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    for_improvement = forms.CharField(
        label="What are our areas for improvement?",
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # The narrative as the page showed it (common.stale.stamp): a save over someone else's later one is refused.
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    shown = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def edited(self) -> bool:
        """Whether the user changed what the page showed (always, when the page did not say what it showed)."""
        cleaned = self.cleaned_data
        return not cleaned["shown"] or digest(cleaned["going_well"], cleaned["for_improvement"]) != cleaned["shown"]
