"""The board's pages that read plans, KPIs and packs at once: the landing page, the dashboard and the action table."""

import datetime as dt

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from common.charts import rag_bars
from common.dates import iso_date
from kpis.models import Indicator
from plans import views as plan_views
from plans.models import Plan
from plans.rag import RAG_SERIES
from plans.risks.heatmap import risk_overview
from plans.summary import DEFAULT_MOVEMENT_DAYS, plan_summary

from .filters import BoardActionFilter
from .models import BoardPack


def home(request):
    """Each role lands on what it uses most: managers their actions, the board its dashboard."""
    user = request.user
    if user.has_perm("plans.update_own_action") and not user.has_perm("plans.change_action"):
        return redirect("plans:my_actions")
    active = list(Plan.objects.active()[:2])
    if user.has_perm("plans.view_plan") and len(active) == 1:
        plan = active[0]
        if user.has_perm("plans.change_action"):
            return redirect(plan)
        return redirect("reports:dashboard", slug=plan.slug)
    return redirect("plans:plan_list")


class ActionTableView(plan_views.ActionTableView):
    """The plan's action table, which can also list the actions that changed colour since a board pack."""

    filterset_class = BoardActionFilter


@plan_views.can_read_plans
def dashboard(request, slug):
    """Where the plan stands on a date, what needs the board's challenge, and what moved since the last board."""
    plan = get_object_or_404(Plan, slug=slug)
    as_of = iso_date(request.GET.get("as_of")) or timezone.localdate()
    since = iso_date(request.GET.get("since"))
    last_pack, previous_rags = None, None
    if since is None or since >= as_of:
        # "Since the last board": what the last issued pack showed (the rule packs measure by), else a month ago.
        last_pack = BoardPack.objects.last_issued(plan, on_or_before=as_of)
        if last_pack:
            since, previous_rags = last_pack.as_of, last_pack.previous_rags()
        else:
            since = as_of - dt.timedelta(days=DEFAULT_MOVEMENT_DAYS)
    summary = plan_summary(plan, as_of=as_of, since=since, previous_rags=previous_rags)
    chart = rag_bars(
        [(str(row.area), row.counts) for row in summary.areas],
        series=RAG_SERIES,
        title=f"Actions by RAG colour in each area as at {as_of:%d %B %Y}",
    )
    indicators = Indicator.objects.for_plan(plan)
    kpi_summary = indicators.summary(as_of) if indicators.exists() else None
    table_url = reverse("reports:action_table", args=[plan.slug])
    as_of_query = "" if as_of == timezone.localdate() else f"&as_of={as_of:%Y-%m-%d}"
    return render(
        request,
        "reports/dashboard.html",
        {"plan": plan, "as_of": as_of, "summary": summary, "chart": chart, "table_url": table_url,
         "as_of_query": as_of_query,
         "stale_days": settings.STALE_AFTER_DAYS, "kpi_summary": kpi_summary,
         "last_pack": last_pack, "risks": risk_overview(plan, as_of=as_of),
         "movement_query": f"moved_since_pack={last_pack.pk}" if last_pack else f"moved_since={since:%Y-%m-%d}",
         "milestone_groups": [("In the next 30 days", summary.milestones_due_soon),
                              ("In 31 to 60 days", summary.milestones_due_later)]},
    )  # fmt: skip
