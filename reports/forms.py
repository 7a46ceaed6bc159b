import datetime as dt

from django import forms
from django.utils import timezone

from .models import BoardPack


class BoardPackForm(forms.Form):
    as_of = forms.DateField(label="Position as at", widget=forms.DateInput(attrs={"type": "date"}))
    meeting_date = forms.DateField(label="Board meeting", widget=forms.DateInput(attrs={"type": "date"}))
    next_meeting_date = forms.DateField(
        label="Next board meeting",
        required=False,
        help_text="Milestones due by then are listed. Leave blank for a month after the position date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    orientation = forms.ChoiceField(choices=BoardPack.Orientation.choices, initial=BoardPack.Orientation.PORTRAIT)

    @classmethod
    def with_defaults(cls):
        today = timezone.localdate()
        return cls(initial={"as_of": today, "meeting_date": today + dt.timedelta(days=7)})
