"""The risk register's pages: the register with its heat map, a risk with its score history, and the import."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from common.dates import query_date
from common.spreadsheets.uploads import upload_step

from ..models import Plan, Risk
from .forms import NOTHING_CHANGED, RiskAssessForm
from .heatmap import risk_heat_map
from .importing import RiskFileError, risks_upload_import, risks_upload_preview
from .register import risk_register
from .services import risk_assess

NOT_ALLOWED_TO_ASSESS = "Only an admin may reassess a risk."

can_read_risks = permission_required("plans.view_risk", raise_exception=True)


@can_read_risks
def risk_register_page(request, slug):
    plan = get_object_or_404(Plan.objects.readable_by(request.user), slug=slug)
    as_of = query_date(request.GET, "as_of", timezone.localdate())
    readings = risk_register(plan, as_of=as_of)
    heat_map = risk_heat_map(
        readings, title=f"Open risks of {plan.title} by likelihood and impact on {as_of:%-d %B %Y}"
    )
    return render(
        request,
        "plans/risks/register.html",
        {"plan": plan, "as_of": as_of, "readings": sorted(readings, key=lambda r: (-r.score, r.risk.position)),
         "heat_map": heat_map,
         "challenged": [reading for reading in readings if reading.needs_challenge]},
    )  # fmt: skip


@can_read_risks
def risk_detail(request, slug, ref):
    risk = get_object_or_404(
        Risk.objects.select_related("plan"), plan__slug=slug, plan__in=Plan.objects.readable_by(request.user), ref=ref
    )
    may_assess = request.user.has_perm("plans.change_risk")
    form = RiskAssessForm(
        request.POST or None, initial={"likelihood": risk.likelihood, "impact": risk.impact, "status": risk.status}
    )
    status = 200
    if request.method == "POST":
        if not may_assess:
            raise PermissionDenied(NOT_ALLOWED_TO_ASSESS)
        if form.is_valid():
            data = form.cleaned_data
            recorded = risk_assess(risk=risk, likelihood=data["likelihood"], impact=data["impact"],
                                   status=data["status"], note=data["note"], author=request.user)  # fmt: skip
            if recorded:
                messages.success(request, f"Risk {risk.ref} reassessed: score {risk.score}.")
                return redirect(risk)
            form.add_error(None, NOTHING_CHANGED)
        status = 400
    reading = next(r for r in risk_register(risk.plan, as_of=timezone.localdate()) if r.risk.pk == risk.pk)
    return render(
        request,
        "plans/risks/risk_detail.html",
        {"plan": risk.plan, "risk": risk, "reading": reading, "form": form if may_assess else None,
         "history": risk.assessments.select_related("author")},
        status=status,
    )  # fmt: skip


@permission_required("plans.add_risk", raise_exception=True)
def risk_import_page(request, slug):
    """Upload a register, preview what would change (nothing is written), then import the kept file on confirmation."""
    plan = get_object_or_404(Plan.objects.readable_by(request.user), slug=slug)
    step = upload_step(
        request, preview=partial(risks_upload_preview, plan=plan), confirm=risks_upload_import, refused=RiskFileError
    )
    if step.applied:
        messages.success(request, step.applied_message)
        return redirect("plans:risk_register", slug=plan.slug)
    return render(request, "plans/risks/import.html", {"plan": plan} | step.context, status=step.status)
