"""Board pack pages: every reader sees issued packs; admins prepare drafts, preview, generate and issue them."""

import io
import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from plans.models import Plan

from . import services
from .content import pack_html
from .forms import BoardPackForm
from .models import BoardPack

logger = logging.getLogger(__name__)
can_read_packs = permission_required(["plans.view_plan", "reports.view_boardpack"], raise_exception=True)
ISSUE_PERMISSION = "reports.issue_boardpack"


def _pack_for_user(request, slug, pk):
    """The pack if this user may read it: drafts are the admins' working copies, and do not exist for anyone else."""
    packs = BoardPack.objects.visible_to(request.user).select_related("plan", "issued_by", "created_by")
    return get_object_or_404(packs, plan__slug=slug, pk=pk)


def _require_issuer(request):
    if not request.user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied(services.NOT_ALLOWED_TO_PREPARE)


@can_read_packs
def pack_list(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    packs = BoardPack.objects.visible_to(request.user).filter(plan=plan).select_related("plan", "issued_by")
    can_prepare = request.user.has_perm(ISSUE_PERMISSION)
    return render(
        request,
        "reports/pack_list.html",
        {"plan": plan, "packs": packs, "can_prepare": can_prepare, "form": BoardPackForm.with_defaults()},
    )


@require_POST
@can_read_packs
def pack_create(request, slug):
    _require_issuer(request)
    plan = get_object_or_404(Plan, slug=slug)
    form = BoardPackForm(request.POST)
    if form.is_valid():
        try:
            pack = services.board_pack_create(plan=plan, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, f"Draft version {pack.version} prepared. Preview it, then generate the PDF.")
            return redirect(pack)
    packs = BoardPack.objects.filter(plan=plan).select_related("plan", "issued_by")
    context = {"plan": plan, "packs": packs, "can_prepare": True, "form": form}
    return render(request, "reports/pack_list.html", context, status=400)


@can_read_packs
def pack_detail(request, slug, pk):
    pack = _pack_for_user(request, slug, pk)
    previous = BoardPack.objects.last_issued(pack.plan, before=pack.as_of)
    return render(
        request,
        "reports/pack_detail.html",
        {"plan": pack.plan, "pack": pack, "previous": previous, "can_prepare": request.user.has_perm(ISSUE_PERMISSION)},
    )


@can_read_packs
def pack_preview(request, slug, pk):
    """The pack as HTML from the same templates as the PDF; for admins, who are checking a draft before issuing it."""
    _require_issuer(request)
    pack = _pack_for_user(request, slug, pk)
    return HttpResponse(pack_html(pack, preview=True, request=request))


@require_POST
@can_read_packs
def pack_generate(request, slug, pk):
    _require_issuer(request)
    pack = _pack_for_user(request, slug, pk)
    issue = request.POST.get("issue") == "yes"
    try:
        services.board_pack_request(pack=pack, issue=issue, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Issuing the pack: this page shows how far it has got." if issue else
                         "Generating the PDF: this page shows how far it has got.")  # fmt: skip
    return redirect(pack)


@can_read_packs
def pack_download(request, slug, pk):
    pack = _pack_for_user(request, slug, pk)
    if not pack.pdf:
        raise Http404("This pack has no PDF yet.")
    try:
        content = pack.read_pdf()
    except FileNotFoundError:
        logger.error("The PDF of board pack %s is missing from storage: %s", pack.pk, pack.pdf.name)
        return HttpResponse(services.PDF_MISSING, status=409, content_type="text/plain; charset=utf-8")
    if pack.is_issued and not pack.pdf_is_intact(content):
        # An issued pack is a record: never hand out something other than what the board was sent.
        return HttpResponse(services.PDF_ALTERED, status=409, content_type="text/plain; charset=utf-8")
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=pack.file_name(), content_type="application/pdf"
    )
    if pack.sha256:
        response["X-Content-SHA256"] = pack.sha256
    return response
