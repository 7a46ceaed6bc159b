"""The Django admin for the plans domain: list columns, filters, search and inlines."""

from django.contrib import admin

from .models import Action, ActionUpdate, Area, Milestone, Plan, Sponsor, TargetDateChange, Theme


class AreaInline(admin.TabularInline):
    model = Area
    fields = ["position", "number", "title", "theme"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "period_start", "period_end", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AreaInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "plan", "theme", "position"]
    list_filter = ["plan", "theme"]
    search_fields = ["title", "outcome", "measured_by"]
    list_select_related = ["plan", "theme"]


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "role", "name", "user"]
    search_fields = ["abbreviation", "role", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["position", "title", "target_date", "target_text", "done_on"]
    extra = 0


class ActionUpdateInline(admin.StackedInline):
    model = ActionUpdate
    fields = ["created_at", "author", "status", "rag", "at_risk", "at_risk_reason", "commentary", "evidence_url"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # History is written by the update service, so the RAG snapshot and version stay right.
        return False


class TargetDateChangeInline(admin.TabularInline):
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
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
    autocomplete_fields = ["lead_user"]
    filter_horizontal = ["sponsors"]
    # Status and target change only through updates and approved requests, so the history the
    # as-of views rebuild from stays complete.
    readonly_fields = [
        "status",
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
        ("Dates", {"fields": ["start_date", "start_text", "target_date", "target_text", "completed_on"]}),
        ("People", {"fields": ["lead", "lead_user", "sponsors", "sponsor_text"]}),
        ("Status", {"fields": ["status", "status_text", "at_risk", "at_risk_reason", "last_updated_at", "version"]}),
    ]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "action", "target_date", "done_on"]
    list_filter = ["action__plan"]
    search_fields = ["title", "action__ref", "action__title"]
    list_select_related = ["action"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "created_at", "author", "status", "rag", "at_risk"]
    list_filter = ["rag", "status", "at_risk", "action__plan"]
    search_fields = ["action__ref", "action__title", "commentary"]
    list_select_related = ["action", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["rag"]


@admin.register(TargetDateChange)
class TargetDateChangeAdmin(admin.ModelAdmin):
    list_display = ["action", "previous_target_date", "new_target_date", "decision", "requested_by", "decided_by"]
    list_filter = ["decision", "action__plan"]
    search_fields = ["action__ref", "action__title", "reason"]
    list_select_related = ["action", "requested_by", "decided_by"]
