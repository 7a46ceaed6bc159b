"""The board's pages that read plans, KPIs and packs at once: the landing page, the dashboard and the action table."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from common.charts import rag_bars
from common.dates import query_date
from common.revision import KeptReads
from kpis.models import Indicator
from plans import views as plan_views
from plans.models import Plan
from plans.rag import RAG_ORDER, RAG_SERIES
from plans.reminders import DUE_SOON_DAYS
from plans.risks.heatmap import risk_overview
from plans.summary import DEFAULT_MOVEMENT_DAYS, plan_summary

from .filters import BoardActionFilter
from .for_you import asked_of, asks_anything_of
from .models import BoardPack

LISTED_AT_MOST = 15  # milestones due in each period and actions completed, on the dashboard
# A large plan's summary takes a few hundred milliseconds to work out, and boards read it far more often than
# anything is written (issue 20): each process keeps the summaries it worked out until the next write.
kept_summaries = KeptReads(size=4)  # a 2,000-action summary holds about 15 MB
NOTHING_IS_ASKED = "Nothing is asked of board members and viewers here: they read the dashboard and packs."


def home(request):
    """Each role lands on what it uses most: managers their actions, the board its dashboard."""
    user = request.user
    if user.has_perm("plans.update_own_action") and not user.has_perm("plans.change_action"):
        return redirect("reports:for_you")
    active = list(Plan.objects.active()[:2])
    if user.has_perm("plans.view_plan") and len(active) == 1:
        plan = active[0]
        if user.has_perm("plans.change_action"):
            return redirect(plan)
        return redirect("reports:dashboard", slug=plan.slug)
    return redirect("plans:plan_list")


@plan_views.can_read_plans
def for_you(request):
    """What is asked of the reader, most urgent first: updates due, decisions, narratives, their own requests."""
    if not asks_anything_of(request.user):
        raise PermissionDenied(NOTHING_IS_ASKED)
    today = timezone.localdate()
    asked = asked_of(request.user, today)
    updatable = {reading.action.pk for reading in asked.updates_due}  # only their own actions are listed
    return render(
        request,
        "reports/for_you.html",
        {"asked": asked, "for_you": asked, "today": today, "updatable": updatable, "due_soon_days": DUE_SOON_DAYS,
         "stale_days": settings.STALE_AFTER_DAYS},
    )  # fmt: skip


class ActionTableView(plan_views.ActionTableView):
    """The plan's action table, which can also list the actions that changed colour since a board pack."""

    filterset_class = BoardActionFilter


@plan_views.can_read_plans
def dashboard(request, slug):
    """Where the plan stands on a date, what needs the board's challenge, and what moved since the last board."""
    plan = plan_views.plan_for_reader(request, slug)
    as_of = query_date(request.GET, "as_of", timezone.localdate())
    since = query_date(request.GET, "since")
    last_pack = None
    if since is None or since >= as_of:
        # "Since the last board": what the last issued pack showed (the rule packs measure by), else a month ago.
        last_pack = BoardPack.objects.last_issued(plan, on_or_before=as_of)
        since = last_pack.as_of if last_pack else as_of - dt.timedelta(days=DEFAULT_MOVEMENT_DAYS)

    def work_out_summary():
        previous_rags = last_pack.previous_rags() if last_pack else None
        return plan_summary(plan, as_of=as_of, since=since, previous_rags=previous_rags)

    # Today is in the key: whether `as_of` is past or present decides how its colours are read.
    key = (plan.pk, as_of, since, last_pack and last_pack.pk, timezone.localdate())
    summary = kept_summaries.get(key, work_out_summary)
    chart = rag_bars(
        [(str(row.area), row.counts) for row in summary.areas],
        series=RAG_SERIES,
        title=f"Actions by RAG colour in each area as at {as_of:%d %B %Y}",
        # Drawn at about the width it is shown at on a laptop, rows close enough for the first screen to hold it.
        height_per_row=17,
        width=620,
        legend=False,  # the tiles beside it and the legend under it name the colours
    )
    indicators = Indicator.objects.for_plan(plan)
    kpi_summary = indicators.summary(as_of) if indicators.exists() else None
    table_url = reverse("reports:action_table", args=[plan.slug])
    measured = set(Indicator.areas.through.objects.filter(area__plan=plan).values_list("area_id", flat=True))
    # The plan page's intro box says what the area is for and how it is measured: linked where it has one.
    areas_with_intro = {
        row.area.pk
        for row in summary.areas
        if row.area.outcome or row.area.objectives or row.area.measured_by or row.area.pk in measured
    }
    updatable = set(plan.actions.updatable_by(request.user).values_list("pk", flat=True))
    as_of_query = "" if as_of == timezone.localdate() else f"&as_of={as_of:%Y-%m-%d}"
    return render(
        request,
        "reports/dashboard.html",
        {"plan": plan, "as_of": as_of, "summary": summary, "chart": chart, "table_url": table_url,
         "as_of_query": as_of_query, "rag_legend": RAG_ORDER, "updatable": updatable,
         "stale_days": settings.STALE_AFTER_DAYS, "kpi_summary": kpi_summary, "areas_with_intro": areas_with_intro,
         "last_pack": last_pack, "risks": risk_overview(plan, as_of=as_of),
         "movement_query": f"moved_since_pack={last_pack.pk}" if last_pack else f"moved_since={since:%Y-%m-%d}",
         # A long list says how many more and links to where they all are: 800 milestones took longer than the rest.
         "listed_at_most": f":{LISTED_AT_MOST}", "listed_at_most_count": LISTED_AT_MOST,
         "listed_at_less": -LISTED_AT_MOST,
         "milestone_groups": [("In the next 30 days", summary.milestones_due_soon),
                              ("In 31 to 60 days", summary.milestones_due_later)]},
    )  # fmt: skip
