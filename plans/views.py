"""Pages for reading plans; every view checks the reader's permission on the server."""

import datetime as dt
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_htmx.http import HttpResponseClientRedirect
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from common.charts import rag_bars
from common.dates import iso_date
from common.exporting import SafeTableExport

from . import services
from .filters import ActionFilter
from .forms import ActionUpdateForm, TargetDateChangeForm, add_service_errors
from .models import Action, Plan, TargetDateChange
from .rag import RAG_ORDER, RAG_SERIES, count_by_rag
from .reading import read_action, with_late_prerequisites
from .tables import ActionTable

can_read_plans = permission_required("plans.view_plan", raise_exception=True)


def _as_of(request):
    """The as-of date in the query string, or today."""
    return iso_date(request.GET.get("as_of")) or timezone.localdate()


@can_read_plans
def plan_list(request):
    today = timezone.localdate()
    plans = Plan.objects.exclude(status=Plan.Status.ARCHIVED).prefetch_related("areas")
    actions = Action.objects.filter(plan__in=plans).with_rag_data()
    by_plan = {}
    for action in actions:
        by_plan.setdefault(action.plan_id, []).append(action)
    rows = [{"plan": plan, "counts": count_by_rag(by_plan.get(plan.pk, []), today)} for plan in plans]
    active = [(row["plan"].title, row["counts"]) for row in rows if row["plan"].status == Plan.Status.ACTIVE]
    portfolio = None
    if len(active) > 1:
        portfolio = rag_bars(active, series=RAG_SERIES, title=f"RAG mix of each active plan on {today:%d %B %Y}")
    return render(request, "plans/plan_list.html", {"rows": rows, "rag_order": RAG_ORDER, "portfolio": portfolio})


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


class ActionTableView(PermissionRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """Every action of a plan: filter, sort, page, and export what the filters show.

    Served by reports.board_views.ActionTableView, which adds the filter that needs board packs.
    """

    permission_required = "plans.view_plan"
    raise_exception = True
    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "plans/action_table.html"
    paginate_by = 50
    export_class = SafeTableExport
    export_formats = ["xlsx", "csv"]

    @cached_property
    def plan(self):
        return get_object_or_404(Plan, slug=self.kwargs["slug"])

    @cached_property
    def as_of(self):
        return _as_of(self.request)

    def get_queryset(self):
        return ActionTable.rows_of(Action.objects.filter(plan=self.plan), as_of=self.as_of)

    def get_table_kwargs(self):
        return {"as_of": self.as_of, "user": self.request.user}

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"plan": self.plan}

    def get_export_filename(self, export_format):
        return f"{self.plan.slug}-actions-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"plan": self.plan, "as_of": self.as_of}


def _action_page_context(request, action):
    can_update = action.can_be_updated_by(request.user)
    return {
        "plan": action.plan,
        "action": action,
        "reading": with_late_prerequisites([read_action(action, timezone.localdate())], timezone.localdate())[0],
        "prerequisites": [link.prerequisite for link in action.prerequisite_links.select_related("prerequisite")],
        "dependents": [link.action for link in action.dependent_links.select_related("action")],
        "risks": action.risks.all(),
        "updates": sorted(action.update_list, key=lambda update: update.created_at, reverse=True),
        "slippage": action.slippage(),
        "target_changes": [
            (change, change.decision == TargetDateChange.Decision.PENDING and change.can_be_decided_by(request.user))
            for change in action.target_change_list
        ],
        "change_log": action.change_log(),
        "can_update": can_update,
        "update_form": ActionUpdateForm(action=action) if can_update else None,
        "target_form": TargetDateChangeForm() if can_update else None,
    }


@can_read_plans
def action_detail(request, slug, ref):
    action = get_object_or_404(Action.objects.with_history(), plan__slug=slug, ref=ref)
    return render(request, "plans/action_detail.html", _action_page_context(request, action))


