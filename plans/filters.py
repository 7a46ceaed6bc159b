"""Filters for the action table; RAG and staleness use the model's own rules, not a copy in SQL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join

from common.dates import check_date

from .models import Action, Area, Sponsor, Theme
from .rag import RAG, Status
from .reading import Attention, read_actions

# How a table heading says each reason for attention: "5 actions overdue", "3 actions with a moved target".
ATTENTION_WORDS = {
    Attention.OVERDUE: "overdue",
    Attention.AT_RISK: "at risk",
    Attention.NO_TARGET: "with no target date",
    Attention.SLIPPED: "with a moved target",
    Attention.STALE: "with no recent update",
    Attention.REPORTED_DIFFERS: "reported differently from the dates",
    Attention.PREREQUISITE_LATE: "waiting on a late prerequisite",
}


class SaneDateRangeField(django_filters.fields.DateRangeField):
    """From and to dates, each refused outside 1990-2100 with the message every page gives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.fields:
            bound.validators.append(check_date)


class SaneDateFromToRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = SaneDateRangeField


class LabelledDateRangeWidget(django_filters.widgets.DateRangeWidget):
    """The two boxes of a date range, each inside its own label ("From", "To"), so that a screen reader names both."""

    WORDS = ("From", "To")

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        attrs = self.build_attrs(self.attrs, attrs)
        input_type = attrs.pop("type", None)  # given to each box as its own type: one type attribute, not two
        boxes = []
        for index, (widget, suffix, words) in enumerate(zip(self.widgets, self.suffixes, self.WORDS, strict=True)):
            widget.input_type = input_type or widget.input_type
            box_attrs = {**attrs, "id": f"{attrs['id']}_{index}"} if attrs.get("id") else attrs
            box = widget.render(self.suffixed(name, suffix), values[index], box_attrs, renderer)
            boxes.append((box_attrs.get("id", ""), words, box))
        return format_html_join("", '<label for="{}">{} {}</label>', boxes)


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_text")
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), empty_label="All areas")
    theme = django_filters.ModelChoiceFilter(
        field_name="area__theme", label="Theme", queryset=Theme.objects.none(), empty_label="All themes"
    )
    sponsor = django_filters.ModelChoiceFilter(
        field_name="sponsors", label="Sponsor", queryset=Sponsor.objects.none(), empty_label="All sponsors"
    )
    lead = django_filters.CharFilter(label="Lead", method="filter_lead")
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    rag = django_filters.MultipleChoiceFilter(
        label="RAG", choices=RAG.choices, method="filter_rag", widget=forms.CheckboxSelectMultiple
    )
    due = SaneDateFromToRangeFilter(
        label="Due between",
        field_name="target_date",
        widget=LabelledDateRangeWidget(attrs={"type": "date"}),
    )
    stale = django_filters.BooleanFilter(label="Stale only", method="filter_stale", widget=forms.CheckboxInput)
    attention = django_filters.ChoiceFilter(
        label="Needs attention", choices=Attention.choices, empty_label="Any", method="filter_attention"
    )
    moved_since = django_filters.DateFilter(
        label="Changed colour since",
        method="filter_moved_since",
        validators=[check_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    as_of = django_filters.DateFilter(
        label="RAG as at", method="keep_all", validators=[check_date], widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Colours, staleness and slippage as they stood on this date (today if empty).",
    )  # fmt: skip

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self._reads = {}
        self.filters["area"].queryset = plan.areas.all()
        self.filters["theme"].queryset = plan.themes.all()
        self.filters["sponsor"].queryset = Sponsor.objects.filter(actions__plan=plan).distinct()
        if not plan.themes.exists():
            del self.filters["theme"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(ref__iexact=value.strip()) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_lead(self, queryset, name, value):
        return queryset.filter(
            Q(pk__in=Action.objects.filter(Q(lead__icontains=value) | Q(leads__name__icontains=value)).values("pk"))
        )

    @property
    def rag_date(self):
        cleaned = getattr(self.form, "cleaned_data", {})
        return cleaned.get("as_of") or timezone.localdate()

    def keep_all(self, queryset, name, value):
        return queryset

    def _read(self, *also_on):
        """The plan's actions with their colour etc. as of the chosen date, read once by the summary's own rules.

        Each RAG-based filter keeps the actions that pass its test; they share this one reading
        instead of each fetching the history again.
        """
        dates = (self.rag_date, *also_on)
        if dates not in self._reads:
            actions = self.queryset.prefetch_related(None).with_history_on(*dates)
            self._reads[dates] = read_actions(actions, self.rag_date)
        return self._reads[dates]

    def _keep(self, queryset, test, *also_on):
        return queryset.filter(pk__in=[reading.action.pk for reading in self._read(*also_on) if test(reading)])

    def filter_rag(self, queryset, name, value):
        if not value:
            return queryset
        wanted = set(value)
        return self._keep(queryset, lambda reading: reading.rag in wanted)

    def filter_stale(self, queryset, name, value):
        if not value:
            return queryset
        return self.filter_attention(queryset, name, Attention.STALE)

    def filter_attention(self, queryset, name, value):
        if not value:
            return queryset
        return self._keep(queryset, lambda reading: value in reading.attention)

    def described(self, count: int) -> str:
        """What the table shows, in words, as its heading: "5 actions Red on 2 Dec 2026"."""
        cleaned = getattr(self.form, "cleaned_data", {}) if self.is_bound and self.form.is_valid() else {}
        parts = [" or ".join(RAG(value).label for value in cleaned.get("rag") or [])]
        if cleaned.get("status"):
            parts.append(Status(cleaned["status"]).label.lower())
        if cleaned.get("attention"):
            parts.append(ATTENTION_WORDS.get(cleaned["attention"], Attention(cleaned["attention"]).label.lower()))
        if cleaned.get("stale") and cleaned.get("attention") != Attention.STALE:
            parts.append(ATTENTION_WORDS[Attention.STALE])
        parts += self._described_by_fields(cleaned)
        words = " ".join(part for part in parts if part)
        return f"{count} action{'' if count == 1 else 's'}{' ' + words if words else ''} on {self.rag_date:%-d %b %Y}"

    def _described_by_fields(self, cleaned):
        if cleaned.get("area"):
            yield f"in {cleaned['area']}"
        if cleaned.get("theme"):
            yield f"in the theme {cleaned['theme']}"
        if cleaned.get("sponsor"):
            yield f"sponsored by {cleaned['sponsor']}"
        if cleaned.get("lead"):
            yield f"led by “{cleaned['lead']}”"
        if cleaned.get("q"):
            yield f"matching “{cleaned['q']}”"
        due = cleaned.get("due")
        if due and (due.start or due.stop):
            start = f" from {due.start:%-d %b %Y}" if due.start else ""
            stop = f" to {due.stop:%-d %b %Y}" if due.stop else ""
            yield f"due{start}{stop}"
        if cleaned.get("moved_since"):
            yield f"that changed colour since {cleaned['moved_since']:%-d %b %Y}"

    def filter_moved_since(self, queryset, name, value):
        if not value:
            return queryset
        return self._keep(queryset, lambda reading: reading.action.rag(value) != reading.rag, value)
