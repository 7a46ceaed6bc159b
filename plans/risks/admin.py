"""The admin of the risk register and of dependencies: a risk's score and status change only through its service."""

from django.contrib import admin

from ..admin import ReadOnlyInline
from ..models import Dependency, Risk, RiskAssessment, RiskImport
from . import services


class RiskAssessmentInline(ReadOnlyInline, admin.TabularInline):
    model = RiskAssessment
    fields = ["assessed_at", "author", "likelihood", "impact", "status", "note", "source"]
    readonly_fields = fields


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
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


@admin.register(Dependency)
class DependencyAdmin(admin.ModelAdmin):
    list_display = ["action", "prerequisite"]
    list_filter = ["action__plan"]
    autocomplete_fields = ["action", "prerequisite"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.delete()
        services.action_prerequisite_add(action=obj.action, prerequisite=obj.prerequisite)


@admin.register(RiskImport)
class RiskImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "plan", "state", "created_by", "created_at", "created_count", "updated_count"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
