"""The Django admin for the plans domain: list columns, filters, search and inlines.

History is the single source of truth for an action's past, and only plans.services writes it: here
the state of an action (status, at risk, target, completion) and its update and target-change rows
are read only, and the admin changes them by calling the services ("Record an update", and the
approve/reject actions on target date requests), never around them.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import ActionUpdateForm, add_service_errors
from .models import (
    Action,
    ActionUpdate,
    Area,
    Milestone,
    Person,
    Plan,
    PlanSignOff,
    PlanStatusChange,
    Sponsor,
    TargetDateChange,
    Theme,
)

UPDATE_RECORDED = "Update recorded: action {ref} is now {status}, {rag}."
REQUESTS_DECIDED = "{count} target date request{s} {decision}."


class WrittenByTheService:
    """History past views are rebuilt from: recorded by plans.services (the update form, "Record an update"
    on the action, a decided request), only looked at here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(WrittenByTheService):
    """An inline of history rows: shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False


class AreaInline(admin.TabularInline):
    model = Area
    fields = ["position", "number", "title", "theme"]
    extra = 0
    show_change_link = True


class PlanStatusChangeInline(admin.TabularInline):
    """The plan's life as recorded, read-only."""

    model = PlanStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "period_start", "period_end", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    # The status moves only on the plan's own page, through plans.services.plan_status_change, which records
    # who moved it, when and why; a new plan starts as a draft.
    readonly_fields = ["status"]
    inlines = [AreaInline, PlanStatusChangeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["title", "outcome", "measures_of_success"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "plan", "theme", "position"]
    list_filter = ["plan", "theme"]
    search_fields = ["title", "outcome", "objectives", "measured_by"]
    list_select_related = ["plan", "theme"]


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "role", "person"]
    search_fields = ["abbreviation", "role", "person__name"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    """Merging two people is on the app's People page (plans.people_views), which keeps their actions' history."""

    list_display = ["name", "job_title", "organisation", "email", "user"]
    search_fields = ["name", "email", "job_title", "organisation", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["position", "title", "target_date", "target_text", "done_on"]
    # A milestone is marked done by an update (the date it was done is part of the action's history).
    readonly_fields = ["done_on"]
    extra = 0


class ActionUpdateInline(ReadOnlyInline, admin.StackedInline):
    model = ActionUpdate
    fields = ["created_at", "author", "status", "rag", "reported_rag", "at_risk", "at_risk_reason", "commentary",
              "evidence_url", "source"]  # fmt: skip
    readonly_fields = fields
    show_change_link = True


class TargetDateChangeInline(ReadOnlyInline, admin.TabularInline):
    model = TargetDateChange
    fields = [
        "requested_at",
        "requested_by",
        "previous_target_date",
        "new_target_date",
        "reason",
        "decision",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = [
        "ref",
        "title",
        "plan",
        "area",
        "target_date",
        "target_text",
        "status",
        "at_risk",
        "last_updated_at",
    ]
    list_display_links = ["ref", "title"]
    list_filter = ["plan", "status", "at_risk", "area", "sponsors"]
    search_fields = ["ref", "title", "description", "lead", "sponsor_text"]
    list_select_related = ["plan", "area"]
    autocomplete_fields = ["leads"]
    filter_horizontal = ["sponsors"]
    # Status and target change only through updates and approved requests, so the history the
    # as-of views rebuild from stays complete; on a new action too, whose first state is an update's.
    readonly_fields = [
        "status",
        "status_text",
        "at_risk",
        "at_risk_reason",
        "completed_on",
        "target_date",
        "last_updated_at",
        "version",
    ]
    date_hierarchy = "target_date"
    inlines = [MilestoneInline, TargetDateChangeInline, ActionUpdateInline]
    fieldsets = [
        (None, {"fields": ["plan", "area", "ref", "position", "title", "description", "sub_items"]}),
        ("Dates", {"fields": ["start_date", "start_text", "target_date", "target_text", "cadence", "completed_on"]}),
        ("People", {"fields": ["leads", "lead", "sponsors", "sponsor_text"]}),
        ("Status", {"fields": ["status", "status_text", "at_risk", "at_risk_reason", "last_updated_at", "version"]}),
    ]

    def get_urls(self):
        record_update = self.admin_site.admin_view(self.record_update_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_record_update"
        return [path("<path:object_id>/record-update/", record_update, name=name), *super().get_urls()]

    def record_update_view(self, request, object_id):
        """The update form of the action page, in the admin: it records the update through the service."""
        action = self.get_object(request, unquote(object_id))
        if action is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, action):
            raise PermissionDenied
        form = ActionUpdateForm(request.POST or None, action=action)
        if request.method == "POST" and form.is_valid():
            try:
                update = form.record(author=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except services.StaleActionError as error:
                # Keep what was typed; a second save goes ahead against the version now shown.
                typed = request.POST.copy()
                typed["version"] = error.action.version
                form = ActionUpdateForm(typed, action=error.action)
                form.is_valid()
                form.add_error(None, services.ACTION_CHANGED_SINCE_OPENED)
            else:
                words = UPDATE_RECORDED.format(
                    ref=action.ref, status=update.get_status_display().lower(), rag=update.get_rag_display()
                )
                self.message_user(request, words, messages.SUCCESS)
                return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[action.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": action,
            "form": form,
            "title": f"Record an update to action {action.ref}",
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "admin/plans/action/record_update.html", context, status=status)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "action", "target_date", "done_on"]
    list_filter = ["action__plan"]
    search_fields = ["title", "action__ref", "action__title"]
    list_select_related = ["action"]
    readonly_fields = ["done_on"]  # marked done by an update, as in the action's inline


@admin.register(ActionUpdate)
class ActionUpdateAdmin(WrittenByTheService, admin.ModelAdmin):
    list_display = ["action", "created_at", "author", "status", "rag", "reported_rag", "at_risk"]
    list_filter = ["rag", "reported_rag", "status", "at_risk", "action__plan"]
    search_fields = ["action__ref", "action__title", "commentary"]
    list_select_related = ["action", "author"]
    date_hierarchy = "created_at"
    # A link typed without a scheme is https, as on the update form (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(TargetDateChange)
class TargetDateChangeAdmin(WrittenByTheService, admin.ModelAdmin):
    list_display = ["action", "previous_target_date", "new_target_date", "decision", "requested_by", "decided_by"]
    list_filter = ["decision", "action__plan"]
    search_fields = ["action__ref", "action__title", "reason"]
    list_select_related = ["action", "requested_by", "decided_by"]
    actions = ["approve", "reject"]

    # Requests are made on the action page and decided through the service, which moves the target
    # and keeps the change in the action's history; here they can only be approved or rejected.

    def has_decide_permission(self, request):
        return request.user.has_perm("plans.change_targetdatechange")

    @admin.action(description="Approve the selected target date requests", permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject the selected target date requests", permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve):
        decided = 0
        for change in queryset.select_related("action").prefetch_related("action__sponsors"):
            try:
                services.target_date_change_decide(change=change, decided_by=request.user, approve=approve)
            except ValidationError as error:
                self.message_user(request, f"{change}: {' '.join(error.messages)}", messages.ERROR)
            except PermissionDenied as error:
                self.message_user(request, f"{change}: {error}", messages.ERROR)
            else:
                decided += 1
        if decided:
            words = REQUESTS_DECIDED.format(
                count=decided, s="" if decided == 1 else "s", decision="approved" if approve else "rejected"
            )
            self.message_user(request, words, messages.SUCCESS)


from .risks import admin as risk_admin  # noqa: E402, F401  (registers the risk register's admin)


@admin.register(PlanSignOff)
class PlanSignOffAdmin(WrittenByTheService, admin.ModelAdmin):
    """Recorded from a board meeting's page (plans.signoff.plan_sign_off keeps the version agreed)."""

    list_display = ["plan", "signed_off_by", "signed_off_on", "recorded_by"]
    list_filter = ["plan"]
