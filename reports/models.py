"""Board packs: drafts the performance team prepares, and issued packs kept as records with what they showed."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from boards.models import Meeting
from kpis.models import Indicator, Section
from plans.models import Action, Area, Plan, Theme
from plans.rag import RAG

from .front_matter import PackFrontMatter  # noqa: F401 - one of this app's models, kept in its own module

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class BoardPackQuerySet(models.QuerySet):
    def issued(self) -> Self:
        return self.filter(status=BoardPack.Status.ISSUED)

    def last_issued(
        self, plan: Plan | int, *, on_or_before: dt.date | None = None, excluding: BoardPack | None = None
    ) -> BoardPack | None:
        """ "The last board": the plan's issued pack with the latest position on or before a date (any date if None).

        The one rule for the dashboard's "since the last board" and a pack's movement. Of packs with the same
        position date, the one issued last: a pack reissued minutes later is the one the board has.
        """
        packs = self.issued().filter(plan=plan)
        if on_or_before is not None:
            packs = packs.filter(as_of__lte=on_or_before)
        if excluding is not None:
            packs = packs.exclude(pk=excluding.pk)
        return packs.select_related("plan").order_by("-as_of", "-issued_at", "-pk").first()

    def to_measure_against(self, pack: BoardPack) -> BoardPack | None:
        """The issued pack a pack's movement is measured against: the last board as at its position date.

        An earlier version of the same meeting's pack counts (its position is the same day or earlier), so a pack
        reissued minutes later moves against the one the board already has, not against the meeting before.
        """
        return self.last_issued(pack.plan_id, on_or_before=pack.as_of, excluding=pack)

    def with_current_version(self) -> Self:
        """Each pack with `current_version`: the version of its meeting's pack issued last (None if none is issued)."""
        latest = self.model.objects.issued().filter(plan=OuterRef("plan"), meeting_date=OuterRef("meeting_date"))
        return self.annotate(current_version=Subquery(latest.order_by("-issued_at", "-pk").values("version")[:1]))

    def visible_to(self, user: AbstractBaseUser) -> Self:
        """Admins see drafts as well; everyone else who reads plans sees issued packs only."""
        if user.has_perm("reports.issue_boardpack"):
            return self
        return self.issued()


# A queued run that no worker has taken for this long has stopped (no worker is running); the pack may then be
# requested again. A running one beats every settings.PACK_HEARTBEAT_SECONDS (reports.tasks): past three missed
# beats its worker died, and the run may be requested again at once, or is resumed when a worker starts.
GENERATION_TIMEOUT = dt.timedelta(minutes=15)
MISSED_HEARTBEATS = 3


def heartbeat_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.PACK_HEARTBEAT_SECONDS * MISSED_HEARTBEATS)


def _pack_file_name(pack: BoardPack, filename: str) -> str:
    return f"board-packs/{pack.plan.slug}/{filename}"


