"""The admin's users page gains "Unlock sign-in" (django-axes lockouts), and workers' heartbeats are readable."""

from axes.utils import reset
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from common.models import WorkerHeartbeat

User = get_user_model()


@admin.action(description="Unlock sign-in (clear failed attempts)", permissions=["change"])
def unlock_sign_in(modeladmin, request, queryset):
    cleared = sum(reset(username=user.get_username()) for user in queryset)
    messages.success(request, f"Signing in is unlocked for {queryset.count()} user(s); {cleared} lockout(s) cleared.")


class TrackerUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, unlock_sign_in]


admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "pid", "worker_id", "started_at", "last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