def _action_the_user_may_update(request, slug, ref):
    """The action, if this user may write to it; otherwise 403 before anything is read from the form."""
    action = get_object_or_404(Action.objects.with_history(), plan__slug=slug, ref=ref)
    if not action.can_be_updated_by(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_TO_UPDATE)
    return action


def action_update(request, slug, ref):
    """The update form: a page of its own without JavaScript; with htmx, inline on the action page or a table row."""
    action = _action_the_user_may_update(request, slug, ref)
    form = ActionUpdateForm(request.POST or None, action=action)
    other_update = None
    if request.method == "POST" and form.is_valid():
        try:
            form.record(author=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.StaleActionError as error:
            other_update = error.action.updates.select_related("author").first()
            # Keep everything the user typed; the next save goes ahead against the version now shown.
            typed = request.POST.copy()
            typed["version"] = error.action.version
            form = ActionUpdateForm(typed, action=error.action)
            form.is_valid()
            form.add_error(None, services.ACTION_CHANGED_SINCE_OPENED)
        else:
            messages.success(request, f"Action {action.ref} updated.")
            if request.htmx and request.POST.get("inline") == "row":
                return _inline_update_done(request, action)
            if request.htmx:
                return HttpResponseClientRedirect(action.get_absolute_url())
            return redirect(action)
    context = {"plan": action.plan, "action": action, "form": form, "other_update": other_update}
    status = 409 if other_update else 400 if request.method == "POST" else 200
    if request.htmx:
        # htmx swaps only successful responses; the form with its messages is the content to show.
        inline_row = request.method == "GET" or request.POST.get("inline") == "row"
        template = "plans/partials/update_row.html" if inline_row else "plans/partials/update_form.html"
        return render(request, template, context)
    return render(request, "plans/action_update.html", context, status=status)


def _inline_update_done(request, action):
    """In place of the inline form, the confirmation; and the action's own row redrawn, which htmx swaps by its id.

    The row is drawn on the date of the table the update was made from (htmx sends the page's address), so a
    table of a past date does not suddenly show one row as it is today.
    """
    as_of = iso_date(QueryDict(urlsplit(request.htmx.current_url or "").query).get("as_of")) or timezone.localdate()
    rows = ActionTable.rows_of(Action.objects.filter(pk=action.pk), as_of=as_of)
    table = ActionTable(rows, as_of=as_of, user=request.user)
    row = table.rows[0]
    context = {"action": row.record, "table": table, "row": row}
    return render(request, "plans/partials/update_done_row.html", context)


@require_POST
def target_date_change_request(request, slug, ref):
    action = _action_the_user_may_update(request, slug, ref)
    form = TargetDateChangeForm(request.POST)
    if form.is_valid():
        try:
            services.target_date_change_request(
                action=action,
                requested_by=request.user,
                new_target_date=form.cleaned_data["new_target_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your request to move the target date is waiting for a sponsor or an admin.")
            return redirect(action)
    context = _action_page_context(request, action) | {"target_form": form}
    return render(request, "plans/action_detail.html", context, status=400)


@require_POST
def target_date_change_decide(request, slug, pk):
    change = get_object_or_404(
        TargetDateChange.objects.select_related("action__plan").prefetch_related("action__sponsors"),
        pk=pk,
        action__plan__slug=slug,
    )
    if not change.can_be_decided_by(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_TO_DECIDE)
    approve = request.POST.get("decision") == "approve"
    try:
        services.target_date_change_decide(change=change, decided_by=request.user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "New target date approved." if approve else "Request to move the target rejected.")
    return redirect(change.action)


@can_read_plans
def my_actions(request):
    """The actions this user leads or sponsors, most urgent first."""
    today = timezone.localdate()
    actions = Action.objects.led_or_sponsored_by(request.user).with_rag_data()
    actions = sorted(actions, key=lambda a: (RAG_ORDER.index(a.current_rag), a.target_date or dt.date.max, a.position))
    for action in actions:
        action.days_to_target = (action.target_date - today).days if action.target_date else None
    return render(request, "plans/my_actions.html", {"actions": actions, "today": today})