class BoardPack(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    class Orientation(models.TextChoices):
        PORTRAIT = "portrait", "Portrait"
        LANDSCAPE = "landscape", "Landscape"

    class Generation(models.TextChoices):
        """Where the background PDF run is; a draft can be re-run, an issued pack's run ends in `done`."""

        IDLE = "idle", "Not generated"
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Being generated"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="board_packs")
    as_of = models.DateField("position as at", help_text="The date the pack reports the plan's position on.")
    meeting_date = models.DateField("board meeting", help_text="The meeting the pack is for.")
    # The board meeting the pack goes to, when the plan's boards keep their meetings here; meeting_date is then
    # that meeting's date (reports.services.board_pack_create), so versions and movement work as before.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="packs", verbose_name="board meeting"
    )
    next_meeting_date = models.DateField(
        "next board meeting", null=True, blank=True, help_text="Milestones due before it are listed in the pack."
    )
    version = models.PositiveIntegerField(default=1)
    orientation = models.CharField(max_length=10, choices=Orientation.choices, default=Orientation.PORTRAIT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField("PDF", upload_to=_pack_file_name, blank=True)
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    generation = models.CharField(max_length=10, choices=Generation.choices, default=Generation.IDLE)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent.")
    progress_text = models.CharField(max_length=200, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True, help_text="When the run last reported.")
    error = models.TextField(blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    # Recorded when the pack is issued, so the record keeps naming the pack its PDF was measured against
    # even after later packs are issued; a draft works it out afresh each time it is rendered.
    measured_against = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="movement measured against",
        help_text="The issued pack whose colours this pack's movement was measured against.",
    )
    # The pack's scope (reports.pack_scope), chosen when it is prepared and kept with it, so that generating it
    # again or issuing it covers the same areas and parts. No area or theme chosen: the whole plan.
    areas = models.ManyToManyField(Area, blank=True, related_name="board_packs", help_text="Only these areas.")
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="board_packs", help_text="Only these themes' areas."
    )
    sections = models.JSONField(
        "parts", default=list, blank=True, help_text="The parts of the pack printed (reports.pack_scope); empty: all."
    )

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-meeting_date", "-version"]
        permissions = [("issue_boardpack", "Can prepare and issue board packs")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "meeting_date", "version"], name="unique_pack_version"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False) & ~Q(sha256="") & ~Q(pdf=""),
                name="issued_pack_has_its_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} board pack for {self.meeting_date:%d %B %Y} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("reports:pack_detail", args=[self.plan.slug, self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_generating(self) -> bool:
        return self.generation in (self.Generation.QUEUED, self.Generation.RUNNING) and not self.generation_stalled

    @property
    def generation_stalled(self) -> bool:
        if self.progress_at is None:
            return False
        silent = timezone.now() - self.progress_at
        if self.generation == self.Generation.RUNNING:
            return silent > heartbeat_timeout()
        return self.generation == self.Generation.QUEUED and silent > GENERATION_TIMEOUT

    @property
    def is_current_version(self) -> bool:
        """Whether this is the pack issued last for its meeting (needs `with_current_version()`)."""
        return self.is_issued and self.version == self.current_version

    @property
    def is_superseded(self) -> bool:
        """An issued pack for a meeting whose pack was issued again later (needs `with_current_version()`)."""
        return self.is_issued and self.version != self.current_version

    def pack_measured_against(self) -> BoardPack | None:
        """The issued pack this one's movement is measured against: as recorded once issued, else the latest now."""
        if self.is_issued:
            return self.measured_against
        return BoardPack.objects.to_measure_against(self)

    def file_name(self) -> str:
        kind = "" if self.is_issued else "-DRAFT"
        return f"{self.plan.slug}-board-pack-{self.meeting_date:%Y-%m-%d}-v{self.version}{kind}.pdf"

    def read_pdf(self) -> bytes:
        with self.pdf.open("rb") as stored:
            return stored.read()

    def pdf_is_intact(self, content: bytes | None = None) -> bool:
        """Whether the stored PDF is byte for byte the one that was issued."""
        content = self.read_pdf() if content is None else content
        return hashlib.sha256(content).hexdigest() == self.sha256

    def previous_rags(self) -> dict[int, RAG]:
        """{action id: RAG} as this pack showed them, for the next pack's movement."""
        # Pairs, not entries: a dashboard reads this for thousands of actions on every view.
        entries = self.entries.filter(kind=BoardPackEntry.Kind.ACTION, action__isnull=False).exclude(rag="")
        return {action_id: RAG(rag) for action_id, rag in entries.values_list("action_id", "rag")}


