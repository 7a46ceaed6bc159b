"""Boards' pages: the boards overseeing the plans a user reads, their meetings, decisions, actions arising and packs.

They live here, at the top, because a meeting's page lists its board packs; the boards app itself knows only plans.
Everyone who reads a plan reads the meetings of the boards overseeing it; members of a board record its meetings'
decisions and actions arising; admins also turn an action arising into a plan action and record sign-offs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from boards import services
from boards.models import MANAGE_PERMISSION, Board, FollowUp, Meeting
from plans.forms import add_service_errors
from plans.models import Area, Plan, PlanSignOff
from plans.new_actions import ADD_ACTION_PERMISSION

from .meeting_forms import DecisionForm, FollowUpForm, FollowUpStateForm, FollowUpToActionForm, SignOffForm
from .models import BoardPack

can_read_boards = permission_required(["plans.view_plan", "boards.view_meeting"], raise_exception=True)
DECISION_RECORDED = "Decision {number} recorded."
FOLLOW_UP_RECORDED = "Action arising recorded: {description}"
FOLLOW_UP_STATE_SET = "“{description}” is now {state}."
FOLLOW_UP_NOW_AN_ACTION = "It is now action {ref} of {plan}."
SIGNED_OFF = "{plan} recorded as signed off by {board} on {date:%-d %B %Y}."


def _readable_plans(request, board):
    return Plan.objects.readable_by(request.user).filter(boards=board)


def _meeting_for_user(request, pk):
    """The meeting if this user may read it: a meeting of a board overseeing a plan they read (any, for admins)."""
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("board"), pk=pk)


def _meeting_url(meeting):
    return reverse("reports:meeting_detail", args=[meeting.pk])


@can_read_boards
def board_list(request):
    plans = Plan.objects.readable_by(request.user)
    boards = Board.objects.visible_to(request.user).prefetch_related(
        Prefetch("plans", queryset=plans.order_by("title"), to_attr="readable_plans"),
        Prefetch("meetings", queryset=Meeting.objects.order_by("-date", "-pk"), to_attr="meeting_list"),
    )
    return render(request, "reports/boards/board_list.html", {"boards": boards})


@can_read_boards
def board_detail(request, pk):
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=pk)
    context = {
        "board": board,
        "plans": _readable_plans(request, board).order_by("title"),
        "members": board.members.order_by("last_name", "username"),
        "meetings": board.meetings.order_by("-date", "-pk"),
        "can_manage": request.user.has_perm(MANAGE_PERMISSION),
    }
    return render(request, "reports/boards/board_detail.html", context)


def _meeting_page(request, meeting, *, status=200, **forms):
    """The meeting's page: its packs, decisions, actions arising (with forms for who may write) and sign-offs."""
    user = request.user
    plans = _readable_plans(request, meeting.board)
    not_yet_held = meeting.date > timezone.localdate()
    may_record = meeting.decisions_recordable_by(user) and not not_yet_held
    may_make_actions = user.has_perm(ADD_ACTION_PERMISSION)
    may_sign_off = user.has_perm(MANAGE_PERMISSION) and not meeting.is_cancelled
    packs = (
        BoardPack.objects.visible_to(user)
        .filter(meeting=meeting, plan__in=plans)
        .select_related("plan", "issued_by")
        .with_current_version()
        .order_by("plan__title", "-version")
    )
    follow_ups = list(meeting.follow_ups.for_page().order_by("pk"))
    areas = list(Area.objects.filter(plan__in=plans).select_related("plan")) if may_make_actions else []
    for follow_up in follow_ups:
        follow_up.state_form = FollowUpStateForm(initial={"state": follow_up.state}, prefix=f"f{follow_up.pk}")
        if may_make_actions and follow_up.action_id is None and follow_up.state == FollowUp.State.OPEN:
            follow_up.action_form = FollowUpToActionForm(
                initial={"area": follow_up.area_id}, plans=plans, areas=areas, prefix=f"a{follow_up.pk}"
            )
    decisions = list(meeting.decisions.select_related("recorded_by"))
    by_decision = {}
    for follow_up in follow_ups:
        by_decision.setdefault(follow_up.decision_id, []).append(follow_up)
    for decision in decisions:
        decision.follow_up_list = by_decision.get(decision.pk, [])
    previous = meeting.previous()
    context = {
        "board": meeting.board,
        "meeting": meeting,
        "packs": packs,
        "decisions": decisions,
        "follow_ups": follow_ups,
        "follow_ups_without_decision": by_decision.get(None, []),
        "previous": previous,
        "previous_follow_ups": list(previous.follow_ups.for_page()) if previous else [],
        "sign_offs": PlanSignOff.objects.filter(meetings=meeting, plan__in=plans).select_related("plan", "recorded_by"),
        "may_record": may_record,
        "not_yet_held": not_yet_held,
        "may_make_actions": may_make_actions,
        "decision_form": forms.get("decision_form") or (DecisionForm() if may_record else None),
        "follow_up_form": forms.get("follow_up_form")
        or (FollowUpForm(meeting=meeting, plans=plans) if may_record else None),
        "sign_off_form": forms.get("sign_off_form") or (SignOffForm(plans=plans) if may_sign_off else None),
        "can_prepare_packs": user.has_perm("reports.issue_boardpack"),
        "plans": plans,
    }
    return render(request, "reports/boards/meeting_detail.html", context, status=status)


