"""Pages for reading plans; every view checks the reader's permission on the server."""

import datetime as dt

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .models import Action, Plan
from .rag import RAG_ORDER, count_by_rag

can_read_plans = permission_required("plans.view_plan", raise_exception=True)


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
        return redirect("plans:dashboard", slug=plan.slug)
    return redirect("plans:plan_list")


def _as_of(request):
    """The as-of date in the query string, or today; an unreadable date falls back to today."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@can_read_plans
def plan_list(request):
    today = timezone.localdate()
    plans = Plan.objects.exclude(status=Plan.Status.ARCHIVED).prefetch_related("areas")
    actions = Action.objects.filter(plan__in=plans).with_rag_data()
    by_plan = {}
    for action in actions:
        by_plan.setdefault(action.plan_id, []).append(action)
    rows = [{"plan": plan, "counts": count_by_rag(by_plan.get(plan.pk, []), today)} for plan in plans]
    return render(request, "plans/plan_list.html", {"rows": rows, "rag_order": RAG_ORDER})


@can_read_plans
def plan_detail(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    actions = Action.objects.filter(plan=plan).with_rag_data()
    return render(request, "plans/plan_detail.html", {"plan": plan, "areas": _group_by_area(actions)})


def _group_by_area(actions):
    areas = {}
    for action in actions:
        areas.setdefault(action.area, []).append(action)
    return areas


@can_read_plans
def dashboard(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    as_of = _as_of(request)
    actions = Action.objects.filter(plan=plan)
    actions = actions.with_history() if as_of < timezone.localdate() else actions.with_rag_data()
    by_area = _group_by_area(actions)
    overall = count_by_rag(actions, as_of)
    total = sum(overall.values())
    area_rows = [
        {"area": area, "counts": count_by_rag(area_actions, as_of), "total": len(area_actions)}
        for area, area_actions in by_area.items()
    ]
    return render(
        request,
        "plans/dashboard.html",
        {"plan": plan, "as_of": as_of, "overall": overall, "total": total, "area_rows": area_rows},
    )


@can_read_plans
def action_detail(request, slug, ref):
    action = get_object_or_404(Action.objects.with_history(), plan__slug=slug, ref=ref)
    updates = sorted(action.updates.all(), key=lambda update: update.created_at, reverse=True)
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": action.plan,
            "action": action,
            "updates": updates,
            "slippage": action.slippage(),
            "target_changes": action.target_changes.all(),
            "can_update": action.can_be_updated_by(request.user),
        },
    )


@can_read_plans
def my_actions(request):
    """The actions this user leads or sponsors, most urgent first."""
    today = timezone.localdate()
    actions = Action.objects.led_or_sponsored_by(request.user).with_rag_data()
    urgency = {"red": 0, "amber": 1, "green": 2, "grey": 3, "blue": 4}
    far_future = dt.date.max
    actions = sorted(actions, key=lambda a: (urgency[a.current_rag], a.target_date or far_future, a.position))
    for action in actions:
        action.days_to_target = (action.target_date - today).days if action.target_date else None
    return render(request, "plans/my_actions.html", {"actions": actions, "today": today})
