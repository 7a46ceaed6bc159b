"""KPI pages: the scorecard, one indicator's history, and the monthly data entry grid."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from common.dates import query_month
from common.spreadsheets.uploads import upload_step
from common.stale import StaleObjects, stamp

from . import services
from .charts import indicator_chart, months_with_values, sparkline
from .forms import ValuesEntryFormSet
from .importing import ImportFileError, kpis_upload_import, kpis_upload_preview
from .models import Indicator, Section, Value
from .rules import add_months
from .scorecard import section_tables

ENTRY_HAS_ERRORS = "Nothing was saved: correct the figures marked below."

can_read_kpis = permission_required("plans.view_plan", raise_exception=True)


def _month(request):
    """The month asked for in the query string (`?month=2018-11`), or this month."""
    return query_month(request.GET, "month", timezone.localdate().replace(day=1))


@can_read_kpis
def scorecard(request):
    card = Indicator.objects.scorecard(_month(request))
    for row in card.rows:
        row.sparkline = sparkline(row.indicator, row.trend_values)
    return render(
        request,
        "kpis/scorecard.html",
        {"card": card, "tables": section_tables(card), "can_enter": request.user.has_perm("kpis.change_value")},
    )


@can_read_kpis
def indicator_detail(request, code):
    indicator = get_object_or_404(
        Indicator.objects.with_everything().prefetch_related("areas__plan", "actions__plan"), code=code
    )
    months = months_with_values(indicator)
    history = [
        {
            "month": month,
            "value": indicator.value_for(month),
            "target": indicator.target_for(month),
            "rag": indicator.rag(month),
            "since_previous": indicator.travel_since_previous(month),
            "since_last_year": indicator.travel_since_last_year(month),
        }
        for month in reversed(months)
    ]
    latest = months[-1] if months else None
    return render(
        request,
        "kpis/indicator_detail.html",
        {
            "indicator": indicator,
            # Drawn narrower than the board pack's so that its words stay readable when a phone scales it down.
            "chart": indicator_chart(indicator, months, width=720, height=380),
            "history": history,
            "latest": latest,
            "target": indicator.target_for(latest) if latest else None,
            "benchmarks": indicator.benchmark_positions(latest),
            "targets": indicator.targets.all(),
        },
    )


@permission_required("kpis.change_value", raise_exception=True)
def values_entry(request, section):
    """A month's figures for every indicator of a section, typed or pasted from a spreadsheet column."""
    section = get_object_or_404(Section, slug=section)
    month = query_month(request.POST, "month") if request.method == "POST" else None
    month = month or _month(request)
    indicators = list(section.indicators.all())
    previous_month = add_months(month, -1)
    values = Value.objects.filter(indicator__in=indicators, period__in=[month, previous_month])
    saved = {v.indicator_id: v for v in values if v.period == month}
    previous = {v.indicator_id: v for v in values if v.period == previous_month}
    for value in [*saved.values(), *previous.values()]:
        value.indicator = next(i for i in indicators if i.pk == value.indicator_id)
    formset = ValuesEntryFormSet(
        request.POST if request.method == "POST" else None, indicators=indicators, saved=saved, previous=previous
    )
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            # A row left as the page showed it is not written: it cannot overwrite someone else's later save.
            entries = [form.entry() for form in formset if form.edited()]
            try:
                result = services.values_enter(month=month, entries=entries, user=request.user)
            except StaleObjects as error:
                formset = _with_conflicts(request, formset, error, indicators=indicators, previous=previous)
                messages.error(request, str(error))
                status = 409
            else:
                message = services.VALUES_SAVED.format(month=month, section=section.name, **vars(result))
                messages.success(request, message)
                return redirect(f"{reverse('kpis:values_entry', args=[section.slug])}?month={month:%Y-%m}")
        else:
            messages.error(request, ENTRY_HAS_ERRORS)
            status = 400
    return render(
        request,
        "kpis/values_entry.html",
        {
            "section": section,
            "month": month,
            "previous_month": previous_month,
            "next_month": add_months(month, 1),
            "formset": formset,
        },
        status=status,
    )


def _with_conflicts(request, formset, error, *, indicators, previous):
    """The grid again with what the user typed, each figure someone else saved meanwhile shown beside it.

    The rows that conflicted take the figure's new stamp, so that saving again goes ahead once the user has seen it.
    """
    conflicts = {conflict.key.pk: conflict for conflict in error.conflicts}
    typed = request.POST.copy()
    for form in formset:
        if form.indicator.pk in conflicts:
            typed[form.add_prefix("seen")] = stamp(conflicts[form.indicator.pk].changed_at)
    saved = {pk: conflict.now for pk, conflict in conflicts.items() if conflict.now is not None}
    formset = ValuesEntryFormSet(typed, indicators=indicators, saved=saved, previous=previous)
    for form in formset:
        form.conflict = conflicts.get(form.indicator.pk)
    formset.is_valid()
    return formset


@permission_required("kpis.add_value", raise_exception=True)
def kpis_import_page(request):
    """Upload, preview what would change (nothing is written), then import the kept file on confirmation."""
    step = upload_step(request, preview=kpis_upload_preview, confirm=kpis_upload_import, refused=ImportFileError)
    if step.applied:
        messages.success(request, step.applied_message)
        return redirect("kpis:scorecard")
    return render(request, "kpis/import.html", step.context, status=step.status)
