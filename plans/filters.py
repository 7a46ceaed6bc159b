"""Filters for the action table; RAG and staleness use the model's own rules, not a copy in SQL."""

import django_filters
from django import forms
from django.db.models import Q

from .models import Action, Area, Sponsor, Theme
from .rag import RAG, Status


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
    due = django_filters.DateFromToRangeFilter(
        label="Due between",
        field_name="target_date",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    stale = django_filters.BooleanFilter(label="Stale only", method="filter_stale", widget=forms.CheckboxInput)

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
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
            Q(lead__icontains=value)
            | Q(lead_user__first_name__icontains=value)
            | Q(lead_user__last_name__icontains=value)
        )

    def filter_rag(self, queryset, name, value):
        if not value:
            return queryset
        wanted = set(value)
        matching = [action.pk for action in queryset.with_rag_data() if action.current_rag.value in wanted]
        return queryset.filter(pk__in=matching)

    def filter_stale(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=[action.pk for action in queryset if action.is_stale()])
