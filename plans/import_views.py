"""The import pages: an admin uploads a workbook, checks the preview, changes the columns if needed, confirms.

The uploaded file is kept on the server in its PlanImport record between steps; every step reads it
again from there, so what is written is what the server read, never what the browser sends back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.spreadsheets import WorkbookError
from common.spreadsheets.uploads import UPLOAD_EXPIRED, UploadGone, upload_keep, upload_take

from .import_forms import ColumnsForm, ConfirmForm, ImportUploadForm
from .importing import ImportRefused, kept_newer_message, plan_import, plan_preview, plan_read
from .importing.layout import template_workbook
from .models import Plan, PlanImport

can_import = permission_required("plans.import_plan", raise_exception=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows shown in the preview: enough to check a plan; every problem is listed whatever its row.
PREVIEW_ROWS = 300
IMPORTED = "Imported {file}: {created} new, {updated} updated, {unchanged} unchanged, {removed} removed."


def _own_upload(request: HttpRequest, token) -> PlanImport:
    """The upload `token` if it is this admin's own; others' uploads do not exist for them."""
    return get_object_or_404(PlanImport, token=token, created_by=request.user)


def _expired(request: HttpRequest, record: PlanImport) -> bool:
    """Whether `record` waited too long to be confirmed; the admin is told so."""
    if record.expired:
        messages.error(request, UPLOAD_EXPIRED.format(name=record.file_name))
    return record.expired


@can_import
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        sheet = form.cleaned_data["sheet"] or None
        try:
            plan_preview(
                data,
                name=upload.name,
                slug=form.cleaned_data["slug"],
                sheet=sheet,
                position_date=form.cleaned_data["position_date"],
            )
        except WorkbookError as error:
            form.add_error("file", str(error))
        else:
            record = upload_keep(
                PlanImport,
                name=upload.name,
                content=data,
                user=request.user,
                plan_slug=form.cleaned_data["slug"],
                plan_title=form.cleaned_data["title"],
                sheet_name=sheet or "",
                position_date=form.cleaned_data["position_date"],
            )
            return redirect(record)
    recent = PlanImport.objects.filter(state=PlanImport.State.APPLIED).select_related("created_by", "plan")[:10]
    return render(request, "plans/importing/upload.html", {"form": form, "recent": recent})


def _read(record):
    return plan_preview(
        bytes(record.content),
        name=record.file_name,
        slug=record.plan_slug,
        sheet=record.sheet_name or None,
        columns=record.columns or None,
        position_date=record.position_date,
    )


@can_import
def import_preview(request, token):
    record = _own_upload(request, token)
    if record.state == PlanImport.State.APPLIED:
        kept_newer = kept_newer_message(record.kept_newer_count, record.position_date)
        return render(request, "plans/importing/result.html", {"record": record, "kept_newer": kept_newer})
    if _expired(request, record):
        return redirect("plans:import_start")
    try:
        preview, changes = _read(record)
    except WorkbookError as error:
        messages.error(request, str(error))
        return redirect("plans:import_start")
    kinds = changes.by_row
    changed = {change.imported.row: change.changed_names for change in changes.updated}
    rows = [
        {"action": action, "change": kinds.get(action.row, "not imported"), "changed": changed.get(action.row, [])}
        for action in preview.actions[:PREVIEW_ROWS]
    ]
    not_actions = preview.rows_not_actions
    context = {
        "record": record,
        "plan": Plan.objects.filter(slug=record.plan_slug).first(),
        "preview": preview,
        "changes": changes,
        "rows": rows,
        "hidden_rows": max(0, len(preview.actions) - PREVIEW_ROWS),
        "outcomes": [area for area in preview.areas.values() if area.outcome or area.objectives or area.measured_by],
        "not_actions": not_actions[:PREVIEW_ROWS],
        "more_not_actions": max(0, len(not_actions) - PREVIEW_ROWS),
        "columns_form": ColumnsForm(mapping=preview.mapping, sheet_names=preview.sheet_names, sheet=preview.sheet),
        "confirm_form": ConfirmForm(),
        "importable": len(changes.created) + len(changes.updated) + len(changes.unchanged),
    }
    return render(request, "plans/importing/preview.html", context)


@can_import
@require_POST
def import_columns(request, token):
    record = _own_upload(request, token)
    if record.state != PlanImport.State.PENDING:
        return redirect(record)
    if _expired(request, record):
        return redirect("plans:import_start")
    try:
        preview, _ = _read(record)
    except WorkbookError as error:
        messages.error(request, str(error))
        return redirect("plans:import_start")
    form = ColumnsForm(request.POST, mapping=preview.mapping, sheet_names=preview.sheet_names, sheet=preview.sheet)
    if form.is_valid():
        sheet = form.cleaned_data.get("sheet", preview.sheet)
        if sheet != preview.sheet:
            # Another sheet has its own columns: start again from its header, if it has one.
            try:
                plan_preview(bytes(record.content), name=record.file_name, slug=record.plan_slug, sheet=sheet)
            except WorkbookError as error:
                messages.error(request, str(error))
                return redirect(record)
            record.sheet_name, record.columns = sheet, {}
        else:
            record.columns = form.choices()
        record.save(update_fields=["sheet_name", "columns"])
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect(record)


@can_import
@require_POST
def import_confirm(request, token):
    record = _own_upload(request, token)
    if record.state != PlanImport.State.PENDING:
        return redirect(record)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        with transaction.atomic():
            # Locked until the import is written: a second click waits, then finds it applied.
            record = upload_take(PlanImport, token=token, user=request.user)
            preview = plan_read(
                bytes(record.content),
                name=record.file_name,
                sheet=record.sheet_name or None,
                columns=record.columns or None,
            )
            record = plan_import(
                preview=preview,
                slug=record.plan_slug,
                title=record.plan_title,
                user=request.user,
                remove_missing=form.cleaned_data.get("remove_missing", False),
                record=record,
                position_date=record.position_date,
            )
    except UploadGone as error:
        messages.error(request, str(error))
        return redirect("plans:import_start")
    except (WorkbookError, ImportRefused) as error:
        messages.error(request, str(error))
        return redirect(record)
    messages.success(
        request,
        IMPORTED.format(
            file=record.file_name,
            created=record.created_count,
            updated=record.updated_count,
            unchanged=record.unchanged_count,
            removed=record.removed_count,
        ),
    )
    return redirect(record)


@can_import
def import_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="improvement-plan-template.xlsx"'
    return response
