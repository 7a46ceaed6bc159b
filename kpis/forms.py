"""The monthly data entry grid: one row per indicator of a section, each cell validated on its own."""

from django import forms

from common.stale import digest, stamp

from .importing.cells import read_value
from .rules import Unit, value_problem
from .services import NOTE_NEEDS_FIGURE, Entry

UNIT_HINTS = {
    Unit.PERCENT: "%, e.g. 26 or 26%",
    Unit.RATE_10K: "per 10,000",
    Unit.DAYS: "days",
    Unit.WEEKS: "weeks",
    Unit.RATIO: "ratio",
    Unit.COUNT: "number",
}


INDICATORS_CHANGED = "The indicators of this section changed since you opened the page: reload it and enter again."


class ValueEntryForm(forms.Form):
    # Which indicator the row was drawn for, so that a row added meanwhile cannot shift figures to its neighbour.
    indicator_id = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.CharField(required=False, max_length=200)
    note = forms.CharField(required=False, max_length=2000)
    # The figure as the page showed it (common.stale): a save over someone else's later one is refused.
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    shown = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, indicator, saved=None, previous=None, **kwargs):
        self.indicator, self.saved, self.previous = indicator, saved, previous
        initial = {"indicator_id": indicator.pk, "seen": stamp(saved and saved.updated_at)}
        typed = (_as_typed(indicator, saved), saved.note) if saved is not None else ("", "")
        initial["shown"] = digest(*typed)
        if saved is not None:
            initial |= {"value": typed[0], "note": typed[1]}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        label = f"{indicator.name} ({UNIT_HINTS[indicator.unit]})"
        self.fields["value"].label = label
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "class": "cell"})
        self.fields["note"].label = f"Note on {indicator.name}"
        self.fields["note"].widget.attrs.update({"autocomplete": "off", "class": "cell-note"})
        # The error summary names the indicator: a grid of "Value: not a number" would not say which row.
        self.error_summary_name = indicator.name

    def clean_value(self):
        reading = read_value(self.cleaned_data["value"])
        if reading.problem:
            raise forms.ValidationError(reading.problem[0].upper() + reading.problem[1:] + ".")
        if reading.number is not None and (problem := value_problem(reading.number, unit=self.indicator.unit)):
            raise forms.ValidationError(f"{self.indicator.format_number(reading.number)} {problem}.")
        return reading

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("indicator_id") != self.indicator.pk:
            raise forms.ValidationError(INDICATORS_CHANGED)
        reading = cleaned.get("value")
        if reading is not None and reading.empty and cleaned.get("note"):
            self.add_error("value", NOTE_NEEDS_FIGURE)
        return cleaned

    def edited(self):
        """Whether the user changed the row the page showed (always, when the page did not say what it showed)."""
        cleaned = self.cleaned_data
        return (
            not cleaned["shown"]
            or digest(self.data.get(self.add_prefix("value"), ""), cleaned["note"]) != cleaned["shown"]
        )

    def entry(self):
        cleaned = self.cleaned_data
        return Entry(
            indicator=self.indicator, reading=cleaned["value"], note=cleaned["note"], seen=cleaned["seen"] or None
        )


def _as_typed(indicator, value):
    """A saved figure as a person would type it: 26 for 26%, 476.2, or the words."""
    if value.value is None:
        return value.missing_reason
    return f"{value.value.normalize():f}"


class BaseValuesEntryFormSet(forms.BaseFormSet):
    def __init__(self, *args, indicators, saved, previous, **kwargs):
        self.indicators, self.saved, self.previous = indicators, saved, previous
        super().__init__(*args, **kwargs)

    # One row per indicator, whatever the posted management form says, and every row is checked: an
    # unchanged row still has to be read (Django skips "extra" rows left as they were).
    def total_form_count(self):
        return len(self.indicators)

    def initial_form_count(self):
        return len(self.indicators)

    def get_form_kwargs(self, index):
        indicator = self.indicators[index]
        return {
            "indicator": indicator,
            "saved": self.saved.get(indicator.pk),
            "previous": self.previous.get(indicator.pk),
        }


ValuesEntryFormSet = forms.formset_factory(ValueEntryForm, formset=BaseValuesEntryFormSet, extra=0)
