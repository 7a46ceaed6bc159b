"""Board pack pages: every reader sees issued packs; admins prepare drafts, preview, generate and issue them."""

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.dates import query_month
from common.stale import Conflict, StaleObjects, digest, stamp
from kpis.models import Section
from plans.models import Area, Plan
from plans.views import plan_for_reader

from . import services
from .content import front_matter_of as _front_matter_of
from .content import pack_html
from .forms import BoardPackForm, PackFrontMatterForm, PeriodNarrativeForm
from .models import BoardPack, PackFrontMatter, PeriodNarrative
from .pack_scope import PACK_PARTS, stored_scope

logger = logging.getLogger(__name__)
can_read_packs = permission_required(["plans.view_plan", "reports.view_boardpack"], raise_exception=True)
can_read_narratives = permission_required(["plans.view_plan", "reports.view_periodnarrative"], raise_exception=True)
ISSUE_PERMISSION = "reports.issue_boardpack"
NOT_ALLOWED_TO_WRITE_NARRATIVES = "You may read these narratives but not write them."
NARRATIVES_SAVED = "{count} narrative{s} for {month:%B %Y} saved."
NARRATIVES_UNCHANGED = "Nothing had changed: the narratives for {month:%B %Y} are as they were."
NARRATIVES_HAVE_ERRORS = "Nothing was saved: correct the narratives marked below."
FRONT_MATTER_SAVED = "Front matter saved: the pack prints it first. Preview the pack to check it."


def _pack_for_user(request, slug, pk):
    """The pack if this user may read it: drafts are the admins' working copies, and do not exist for anyone else."""
    packs = BoardPack.objects.visible_to(request.user).select_related("plan", "issued_by", "created_by", "front_matter")
    plans = Plan.objects.readable_by(request.user)
    return get_object_or_404(packs.with_current_version(), plan__slug=slug, plan__in=plans, pk=pk)


def _require_issuer(request):
    if not request.user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied(services.NOT_ALLOWED_TO_PREPARE)


def _packs_listed(packs):
    return packs.select_related("plan", "issued_by", "meeting__board").with_current_version()


@can_read_packs
def pack_list(request, slug):
    plan = plan_for_reader(request, slug)
    packs = _packs_listed(BoardPack.objects.visible_to(request.user).filter(plan=plan))
    can_prepare = request.user.has_perm(ISSUE_PERMISSION)
    context = {
        "plan": plan,
        "packs": packs,
        "can_prepare": can_prepare,
        "form": BoardPackForm.with_defaults(plan) if can_prepare else None,
        "can_write_narratives": PeriodNarrative.can_write_any(request.user, plan),
        "this_month": timezone.localdate().replace(day=1),
    }
    return render(request, "reports/pack_list.html", context)


@require_POST
@can_read_packs
def pack_create(request, slug):
    _require_issuer(request)
    plan = plan_for_reader(request, slug)
    form = BoardPackForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            pack = services.board_pack_create(plan=plan, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, f"Draft version {pack.version} prepared. Preview it, then generate the PDF.")
            return redirect(pack)
    packs = _packs_listed(BoardPack.objects.filter(plan=plan))
    context = {"plan": plan, "packs": packs, "can_prepare": True, "form": form}
    return render(request, "reports/pack_list.html", context, status=400)


def _scope_words(pack):
    """What the pack covers, said for its pages: areas or themes, and the parts it prints."""
    scope = stored_scope(pack)
    labels = dict(PACK_PARTS)
    every_part = len(scope.parts) == len(PACK_PARTS)
    return {
        "covers": "; ".join(scope.described) if scope.described else "The whole plan",
        "parts": "Every part" if every_part else "; ".join(labels[part] for part in scope.parts),
    }


@can_read_packs
def pack_detail(request, slug, pk):
    pack = _pack_for_user(request, slug, pk)
    context = {
        "plan": pack.plan,
        "pack": pack,
        "previous_pack": pack.pack_measured_against(),
        "can_prepare": request.user.has_perm(ISSUE_PERMISSION),
        "scope_words": _scope_words(pack),
        "front_matter": _front_matter_of(pack),
    }
    return render(request, "reports/pack_detail.html", context)


@can_read_packs
def pack_front_matter(request, slug, pk):
    """The committee-report front matter of a draft, which the pack prints first; admins write it."""
    _require_issuer(request)
    pack = _pack_for_user(request, slug, pk)
    if pack.is_issued:
        messages.error(request, services.ALREADY_ISSUED)
        return redirect(pack)
    instance = _front_matter_of(pack) or PackFrontMatter(pack=pack)
    form = PackFrontMatterForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.pack_front_matter_save(pack=pack, values=form.cleaned_data, saved_by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, FRONT_MATTER_SAVED)
                return redirect(pack)
        status = 400
    context = {"plan": pack.plan, "pack": pack, "form": form}
    return render(request, "reports/pack_front_matter.html", context, status=status)


