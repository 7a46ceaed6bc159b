"""Writes for board packs: prepare a draft, generate its PDF, issue it as a record; and the period narratives."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.dates import check_date
from common.stale import Conflict, StaleObjects, stamp
from plans.notifications import after_commit

from . import notifications
from .content import pack_document
from .models import BoardPack, BoardPackEntry, PackFrontMatter, PeriodNarrative
from .pack_scope import AREAS_OF_ANOTHER_PLAN, NO_PARTS, PART_KEYS
from .rendering import html_to_pdf
from .storage import store_file

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from boards.models import Meeting
    from kpis.models import Section
    from plans.models import Area, Plan, Theme
    from plans.summary import PlanSummary

    from .content import KpiScorecard

NOT_ALLOWED_TO_PREPARE = "Only an admin may prepare or issue board packs."
ALREADY_ISSUED = "This pack has already been issued; issued packs are records and do not change."
ALREADY_GENERATING = "This pack is already being generated: wait for it to finish."
MEETING_BEFORE_AS_OF = "The board meeting cannot be before the date the pack reports on."
MEETING_OF_ANOTHER_BOARD = "{board} does not oversee {plan}: choose a meeting of one of its boards."
MEETING_DATE_NEEDED = "Choose the board meeting, or give its date."
NEXT_MEETING_NOT_AFTER = "The next meeting must be after this one."
NOT_ISSUED = "Only an issued pack can be downloaded as a record."
PDF_ALTERED = "The stored PDF no longer matches the checksum taken when it was issued."
NOT_ALLOWED_TO_WRITE_NARRATIVE = "You may not write the narrative for {subject}."
PDF_MISSING = "The stored PDF of this pack is missing; ask an admin to restore it from the backup of MEDIA_ROOT."


@transaction.atomic
def board_pack_create(
    *,
    plan: Plan,
    as_of: dt.date,
    meeting_date: dt.date | None = None,
    next_meeting_date: dt.date | None = None,
    orientation: str | None = None,
    created_by: AbstractBaseUser | None = None,
    areas: Iterable[Area] = (),
    themes: Iterable[Theme] = (),
    sections: Iterable[str] | None = None,
    meeting: Meeting | None = None,
) -> BoardPack:
    """A new draft for the meeting: the next version number for that meeting, with its scope (reports.pack_scope).

    With a board `meeting` (one of a board overseeing the plan), the pack's meeting date is that meeting's. A later
    version of a meeting's pack starts with the front matter written for the version before it.
    """
    areas, themes = list(areas), list(themes)
    if meeting is not None:
        if not meeting.board.plans.filter(pk=plan.pk).exists():
            raise ValidationError({"meeting": MEETING_OF_ANOTHER_BOARD.format(board=meeting.board, plan=plan)})
        meeting_date = meeting.date
    if meeting_date is None:
        raise ValidationError({"meeting_date": MEETING_DATE_NEEDED})
    version = (BoardPack.objects.filter(plan=plan, meeting_date=meeting_date).aggregate(v=Max("version"))["v"] or 0) + 1
    pack = BoardPack(
        plan=plan,
        as_of=as_of,
        meeting_date=meeting_date,
        meeting=meeting,
        next_meeting_date=next_meeting_date,
        orientation=orientation or BoardPack.Orientation.PORTRAIT,
        version=version,
        created_by=created_by,
        sections=list(PART_KEYS) if sections is None else [part for part in PART_KEYS if part in set(sections)],
    )
    errors = {}
    if any(area.plan_id != plan.pk for area in areas) or any(theme.plan_id != plan.pk for theme in themes):
        errors["areas"] = AREAS_OF_ANOTHER_PLAN
    if not pack.sections or set(sections or ()) - set(PART_KEYS):
        errors["sections"] = NO_PARTS
    for field, date in (("as_of", as_of), ("meeting_date", meeting_date), ("next_meeting_date", next_meeting_date)):
        try:
            check_date(date)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    if meeting_date < as_of:
        errors["meeting_date"] = MEETING_BEFORE_AS_OF
    if next_meeting_date and next_meeting_date <= meeting_date:
        errors["next_meeting_date"] = NEXT_MEETING_NOT_AFTER
    if errors:
        raise ValidationError(errors)
    pack.full_clean()
    pack.save()
    pack.areas.set(areas)
    pack.themes.set(themes)
    earlier = PackFrontMatter.objects.filter(pack__plan=plan, pack__meeting_date=meeting_date).exclude(pack=pack)
    if (front_matter := earlier.order_by("-pack__version").first()) is not None:
        front_matter.pk, front_matter.pack = None, pack
        front_matter.save()
    return pack


@transaction.atomic
def pack_front_matter_save(
    *, pack: BoardPack, values: Mapping[str, str], saved_by: AbstractBaseUser
) -> PackFrontMatter:
    """Write the committee-report front matter of a draft; an issued pack's is part of its record and stays."""
    if not saved_by.has_perm("reports.issue_boardpack"):
        raise PermissionDenied(NOT_ALLOWED_TO_PREPARE)
    pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if pack.is_issued:
        raise ValidationError(ALREADY_ISSUED)
    front_matter = PackFrontMatter.objects.filter(pack=pack).first() or PackFrontMatter(pack=pack)
    for name, value in values.items():
        setattr(front_matter, name, _narrative_text(value))
    front_matter.full_clean()
    front_matter.save()
    return front_matter


