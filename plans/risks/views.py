"""The risk register's pages: the register with its heat map, a risk with its score history, and the import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from common.dates import iso_date
from common.spreadsheets.uploads import UploadGone

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
    plan = get_object_or_404(Plan, slug=slug)
    as_of = iso_date(request.GET.get("as_of")) or timezone.localdate()
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
    risk = get_object_or_404(Risk.objects.select_related("plan"), plan__slug=slug, ref=ref)
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
    plan = get_object_or_404(Plan, slug=slug)
    context = {"plan": plan}
    if request.method == "POST" and request.POST.get("action") == "import":
        try:
            result = risks_upload_import(token=request.POST.get("token", ""), user=request.user)
        except (RiskFileError, UploadGone) as error:
            context["error"] = str(error)
        else:
            messages.success(request, f"Imported {result.record.file_name}. " + " ".join(result.summary_lines()))
            return redirect("plans:risk_register", slug=plan.slug)
    elif request.method == "POST":
        workbook = request.FILES.get("workbook")
        if workbook is None:
            context["error"] = "Choose a workbook to import."
        else:
            # Past the limit the file is refused unread; the toolkit says so in the same words.
            content = workbook.read(settings.IMPORT_MAX_BYTES + 1)
            try:
                result, record = risks_upload_preview(plan=plan, name=workbook.name, content=content, user=request.user)
            except RiskFileError as error:
                # The toolkit's messages name the file; a heading problem does not, so the page does.
                context["error"] = str(error) if workbook.name in str(error) else f"{workbook.name}: {error}"
            else:
                context |= {"result": result, "name": workbook.name, "token": record.token if record else ""}
    return render(request, "plans/risks/import.html", context, status=400 if context.get("error") else 200)
