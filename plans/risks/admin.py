"""The admin of the risk register and of dependencies: a risk's score and status change only through its service,
and dependencies are checked by the same rules as everywhere else."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from ..models import Dependency, Risk, RiskAssessment, RiskImport
from . import services


class RiskAssessmentInline(admin.TabularInline):
    """The score history: written by plans.risks.services, only looked at here (as plans.admin's history rows)."""

    model = RiskAssessment
    extra = 0
    can_delete = False
    fields = ["assessed_at", "author", "likelihood", "impact", "status", "note", "source"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["plan", "ref", "position", "title", "description", "cause", "effect", "owner", "likelihood",
                  "impact", "target_score", "status", "review_date", "mitigations"]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        for action in cleaned.get("mitigations") or ():
            if plan is not None and action.plan_id != plan.pk:
                self.add_error("mitigations", services.MITIGATION_IN_ANOTHER_PLAN.format(ref=action.ref))
        return cleaned


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    form = RiskForm
    list_display = ["ref", "title", "plan", "likelihood", "impact", "status", "review_date"]
    list_filter = ["plan", "status"]
    search_fields = ["ref", "title", "owner"]
    filter_horizontal = ["mitigations"]
    inlines = [RiskAssessmentInline]

    def save_model(self, request, obj, form, change):
        # The score history is written by the service: a new risk gets its first assessment, a changed score another.
        if not change:
            super().save_model(request, obj, form, change)
            services.risk_assess_first(risk=obj, author=request.user)
            return
        old = Risk.objects.get(pk=obj.pk)
        scored = (obj.likelihood, obj.impact, obj.status)
        obj.likelihood, obj.impact, obj.status = old.likelihood, old.impact, old.status
        super().save_model(request, obj, form, change)
        services.risk_assess(risk=obj, likelihood=scored[0], impact=scored[1], status=scored[2],
                             author=request.user, note="Changed in the admin.")  # fmt: skip


class DependencyForm(forms.ModelForm):
    class Meta:
        model = Dependency
        fields = ["action", "prerequisite"]

    def clean(self):
        cleaned = super().clean()
        action, prerequisite = cleaned.get("action"), cleaned.get("prerequisite")
        if action and prerequisite and not self.errors:
            try:
                services.action_prerequisite_check(action=action, prerequisite=prerequisite)
            except ValidationError as error:
                raise ValidationError(error.message_dict["prerequisite"]) from error
        return cleaned


@admin.register(Dependency)
class DependencyAdmin(admin.ModelAdmin):
    form = DependencyForm
    list_display = ["action", "prerequisite"]
    list_filter = ["action__plan"]
    autocomplete_fields = ["action", "prerequisite"]

    def has_change_permission(self, request, obj=None):
        return False  # a dependency is added or removed, never rewired

    def save_model(self, request, obj, form, change):
        services.action_prerequisite_add(action=obj.action, prerequisite=obj.prerequisite)


@admin.register(RiskImport)
class RiskImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "plan", "state", "created_by", "created_at", "created_count", "updated_count"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