@transaction.atomic
def board_pack_request(
    *, pack: BoardPack, issue: bool = False, requested_by: AbstractBaseUser | None = None
) -> BoardPack:
    """Queue the PDF (a draft's, or the issued record's) for the background worker."""
    from .tasks import generate_board_pack

    pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if pack.is_issued:
        raise ValidationError(ALREADY_ISSUED)
    if pack.is_generating:
        raise ValidationError(ALREADY_GENERATING)
    pack.generation = BoardPack.Generation.QUEUED
    pack.progress, pack.progress_text, pack.error = 0, "Waiting for the worker", ""
    pack.progress_at = timezone.now()
    pack.save(update_fields=["generation", "progress", "progress_text", "progress_at", "error"])
    user_id = requested_by.pk if requested_by else None
    # Queued once the pack's row is committed, so the worker never reads it half-written.
    transaction.on_commit(lambda: generate_board_pack.enqueue(pack_id=pack.pk, issue=issue, user_id=user_id))
    return pack


def board_pack_progress(*, pack: BoardPack, percent: int, words: str) -> None:
    """Record how far a run has got; its own small write, so a page polling the pack sees it straight away."""
    BoardPack.objects.filter(pk=pack.pk).update(
        generation=BoardPack.Generation.RUNNING, progress=percent, progress_text=words[:200], progress_at=timezone.now()
    )


def board_pack_generate(*, pack: BoardPack) -> BoardPack:
    """Render the draft's PDF and store it, replacing the previous draft PDF."""
    if pack.is_issued:
        raise ValidationError(ALREADY_ISSUED)
    board_pack_progress(pack=pack, percent=10, words="Reading the plan")
    pdf, pages = _render(pack)
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
        _store_pdf(pack, pdf, pages)
        pack.save()
    return pack


def board_pack_issue(*, pack: BoardPack, issued_by: AbstractBaseUser, at: dt.datetime | None = None) -> BoardPack:
    """Issue the pack: render it as issued, keep the PDF and its checksum, and record every colour it showed.

    The rendering happens before the transaction so the database is not held while pages are laid out.
    """
    if pack.is_issued:
        raise ValidationError(ALREADY_ISSUED)
    if not issued_by.has_perm("reports.issue_boardpack"):
        raise ValidationError(NOT_ALLOWED_TO_PREPARE)
    # Chosen before the pack counts as issued (or it would be measured against nothing) and kept with it.
    pack.measured_against = BoardPack.objects.to_measure_against(pack)
    pack.status = BoardPack.Status.ISSUED
    pack.issued_by = issued_by
    pack.issued_at = at or timezone.now()
    board_pack_progress(pack=pack, percent=10, words="Reading the plan")
    pdf, pages, context = _render(pack, with_summary=True)
    with transaction.atomic():
        locked = BoardPack.objects.select_for_update().get(pk=pack.pk)
        if locked.is_issued:
            raise ValidationError(ALREADY_ISSUED)
        locked.status, locked.issued_by, locked.issued_at = pack.status, pack.issued_by, pack.issued_at
        locked.measured_against = pack.measured_against
        _store_pdf(locked, pdf, pages)
        locked.full_clean()
        locked.save()
        BoardPackEntry.objects.bulk_create(
            _action_entries(locked, context["summary"]) + _kpi_entries(locked, context["kpis"])
        )
        after_commit(notifications.board_pack_issued, locked.pk)
    return locked


def _action_entries(pack: BoardPack, summary: PlanSummary) -> list[BoardPackEntry]:
    return [
        BoardPackEntry(
            pack=pack,
            kind=BoardPackEntry.Kind.ACTION,
            action=reading.action,
            key=reading.action.ref,
            label=reading.action.title[:500],
            rag=reading.rag.value,
            figures={
                "target_date": _iso(reading.slippage.target_date),
                "original_target_date": _iso(reading.slippage.original_target_date),
            },
        )
        for area in summary.areas
        for reading in area.readings
    ]


def _kpi_entries(pack: BoardPack, kpis: KpiScorecard | None) -> list[BoardPackEntry]:
    """Every indicator value the pack showed, as the board read it (numbers as text, so nothing is rounded)."""
    if kpis is None:
        return []
    entries = []
    for row in kpis.rows:
        latest = row.latest
        entries.append(
            BoardPackEntry(
                pack=pack,
                kind=BoardPackEntry.Kind.KPI,
                key=row.indicator.code,
                label=row.indicator.name[:500],
                rag=row.rag.value if row.rag else "",
                figures={
                    "month": _iso(row.month),
                    "value": str(latest.value) if latest and latest.value is not None else None,
                    "shown": latest.display if latest else "",
                    "target": row.target.display if row.target else "",
                    "since_previous": row.since_previous.trend.value if row.since_previous else None,
                    "since_last_year": row.since_last_year.trend.value if row.since_last_year else None,
                    "benchmarks": [
                        {"group": b.group.name, "year": b.year, "value": str(b.value), "shown": b.display}
                        for b in row.benchmarks
                    ],
                },
            )
        )
    return entries


