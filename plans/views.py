"""Pages for reading plans; every view checks the reader's permission on the server."""

import datetime as dt
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_htmx.http import HttpResponseClientRedirect
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from common.charts import rag_bars
from common.dates import in_range, iso_date, query_date
from common.exporting import SafeTableExport

from . import services
from .filters import ActionFilter
from .forms import ActionUpdateForm, MilestoneForm, PlanStatusForm, TargetDateChangeForm, add_service_errors
from .measures import plan_measures
from .models import Action, Plan, PlanSignOff, TargetDateChange
from .rag import RAG_ORDER, RAG_SERIES
from .reading import read_action, read_actions, with_late_prerequisites
from .signoff import changes_since
from .tables import ActionTable

can_read_plans = permission_required("plans.view_plan", raise_exception=True)
# A plan page lists this many actions at a time; its summary counts them all.
PLAN_PAGE_SIZE = 100
# The most rows one page of the action table may be asked for (?per_page=).
MAX_PER_PAGE = 500


def plan_for_reader(request, slug):
    """The plan if this user may read it (Plan.objects.readable_by): a draft does not exist for a non-admin."""
    return get_object_or_404(Plan.objects.readable_by(request.user), slug=slug)


def actions_for_reader(request):
    """The actions of the plans this user may read."""
    return Action.objects.filter(plan__in=Plan.objects.readable_by(request.user))


def _as_of(request):
    """The as-of date in the query string, or today."""
    return query_date(request.GET, "as_of", timezone.localdate())


@can_read_plans
def plan_list(request):
    today = timezone.localdate()
    show_closed = request.GET.get("closed") == "1"
    plans = Plan.objects.readable_by(request.user)
    closed_count = plans.filter(status=Plan.Status.CLOSED).count()
    if not show_closed:
        plans = plans.in_portfolio()
    by_plan = Action.objects.filter(plan__in=plans).rag_counts(by="plan_id")
    rows = [{"plan": plan, "counts": by_plan.get(plan.pk, dict.fromkeys(RAG_ORDER, 0))} for plan in plans]
    active = [(row["plan"].title, row["counts"]) for row in rows if row["plan"].status == Plan.Status.ACTIVE]
    portfolio = None
    if len(active) > 1:
        portfolio = rag_bars(active, series=RAG_SERIES, title=f"RAG mix of each active plan on {today:%d %B %Y}")
    context = {"rows": rows, "rag_order": RAG_ORDER, "portfolio": portfolio, "show_closed": show_closed,
               "closed_count": closed_count}  # fmt: skip
    return render(request, "plans/plan_list.html", context)


def _plan_page_context(request, plan, status_form=None):
    actions = Action.objects.filter(plan=plan)
    by_area = actions.rag_counts(by="area_id")
    summary = [(area, by_area.get(area.pk, dict.fromkeys(RAG_ORDER, 0))) for area in plan.areas.all()]
    # One plan's actions in the plan's order; Meta.ordering's "plan" would join and sort every action by plan title.
    paginator = Paginator(actions.with_rag_data().with_target_changes().order_by("position", "pk"), PLAN_PAGE_SIZE)
    paginator.count = sum(sum(counts.values()) for counts in by_area.values())  # counted above: no second query
    page = paginator.get_page(request.GET.get("page"))
    areas = _group_by_area(page.object_list)
    measures = plan_measures(plan)
    for area in areas:
        area.kpis = measures.of_area(area.pk)
        if area.theme:
            area.theme.kpis = measures.of_theme(area.theme_id)
    can_change_status = request.user.has_perm("plans.change_plan")
    sign_off = PlanSignOff.objects.latest_for(plan)
    return {
        "sign_off": sign_off,
        "changes_since_sign_off": changes_since(sign_off) if sign_off else None,
        "plan": plan,
        "summary": summary if len(summary) > 1 else [],
        "total": paginator.count,
        "rag_order": RAG_ORDER,
        "page": page,
        "areas": areas,
        "can_change_status": can_change_status,
        "status_form": status_form or (PlanStatusForm(plan=plan) if can_change_status else None),
        "status_changes": plan.status_changes.select_related("changed_by"),
        "rag_legend": RAG_ORDER,
    }


@can_read_plans
def plan_detail(request, slug):
    """The plan by area: every area's RAG counts, and its actions a page at a time (a plan can hold thousands)."""
    plan = plan_for_reader(request, slug)
    return render(request, "plans/plan_detail.html", _plan_page_context(request, plan))


