"""The timeline page: a plan's actions over its period by area, filtered and paged so that 2,000 stay readable."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .filters import ActionFilter
from .models import Action, Plan
from .reading import read_actions
from .timeline import plan_window, timeline_links, timeline_svg
from .views import can_read_plans

# Rows per page: a screen or two of bars; a plan of 2,000 actions is 20 pages, or a few once filtered by area.
PER_PAGE = 100
TIMELINE_FILTERS = ("q", "area", "theme", "lead", "rag")


class TimelineFilter(ActionFilter):
    """The action table's filters that make sense on a timeline: area, theme, lead, colour and words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in TIMELINE_FILTERS:
                del self.filters[name]


@can_read_plans
def timeline(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    today = timezone.localdate()
    filters = TimelineFilter(request.GET or None, queryset=Action.objects.filter(plan=plan), plan=plan)
    chosen = filters.qs if filters.is_bound and filters.is_valid() else Action.objects.filter(plan=plan)
    ordered = chosen.order_by("area__position", "area_id", "position", "pk").values_list("pk", flat=True)
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    on_page = list(page.object_list)
    actions = Action.objects.filter(pk__in=on_page).with_history_on(today)
    order = {pk: index for index, pk in enumerate(on_page)}
    readings = sorted(read_actions(actions, today), key=lambda reading: order[reading.action.pk])
    groups: dict[int, tuple[str, list]] = {}
    for reading in readings:
        groups.setdefault(reading.action.area_id, (str(reading.action.area), []))[1].append(reading)
    links = timeline_links(readings)
    shown = set(order)
    # Links whose other end is on another page or filtered out cannot be drawn: they are listed in words.
    elsewhere = [link for link in links if not (link.action_id in shown and link.prerequisite_id in shown)]
    chart = None
    if readings:
        chart = timeline_svg(
            list(groups.values()),
            window=plan_window(plan, today),
            today=today,
            links=links,
            title=f"Timeline of {plan.title}: {len(readings)} actions by area, as at {today:%-d %B %Y}",
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/timeline.html",
        {"plan": plan, "filter": filters, "page": page, "chart": chart, "readings": readings,
         "elsewhere": elsewhere, "late": [reading for reading in readings if reading.late_prerequisites],
         "query": query.urlencode(), "today": today},
    )  # fmt: skip
