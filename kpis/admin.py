"""The Django admin for KPIs: indicators with their targets and benchmarks, values, comparator groups."""

from django.contrib import admin

from .models import Benchmark, ComparatorGroup, Indicator, KpiImport, Section, Target, Value


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["period_start", "period_end", "value", "amber_tolerance", "text"]
    extra = 0


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    fields = ["group", "year", "value"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "section", "unit", "polarity", "basis", "position"]
    list_filter = ["section", "unit", "polarity", "basis"]
    search_fields = ["name", "code", "definition"]
    list_select_related = ["section"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["themes", "areas", "actions"]
    inlines = [TargetInline, BenchmarkInline]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "missing_reason", "updated_at", "updated_by"]
    list_filter = ["indicator__section", "period"]
    search_fields = ["indicator__name", "note", "missing_reason"]
    list_select_related = ["indicator", "updated_by"]
    date_hierarchy = "period"
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_own", "position"]
    search_fields = ["name"]


@admin.register(KpiImport)
class KpiImportAdmin(admin.ModelAdmin):
    """The history of KPI imports; records are written by the import, never edited here."""

    list_display = ["file_name", "state", "created_by", "created_at", "created_count", "updated_count", "skipped_count"]
    list_filter = ["state"]
    list_select_related = ["created_by"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