class BoardPackEntry(models.Model):
    """One figure an issued pack showed: an action's colour, or (from the KPI app) an indicator's value.

    A row per figure rather than a JSON blob, so "what did the board see for action 12 in March" is
    a query; `figures` holds whatever else the row's kind needs (a KPI's value, target and period).
    """

    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        KPI = "kpi", "KPI"

    pack = models.ForeignKey(BoardPack, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The action may later be deleted; the record of what the board saw stays, named by its reference.
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    key = models.CharField(max_length=100, help_text="The action's reference or the KPI's code, as shown.")
    label = models.CharField(max_length=500, blank=True)
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pack", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["pack", "kind", "key"], name="unique_pack_entry")]

    def __str__(self) -> str:
        return f"{self.pack}: {self.get_kind_display()} {self.key} {self.rag}"


# Admins write any narrative; managers those of the areas whose actions they lead or sponsor, and the
# KPI sections of their plan (sections have no owner in the tracker, and the report's author is a manager).
WRITE_ANY_NARRATIVE = "reports.change_periodnarrative"
WRITE_OWN_NARRATIVES = "reports.write_own_narratives"


class PeriodNarrativeQuerySet(models.QuerySet):
    def for_month(self, plan: Plan, month: dt.date) -> Self:
        """The plan's narratives for the month `month` falls in, with their writers, for pages and the pack."""
        return self.filter(plan=plan, period=month.replace(day=1)).select_related("written_by")


class PeriodNarrative(models.Model):
    """What is going well and what needs to improve, for one area or KPI section of a plan in one month.

    The performance report (seed 002) puts these two columns under each service section's figures;
    managers write them for the period and the board pack prints them under the area or scorecard.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="narratives")
    period = models.DateField(help_text="The month, held as its first day.")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="narratives")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="narratives", verbose_name="KPI section"
    )
    going_well = models.TextField("what is going well", blank=True)
    for_improvement = models.TextField("areas for improvement", blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeriodNarrativeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-period", "area", "section"]
        permissions = [("write_own_narratives", "Can write narratives for the areas they lead or sponsor actions in")]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False, section__isnull=True) | Q(area__isnull=True, section__isnull=False),
                name="narrative_is_for_an_area_or_a_section",
            ),
            models.UniqueConstraint(
                fields=["plan", "period", "area"], condition=Q(area__isnull=False), name="one_narrative_per_area_month"
            ),
            models.UniqueConstraint(
                fields=["plan", "period", "section"],
                condition=Q(section__isnull=False),
                name="one_narrative_per_section_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}, {self.area or self.section}, {self.period:%B %Y}"

    def clean(self) -> None:
        if self.period and self.period.day != 1:
            self.period = self.period.replace(day=1)
        if self.area_id and self.plan_id and self.area.plan_id != self.plan_id:
            raise ValidationError({"area": "This area belongs to another plan."})

    @property
    def subject(self) -> Area | Section | None:
        return self.area or self.section

    @staticmethod
    def areas_writable_by(user: AbstractBaseUser, plan: Plan) -> models.QuerySet[Area]:
        areas = Area.objects.filter(plan=plan)
        if user.has_perm(WRITE_ANY_NARRATIVE):
            return areas
        if user.has_perm(WRITE_OWN_NARRATIVES):
            theirs = Action.objects.led_or_sponsored_by(user).filter(plan=plan).values("area_id")
            return areas.filter(pk__in=theirs)
        return areas.none()

    @staticmethod
    def sections_of(plan: Plan) -> models.QuerySet[Section]:
        """The KPI sections of the indicators that measure the plan."""
        return Section.objects.filter(pk__in=Indicator.objects.for_plan(plan).values("section_id"))

    @classmethod
    def sections_writable_by(cls, user: AbstractBaseUser, plan: Plan) -> models.QuerySet[Section]:
        if user.has_perm(WRITE_ANY_NARRATIVE) or user.has_perm(WRITE_OWN_NARRATIVES):
            return cls.sections_of(plan)
        return Section.objects.none()

    @classmethod
    def can_be_written_by(
        cls, user: AbstractBaseUser, *, plan: Plan, area: Area | None = None, section: Section | None = None
    ) -> bool:
        """Whether `user` may write the plan's narrative for `area` or for `section` (give one)."""
        if (area is None) == (section is None):
            raise ValueError("A narrative is for an area or for a KPI section.")
        if area is not None:
            return area.plan_id == plan.pk and cls.areas_writable_by(user, plan).filter(pk=area.pk).exists()
        return cls.sections_writable_by(user, plan).filter(pk=section.pk).exists()

    @classmethod
    def can_write_any(cls, user: AbstractBaseUser, plan: Plan) -> bool:
        return cls.areas_writable_by(user, plan).exists() or cls.sections_writable_by(user, plan).exists()
