"""KPI pages: the scorecard, one indicator's history, and the monthly data entry grid."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .charts import indicator_chart, months_with_values, sparkline
from .importing.cells import parse_month
from .models import Indicator

can_read_kpis = permission_required("plans.view_plan", raise_exception=True)


def _month(request):
    """The month asked for in the query string (`?month=2018-11`), or this month."""
    return parse_month(request.GET.get("month", "")) or timezone.localdate().replace(day=1)


@can_read_kpis
def scorecard(request):
    card = Indicator.objects.scorecard(_month(request))
    for row in card.rows:
        row.sparkline = sparkline(row.indicator, row.trend_values)
    return render(
        request,
        "kpis/scorecard.html",
        {"card": card, "can_enter": request.user.has_perm("kpis.change_value")},
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
            "chart": indicator_chart(indicator, months),
            "history": history,
            "latest": latest,
            "target": indicator.target_for(latest) if latest else None,
            "benchmarks": indicator.benchmark_positions(latest),
            "targets": indicator.targets.all(),
        },
    )