@require_POST
@can_read_plans
def plan_status(request, slug):
    """An admin moves the plan a step in its life (draft, active, closed) from the plan's own page."""
    plan = plan_for_reader(request, slug)
    if not request.user.has_perm("plans.change_plan"):
        raise PermissionDenied(services.NOT_ALLOWED_TO_CHANGE_PLAN_STATUS)
    form = PlanStatusForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            change = services.plan_status_change(
                plan=plan, to=form.cleaned_data["to"], changed_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{plan.title} is now {change.get_to_status_display().lower()}.")
            return redirect(plan)
    plan.refresh_from_db()
    return render(request, "plans/plan_detail.html", _plan_page_context(request, plan, form), status=400)


def _group_by_area(actions):
    areas = {}
    themes = {}
    for action in actions:
        area = action.area
        if area.theme_id:
            # One object per theme, so that what is set on it shows under each of its areas.
            area.theme = themes.setdefault(area.theme_id, area.theme)
        areas.setdefault(area, []).append(action)
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
        return plan_for_reader(self.request, self.kwargs["slug"])

    @cached_property
    def as_of(self):
        return _as_of(self.request)

    def get_queryset(self):
        return ActionTable.rows_of(Action.objects.filter(plan=self.plan), as_of=self.as_of)

    def get_table_kwargs(self):
        return {"as_of": self.as_of, "user": self.request.user}

    def get_table(self, **kwargs):
        # django-tables2 reads ?per_page= itself and answers 500 for one below 1: refuse it with the reason instead.
        per_page = self.request.GET.get("per_page")
        if per_page is not None and not (per_page.isdigit() and 1 <= int(per_page) <= MAX_PER_PAGE):
            raise BadRequest(f"per_page must be a whole number from 1 to {MAX_PER_PAGE}.")
        return super().get_table(**kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"plan": self.plan}

    def get_export_filename(self, export_format):
        return f"{self.plan.slug}-actions-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        heading = context["filter"].described(context["table"].paginator.count)
        return context | {"plan": self.plan, "as_of": self.as_of, "rag_legend": RAG_ORDER, "heading": heading}

    def render_to_response(self, context, **kwargs):
        # A filter that cannot be used (a date outside 1990-2100, a choice that does not exist) shows its message.
        if self.filterset.is_bound and not self.filterset.is_valid():
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)


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
        "milestone_form": MilestoneForm() if can_update else None,
    }


@can_read_plans
def action_detail(request, slug, ref):
    # An action that began as a board's action arising links back to its meeting: the reverse relation the boards app
    # adds (FollowUp.action, related_name "arising_from"), read in the same query; plans imports nothing of boards.
    actions = actions_for_reader(request).with_history()
    actions = actions.select_related("arising_from__meeting__board", "arising_from__decision")
    action = get_object_or_404(actions, plan__slug=slug, ref=ref)
    return render(request, "plans/action_detail.html", _action_page_context(request, action))


def _action_the_user_may_update(request, slug, ref):
    """The action, if this user may write to it; otherwise 403 before anything is read from the form."""
    action = get_object_or_404(actions_for_reader(request).with_history(), plan__slug=slug, ref=ref)
    if action.plan.is_closed:
        raise PermissionDenied(services.PLAN_IS_CLOSED.format(plan=action.plan.title))
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
    as_of = iso_date(QueryDict(urlsplit(request.htmx.current_url or "").query).get("as_of"))
    as_of = as_of if as_of and in_range(as_of) else timezone.localdate()
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
        action__plan__in=Plan.objects.readable_by(request.user),
    )
    if change.action.plan.is_closed:
        raise PermissionDenied(services.PLAN_IS_CLOSED.format(plan=change.action.plan.title))
    if not change.can_be_decided_by(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_TO_DECIDE)
    approve = request.POST.get("decision") == "approve"
    try:
        services.target_date_change_decide(change=change, decided_by=request.user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "New target date approved." if approve else "Request to move the target rejected.")
    # Back to the list the decision was made from (the plan's requests, "For you"), if it is one of ours.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(change.action)


@can_read_plans
def target_date_requests(request, slug):
    """The plan's requests to move a target that wait for a decision, oldest first; buttons for who may decide."""
    plan = get_object_or_404(Plan, slug=slug)
    pending = TargetDateChange.objects.pending().filter(action__plan=plan)
    decidable = set(pending.decidable_by(request.user).values_list("pk", flat=True))
    changes = [(change, change.pk in decidable) for change in pending.for_list()]
    return render(request, "plans/target_date_requests.html", {"plan": plan, "changes": changes})


@can_read_plans
def my_actions(request):
    """The actions this user leads or sponsors, most urgent first."""
    today = timezone.localdate()
    # Closed plans are finished work: nothing in them is the user's to do.
    plans = Plan.objects.readable_by(request.user).in_portfolio()
    actions = Action.objects.led_or_sponsored_by(request.user).filter(plan__in=plans).with_history_on(today)
    readings = sorted(
        read_actions(actions, today),
        key=lambda r: (RAG_ORDER.index(r.rag), r.slippage.target_date or dt.date.max, r.action.position),
    )
    # The sponsors are loaded with the actions: the model's rule asks no query here.
    updatable = {r.action.pk for r in readings if r.action.can_be_updated_by(request.user)}
    return render(request, "plans/my_actions.html", {"readings": readings, "updatable": updatable, "today": today})