def board_pack_failed(*, pack: BoardPack, error: Exception) -> None:
    words = " ".join(error.messages) if isinstance(error, ValidationError) else f"{type(error).__name__}: {error}"
    BoardPack.objects.filter(pk=pack.pk).update(
        generation=BoardPack.Generation.FAILED, progress_text="Failed", error=words[:2000]
    )


def _render(pack: BoardPack, *, with_summary: bool = False) -> tuple[bytes, int] | tuple[bytes, int, dict[str, Any]]:
    html, context = pack_document(pack)

    def on_progress(percent: int, words: str) -> None:
        board_pack_progress(pack=pack, percent=percent, words=words)

    rendered = html_to_pdf(html, on_progress=on_progress)
    if with_summary:
        return rendered.content, rendered.pages, context
    return rendered.content, rendered.pages


def _store_pdf(pack: BoardPack, pdf: bytes, pages: int) -> None:
    """Keep `pdf` as the pack's file once it is safely stored; the file it replaces goes once the pack is saved.

    Call inside the transaction that saves `pack`. The bytes are written under a name of their own (a disk that
    fills part way leaves a partial file under no name the pack uses, and it is removed), read back and checked
    against their checksum; only then does the pack point at them, and the previous file is deleted after the
    transaction commits, so a failure at any step leaves the previous good PDF in place and served.
    """
    sha256 = hashlib.sha256(pdf).hexdigest()
    previous = pack.pdf.name
    name = store_file(pack.pdf.storage, pack.pdf.field.generate_filename(pack, _stored_name(pack, sha256)), pdf)
    pack.pdf.name = name
    if previous and previous != name:
        storage = pack.pdf.storage
        transaction.on_commit(lambda: storage.delete(previous))
    pack.sha256 = sha256
    pack.pages = pages
    pack.generation, pack.progress, pack.progress_text, pack.error = BoardPack.Generation.DONE, 100, "Ready", ""
    pack.generated_at = timezone.now()


def _stored_name(pack: BoardPack, sha256: str) -> str:
    """The file's name in storage: the download's name, and the start of its checksum so each version has its own."""
    stem = pack.file_name().removesuffix(".pdf")
    return f"{stem}-{sha256[:12]}.pdf"


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


@transaction.atomic
def period_narratives_save(
    *,
    plan: Plan,
    month: dt.date,
    written_by: AbstractBaseUser,
    narratives: Iterable[tuple[Area | Section, str, str]],
    seen: Mapping[tuple[int | None, int | None], str] | None = None,
) -> int:
    """Write the plan's narratives for `month`: all of them or, if any may not be written by this user, none.

    `narratives` holds (area or section, going well, for improvement). A narrative left with both
    parts empty is removed; one whose words did not change keeps its writer and date. Returns how many changed.
    `seen` holds, by (area pk, section pk), the stamp (common.stale.stamp) of each narrative as the writer's page
    showed it: if any has changed since, nothing is written and StaleObjects says which, who and what they hold.
    """
    period = month.replace(day=1)
    writable_areas = set(PeriodNarrative.areas_writable_by(written_by, plan).values_list("pk", flat=True))
    writable_sections = set(PeriodNarrative.sections_writable_by(written_by, plan).values_list("pk", flat=True))
    # Locked, so that two pages saved at once are compared and written one after the other.
    existing = {
        (n.area_id, n.section_id): n
        for n in PeriodNarrative.objects.for_month(plan, period).select_for_update(of=("self",))
    }
    conflicts = [
        Conflict(key, now.written_by if now else None, now.updated_at if now else None, now)
        for key, shown in (seen or {}).items()
        if stamp((now := existing.get(key)) and now.updated_at) != shown
    ]
    if conflicts:
        raise StaleObjects(conflicts)
    changed = 0
    for subject, going_well, for_improvement in narratives:
        is_area = subject._meta.model_name == "area"
        if subject.pk not in (writable_areas if is_area else writable_sections):
            raise PermissionDenied(NOT_ALLOWED_TO_WRITE_NARRATIVE.format(subject=subject))
        key = (subject.pk, None) if is_area else (None, subject.pk)
        narrative = existing.get(key)
        going_well, for_improvement = _narrative_text(going_well), _narrative_text(for_improvement)
        if not going_well and not for_improvement:
            if narrative is not None:
                narrative.delete()
                changed += 1
            continue
        if narrative is None:
            narrative = PeriodNarrative(plan=plan, period=period, area_id=key[0], section_id=key[1])
        elif (narrative.going_well, narrative.for_improvement) == (going_well, for_improvement):
            continue
        narrative.going_well, narrative.for_improvement, narrative.written_by = going_well, for_improvement, written_by
        narrative.full_clean()
        narrative.save()
        changed += 1
    return changed


def _narrative_text(text: str) -> str:
    # Browsers send a textarea's lines ending in CRLF; kept as typed, every save would look like a change.
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
