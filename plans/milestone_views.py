"""Milestones on the action page: those who may update an action add, edit, reorder and remove them.

Every form posts to a real address and works without JavaScript (the page comes back at its milestones);
with htmx, only the milestones section is sent back and swapped in place.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .forms import MilestoneForm, add_service_errors
from .views import _action_page_context, _action_the_user_may_update


def _section(request, action, *, form=None, editing=None, edit_form=None, status=200):
    """The milestones section (htmx), or the whole action page open at it (no JavaScript)."""
    action.forget_loaded_history()
    extra = {"milestone_form": form or MilestoneForm(), "editing": editing, "edit_form": edit_form}
    if request.htmx:
        # htmx swaps only successful responses: the section with its messages is the content to show.
        context = {"action": action, "plan": action.plan, "can_update": True} | extra
        return render(request, "plans/partials/milestones.html", context)
    if status == 200 and editing is None:
        return redirect(f"{action.get_absolute_url()}#milestones")
    return render(request, "plans/action_detail.html", _action_page_context(request, action) | extra, status=status)


@require_POST
def milestone_add(request, slug, ref):
    action = _action_the_user_may_update(request, slug, ref)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Milestone added.")
            return _section(request, action)
    return _section(request, action, form=form, status=400)


def milestone_edit(request, slug, ref, pk):
    action = _action_the_user_may_update(request, slug, ref)
    milestone = get_object_or_404(action.milestones, pk=pk)
    if request.method != "POST":
        if request.GET.get("cancel"):
            return _section(request, action)
        form = MilestoneForm(initial={"title": milestone.title, "target_date": milestone.target_date})
        return _section(request, action, editing=milestone.pk, edit_form=form)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_edit(milestone=milestone, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Milestone saved.")
            return _section(request, action)
    return _section(request, action, editing=milestone.pk, edit_form=form, status=400)


@require_POST
def milestone_move(request, slug, ref, pk):
    action = _action_the_user_may_update(request, slug, ref)
    milestone = get_object_or_404(action.milestones, pk=pk)
    services.milestone_move(milestone=milestone, by=request.user, up=request.POST.get("direction") == "up")
    return _section(request, action)


@require_POST
def milestone_remove(request, slug, ref, pk):
    action = _action_the_user_may_update(request, slug, ref)
    milestone = get_object_or_404(action.milestones, pk=pk)
    try:
        services.milestone_remove(milestone=milestone, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _section(request, action, status=400)
    messages.success(request, f"Milestone “{milestone.title}” removed.")
    return _section(request, action)
