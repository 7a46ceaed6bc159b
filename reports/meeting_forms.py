"""Forms of the boards' pages: a meeting's decisions, its actions arising, and signing off a plan."""

from django import forms
from django.contrib.auth import get_user_model

from boards.models import Decision, FollowUp
from common.dates import SaneDateField
from plans.models import Area, Person, Plan

DECISION_MAX_LENGTH = 5000


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="What was decided",
        max_length=DECISION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As the minutes word it.",
    )


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, area):
        return f"{area.plan.title}: {area}"


class FollowUpForm(forms.Form):
    description = forms.CharField(label="What is to be done", max_length=500)
    owner_person = forms.ModelChoiceField(
        label="Owner", queryset=Person.objects.all(), required=False, empty_label="(choose a person)"
    )
    owner_user = forms.ModelChoiceField(
        label="Or a board member",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="(none)",
        help_text="For an owner with an account but not on the list of people.",
    )
    due_date = SaneDateField(
        label="Due by", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decision = forms.ModelChoiceField(
        label="Arising from decision", queryset=Decision.objects.none(), required=False, empty_label="(none)"
    )
    area = AreaChoiceField(
        label="Area of the plan",
        queryset=Area.objects.none(),
        required=False,
        empty_label="(not yet known)",
        help_text="Where it would sit if it becomes an action of the plan.",
    )

    def __init__(self, *args, meeting, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = meeting.board.members.order_by("username")
        self.fields["decision"].queryset = meeting.decisions.all()
        self.fields["decision"].label_from_instance = lambda decision: f"{decision.number}. {decision.text[:80]}"
        self.fields["area"].queryset = Area.objects.filter(plan__in=plans).select_related("plan")


class FollowUpStateForm(forms.Form):
    state = forms.ChoiceField(choices=FollowUp.State.choices)


class FollowUpToActionForm(forms.Form):
    area = AreaChoiceField(label="Area of the plan", queryset=Area.objects.none(), empty_label="(choose an area)")

    def __init__(self, *args, plans, areas=None, **kwargs):
        """`areas`: the plans' areas read once for a page of these forms (else each form's list is a query)."""
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = Area.objects.filter(plan__in=plans).select_related("plan")
        if areas is not None:
            field.choices = [("", field.empty_label), *((area.pk, field.label_from_instance(area)) for area in areas)]


class SignOffForm(forms.Form):
    plan = forms.ModelChoiceField(label="Plan signed off", queryset=Plan.objects.none(), empty_label="(choose a plan)")

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
