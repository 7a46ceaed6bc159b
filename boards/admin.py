from django.contrib import admin

from .models import Board, Decision, FollowUp, Meeting


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "cadence"]
    filter_horizontal = ["members", "plans"]
    search_fields = ["name"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["number", "text", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["board", "date", "status"]
    list_filter = ["board", "status"]
    date_hierarchy = "date"
    inlines = [DecisionInline]
    # Sign-offs are recorded from the meeting's page (boards.services.meeting_sign_off), which keeps the snapshot.
    readonly_fields = ["sign_offs"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["description", "meeting", "owner_person", "due_date", "state", "action"]
    list_filter = ["state", "meeting__board"]
    search_fields = ["description"]
    # Becoming a plan action goes through boards.services.follow_up_to_action, which records the action's history.
    readonly_fields = ["action", "created_by", "created_at", "state_changed_at"]
    autocomplete_fields = ["owner_person"]
