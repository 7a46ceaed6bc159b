"""Forms managers use to keep their actions current, and admins to move a plan through its life."""

from django import forms
from django.core.validators import MaxLengthValidator

from common.dates import check_date

from . import services
from .models import Plan, TargetDateChange
from .rag import RAG, Status


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, widget=forms.RadioSelect)
    at_risk = forms.BooleanField(label="Completion is at risk", required=False)
    at_risk_reason = forms.CharField(
        label="Why is it at risk?",
        required=False,
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commentary = forms.CharField(
        required=False,
        max_length=services.COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What happened since the last update. Required when the action is Amber or Red, or when you "
        "mark it completed.",
    )
    reported_rag = forms.ChoiceField(
        label="The colour you would report",
        choices=[("", "Leave it to the dates")] + [(rag.value, rag.words) for rag in RAG],
        required=False,
        help_text="Your own judgement. The tracker still colours the action by its dates; where you see it "
        "differently, the board is shown both.",
    )
    milestones_done = forms.ModelMultipleChoiceField(
        label="Milestones done", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence_url = forms.URLField(label="Evidence link", required=False, max_length=500, assume_scheme="https")
    # The version of the action the editor saw, so a save from a stale copy is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault(
            "initial",
            {"status": action.status, "at_risk": action.at_risk, "at_risk_reason": action.at_risk_reason,
             "version": action.version},
        )  # fmt: skip
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["milestones_done"].queryset = action.milestones.filter(done_on__isnull=True)
        if not self.fields["milestones_done"].queryset.exists():
            del self.fields["milestones_done"]

    def record(self, *, author):
        """Record the update through the one service that writes history (the page and the admin both call this)."""
        data = self.cleaned_data
        return services.action_update(
            action=self.action,
            author=author,
            status=data["status"],
            at_risk=data["at_risk"],
            at_risk_reason=data["at_risk_reason"],
            commentary=data["commentary"],
            evidence_url=data["evidence_url"],
            milestones_done=data.get("milestones_done") or (),
            expected_version=data["version"],
            reported_rag=data.get("reported_rag") or "",
        )


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on the field it names where the form has one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class TargetDateChangeForm(forms.ModelForm):
    class Meta:
        model = TargetDateChange
        fields = ["new_target_date", "reason"]
        widgets = {
            "new_target_date": forms.DateInput(attrs={"type": "date"}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"new_target_date": "New target date", "reason": "Why does it need to move?"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A manager asks for a date; only a re-imported plan can withdraw one.
        self.fields["new_target_date"].required = True
        self.fields["new_target_date"].validators.append(check_date)
        reason = self.fields["reason"]
        reason.max_length = services.REASON_MAX_LENGTH
        reason.validators.append(MaxLengthValidator(services.REASON_MAX_LENGTH))
        reason.widget.attrs["maxlength"] = str(services.REASON_MAX_LENGTH)


class PlanStatusForm(forms.Form):
    """The next steps of a plan's life, one button each; a reason is needed to go back to draft."""

    to = forms.ChoiceField(choices=Plan.Status.choices)
    reason = forms.CharField(
        required=False,
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason",
        help_text="Needed to take the plan back to draft; kept in the plan's history.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.steps = [Plan.Status(step) for step in services.PLAN_STEPS[Plan.Status(plan.status)]]
        self.fields["to"].choices = [(step.value, step.label) for step in self.steps]


class MilestoneForm(forms.Form):
    """A milestone's definition as its action's owner writes it on the action page (plans.services saves it)."""

    title = forms.CharField(label="Milestone", max_length=500)
    target_date = forms.DateField(label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
