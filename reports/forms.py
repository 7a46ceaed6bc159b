import datetime as dt

from django import forms
from django.utils import timezone

from boards.models import Meeting
from common.dates import SaneDateField
from common.stale import digest

from .models import BoardPack

MEETING_OR_DATE = "Choose the board meeting, or give its date."


class BoardPackForm(forms.Form):
    # A meeting of a board overseeing the plan (boards); its date becomes the pack's meeting date.
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="(none: give the date below)",
        help_text="The board meeting the pack goes to. Its date is used as the board meeting date.",
    )
    as_of = SaneDateField(label="Position as at", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    meeting_date = SaneDateField(
        label="Board meeting", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    next_meeting_date = SaneDateField(
        label="Next board meeting",
        required=False,
        help_text="Milestones due by then are listed. Leave blank for a month after the position date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    orientation = forms.ChoiceField(choices=BoardPack.Orientation.choices, initial=BoardPack.Orientation.PORTRAIT)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            meetings = Meeting.objects.of_plan(plan).exclude(status=Meeting.Status.CANCELLED)
            self.fields["meeting"].queryset = meetings.order_by("-date", "board__name")
        if not self.fields["meeting"].queryset.exists():
            del self.fields["meeting"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("meeting") and not cleaned.get("meeting_date") and "meeting_date" not in self.errors:
            self.add_error("meeting_date", MEETING_OR_DATE)
        return cleaned

    @classmethod
    def with_defaults(cls, plan=None):
        today = timezone.localdate()
        initial = {"as_of": today, "meeting_date": today + dt.timedelta(days=7)}
        if plan is not None:
            upcoming = Meeting.objects.of_plan(plan).filter(date__gte=today, status=Meeting.Status.SCHEDULED)
            if (meeting := upcoming.order_by("date").first()) is not None:
                initial["meeting"] = meeting.pk
        return cls(initial=initial, plan=plan)


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
