"""Board packs in the Django admin: to look up, never to edit, since an issued pack is a record; and narratives."""

from django.contrib import admin

from .models import BoardPack, BoardPackEntry, PeriodNarrative


class BoardPackEntryInline(admin.TabularInline):
    model = BoardPackEntry
    fields = ["kind", "key", "label", "rag", "figures"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BoardPack)
class BoardPackAdmin(admin.ModelAdmin):
    list_display = ["plan", "meeting_date", "version", "as_of", "status", "issued_at", "pages", "generation"]
    list_filter = ["status", "plan"]
    list_select_related = ["plan"]
    inlines = [BoardPackEntryInline]

    # Packs are prepared and issued on their own pages, where the rules (who, checksum, snapshot) apply.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeriodNarrative)
class PeriodNarrativeAdmin(admin.ModelAdmin):
    list_display = ["plan", "period", "area", "section", "written_by", "updated_at"]
    list_filter = ["plan", "period"]
    list_select_related = ["plan", "area", "section", "written_by"]
    raw_id_fields = ["area", "section", "written_by"]
    search_fields = ["going_well", "for_improvement"]