@can_read_boards
def meeting_detail(request, pk):
    return _meeting_page(request, _meeting_for_user(request, pk))


def _require_recorder(request, meeting):
    if not meeting.decisions_recordable_by(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_TO_RECORD.format(board=meeting.board))


@require_POST
@can_read_boards
def decision_add(request, pk):
    meeting = _meeting_for_user(request, pk)
    _require_recorder(request, meeting)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = services.decision_record(meeting=meeting, text=form.cleaned_data["text"],
                                                recorded_by=request.user)  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, DECISION_RECORDED.format(number=decision.number))
            return redirect(_meeting_url(meeting) + "#decisions")
    return _meeting_page(request, meeting, decision_form=form, status=400)


@require_POST
@can_read_boards
def follow_up_add(request, pk):
    meeting = _meeting_for_user(request, pk)
    _require_recorder(request, meeting)
    plans = _readable_plans(request, meeting.board)
    form = FollowUpForm(request.POST, meeting=meeting, plans=plans)
    if form.is_valid():
        try:
            follow_up = services.follow_up_add(meeting=meeting, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, FOLLOW_UP_RECORDED.format(description=follow_up.description))
            return redirect(_meeting_url(meeting) + "#actions-arising")
    return _meeting_page(request, meeting, follow_up_form=form, status=400)


def _follow_up_for_user(request, pk):
    meetings = Meeting.objects.visible_to(request.user)
    return get_object_or_404(FollowUp.objects.select_related("meeting__board"), pk=pk, meeting__in=meetings)


@require_POST
@can_read_boards
def follow_up_state(request, pk):
    follow_up = _follow_up_for_user(request, pk)
    meeting = follow_up.meeting
    _require_recorder(request, meeting)
    form = FollowUpStateForm(request.POST, prefix=f"f{follow_up.pk}")
    if form.is_valid():
        services.follow_up_set_state(follow_up=follow_up, state=form.cleaned_data["state"], by=request.user)
        messages.success(request, FOLLOW_UP_STATE_SET.format(description=follow_up.description,
                                                             state=follow_up.get_state_display().lower()))  # fmt: skip
    else:
        messages.error(request, "Choose open, done or dropped.")
    return redirect(_meeting_url(meeting) + f"#follow-up-{follow_up.pk}")


@require_POST
@can_read_boards
def follow_up_to_action(request, pk):
    follow_up = _follow_up_for_user(request, pk)
    meeting = follow_up.meeting
    if not request.user.has_perm(ADD_ACTION_PERMISSION):
        raise PermissionDenied("Only an admin may add an action to a plan.")
    form = FollowUpToActionForm(request.POST, plans=_readable_plans(request, meeting.board), prefix=f"a{follow_up.pk}")
    if not form.is_valid():
        messages.error(request, "Choose the area of the plan the new action belongs to.")
        return redirect(_meeting_url(meeting) + f"#follow-up-{follow_up.pk}")
    try:
        action = services.follow_up_to_action(follow_up=follow_up, by=request.user, area=form.cleaned_data["area"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_meeting_url(meeting) + f"#follow-up-{follow_up.pk}")
    messages.success(request, FOLLOW_UP_NOW_AN_ACTION.format(ref=action.ref, plan=action.plan.title))
    return redirect(action)


@require_POST
@can_read_boards
def meeting_sign_off(request, pk):
    meeting = _meeting_for_user(request, pk)
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(services.NOT_ALLOWED_TO_SIGN_OFF)
    form = SignOffForm(request.POST, plans=_readable_plans(request, meeting.board))
    if form.is_valid():
        plan = form.cleaned_data["plan"]
        try:
            services.meeting_sign_off(meeting=meeting, plan=plan, recorded_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SIGNED_OFF.format(plan=plan.title, board=meeting.board, date=meeting.date))
            return redirect(_meeting_url(meeting) + "#sign-off")
    return _meeting_page(request, meeting, sign_off_form=form, status=400)