@can_read_packs
def pack_issue(request, slug, pk):
    """Issuing, with care: a GET says what will be recorded and that it cannot be undone; only the POST issues."""
    _require_issuer(request)
    pack = _pack_for_user(request, slug, pk)
    if pack.is_issued:
        messages.info(request, services.ALREADY_ISSUED)
        return redirect(pack)
    if request.method == "POST":
        try:
            services.board_pack_request(pack=pack, issue=True, requested_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Issuing the pack: this page shows how far it has got.")
        return redirect(pack)
    context = {
        "plan": pack.plan,
        "pack": pack,
        "previous_pack": pack.pack_measured_against(),
        "scope_words": _scope_words(pack),
        "front_matter": _front_matter_of(pack),
        "issuer": request.user,
        "now": timezone.localtime(),
    }
    return render(request, "reports/pack_issue.html", context)


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
    if request.POST.get("issue") == "yes":
        # Issuing cannot be undone: it is asked for on its own page, which says what will be recorded.
        return redirect("reports:pack_issue", pack.plan.slug, pack.pk)
    try:
        services.board_pack_request(pack=pack, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Generating the PDF: this page shows how far it has got.")
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


@dataclass
class NarrativeRow:
    """An area or KPI section on the narratives page: its saved narrative, and a form if this user may write it."""

    subject: Area | Section
    narrative: PeriodNarrative | None
    form: PeriodNarrativeForm | None
    key: tuple[int | None, int | None] = (None, None)  # (area pk, section pk)
    conflict: Conflict | None = None  # saved by someone else since this page was opened


def _month_asked(request):
    """The month in `?month=YYYY-MM` (this month when absent); BadDateParameter (a 400) when it is not a usable one."""
    return query_month(request.GET, "month", timezone.localdate().replace(day=1))


@can_read_narratives
def narratives(request, slug):
    """A month's "what is going well / areas for improvement" for each area and KPI section of the plan.

    Everyone who reads plans reads them here; admins write any, managers those they may (PeriodNarrative's rule).
    """
    plan = plan_for_reader(request, slug)
    month = _month_asked(request)
    writable_areas = set(PeriodNarrative.areas_writable_by(request.user, plan).values_list("pk", flat=True))
    writable_sections = set(PeriodNarrative.sections_writable_by(request.user, plan).values_list("pk", flat=True))
    if request.method == "POST" and not (writable_areas or writable_sections):
        raise PermissionDenied(NOT_ALLOWED_TO_WRITE_NARRATIVES)
    saved = {(n.area_id, n.section_id): n for n in PeriodNarrative.objects.for_month(plan, month)}
    data = request.POST if request.method == "POST" else None

    def row(subject, key, prefix, writable):
        narrative = saved.get(key)
        form = None
        if writable:
            texts = (narrative.going_well, narrative.for_improvement) if narrative else ("", "")
            initial = {"seen": stamp(narrative and narrative.updated_at), "shown": digest(*texts)}
            if narrative:
                initial |= {"going_well": texts[0], "for_improvement": texts[1]}
            form = PeriodNarrativeForm(data, prefix=prefix, initial=initial)
            form.error_summary_name = str(subject)
        return NarrativeRow(subject=subject, narrative=narrative, form=form, key=key)

    area_rows = [row(a, (a.pk, None), f"area-{a.pk}", a.pk in writable_areas) for a in plan.areas.all()]
    section_rows = [
        row(s, (None, s.pk), f"section-{s.pk}", s.pk in writable_sections) for s in PeriodNarrative.sections_of(plan)
    ]
    written = [r for r in area_rows + section_rows if r.form is not None]
    status = 200
    if request.method == "POST":
        # Only what the page showed is written: a subject whose boxes were not sent is left as it is.
        shown = [r for r in written if r.form.add_prefix("seen") in request.POST]
        if all([r.form.is_valid() for r in shown]):  # a list, so every form reports its errors
            # A row left as the page showed it is not written: it cannot overwrite someone else's later save.
            shown = [r for r in shown if r.form.edited()]
            try:
                count = services.period_narratives_save(
                    plan=plan,
                    month=month,
                    written_by=request.user,
                    narratives=[(r.subject, r.form.cleaned_data["going_well"], r.form.cleaned_data["for_improvement"])
                                for r in shown],
                    seen={r.key: r.form.cleaned_data["seen"] for r in shown},
                )  # fmt: skip
            except StaleObjects as error:
                _show_conflicts(request, shown, error)
                messages.error(request, str(error))
                status = 409
            else:
                return _narratives_saved(request, plan, month, count)
        else:
            messages.error(request, NARRATIVES_HAVE_ERRORS)
            status = 400
    context = {
        "plan": plan,
        "month": month,
        "previous_month": (month - dt.timedelta(days=1)).replace(day=1),
        "next_month": (month + dt.timedelta(days=32)).replace(day=1),
        "area_rows": area_rows,
        "section_rows": section_rows,
        "can_write": bool(written),
        "forms_written": [r.form for r in written],
    }
    return render(request, "reports/narratives.html", context, status=status)


def _show_conflicts(request, shown, error):
    """Each row saved by someone else since the page was opened: what it holds now, beside what this user typed.

    The rows keep the typed words and take the new stamp, so that saving again replaces what the other person wrote
    only once this user has seen it.
    """
    conflicts = error.by_key()
    typed = request.POST.copy()
    for row in shown:
        if (conflict := conflicts.get(row.key)) is not None:
            row.conflict, row.narrative = conflict, conflict.now
            typed[row.form.add_prefix("seen")] = stamp(conflict.changed_at)
    for row in shown:
        name = getattr(row.form, "error_summary_name", None)
        row.form = PeriodNarrativeForm(typed, prefix=row.form.prefix, initial=row.form.initial)
        row.form.error_summary_name = name
        row.form.is_valid()


def _narratives_saved(request, plan, month, count):
    if count:
        messages.success(request, NARRATIVES_SAVED.format(count=count, s="" if count == 1 else "s", month=month))
    else:
        messages.info(request, NARRATIVES_UNCHANGED.format(month=month))
    return redirect(f"{reverse('reports:narratives', args=[plan.slug])}?month={month:%Y-%m}")
