import datetime as dt

from django import forms
from django.utils import timezone

from boards.models import Meeting
from common.dates import SaneDateField
from common.stale import digest
from plans.models import Area, Theme

from .models import BoardPack, PackFrontMatter
from .pack_scope import NO_PARTS, PACK_PARTS, PART_KEYS

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
    # The pack's scope (reports.pack_scope): none chosen is the whole plan.
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every area of the themes ticked. Tick none for the whole plan.",
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these areas' actions, exceptions, KPIs and risks. Tick none for the whole plan.",
    )
    sections = forms.MultipleChoiceField(
        label="Parts of the pack",
        choices=PACK_PARTS,
        initial=list(PART_KEYS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Set by the page that shows the checkboxes: there, nothing ticked is a mistake; a request without the
    # checkboxes (a script) prints every part.
    parts_shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = plan.areas.all()
        self.fields["themes"].queryset = plan.themes.all()
        if not self.fields["themes"].queryset.exists():
            del self.fields["themes"]
        meetings = Meeting.objects.of_plan(plan).exclude(status=Meeting.Status.CANCELLED)
        self.fields["meeting"].queryset = meetings.order_by("-date", "board__name")
        if not self.fields["meeting"].queryset.exists():
            del self.fields["meeting"]

    SCOPE_FIELDS = ("themes", "areas", "sections", "parts_shown")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("meeting") and not cleaned.get("meeting_date") and "meeting_date" not in self.errors:
            self.add_error("meeting_date", MEETING_OR_DATE)
        if not cleaned.get("sections"):
            if cleaned.pop("parts_shown", False):
                self.add_error("sections", NO_PARTS)
            cleaned["sections"] = None
        cleaned.pop("parts_shown", None)
        return cleaned

    @property
    def scope_fields(self):
        return [self[name] for name in self.SCOPE_FIELDS[:3] if name in self.fields]

    @classmethod
    def with_defaults(cls, plan):
        today = timezone.localdate()
        initial = {"as_of": today, "meeting_date": today + dt.timedelta(days=7)}
        upcoming = Meeting.objects.of_plan(plan).filter(date__gte=today, status=Meeting.Status.SCHEDULED)
        if (meeting := upcoming.order_by("date").first()) is not None:
            initial["meeting"] = meeting.pk
        return cls(initial=initial, plan=plan)


class PackFrontMatterForm(forms.ModelForm):
    """The committee report's cover table and headings; every field may be left blank."""

    class Meta:
        model = PackFrontMatter
        fields = PackFrontMatter.WRITTEN
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("purpose", "recommendations", "background", *PackFrontMatter.IMPLICATIONS, "appendices")
        }


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
