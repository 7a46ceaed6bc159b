"""Board packs: drafts the performance team prepares, and issued packs kept as records with what they showed."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from plans.models import Action, Plan
from plans.rag import RAG


class BoardPackQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(status=BoardPack.Status.ISSUED)

    def last_issued(self, plan, *, before=None):
        """The plan's most recent issued pack (by its as-of date), or the last one as of before `before`."""
        packs = self.issued().filter(plan=plan)
        if before is not None:
            packs = packs.filter(as_of__lt=before)
        return packs.order_by("-as_of", "-issued_at", "-pk").first()

    def visible_to(self, user):
        """Admins see drafts as well; everyone else who reads plans sees issued packs only."""
        if user.has_perm("reports.issue_boardpack"):
            return self
        return self.issued()


# A run that has reported nothing for this long has stopped (the worker was killed or never started);
# the pack may then be requested again.
GENERATION_TIMEOUT = dt.timedelta(minutes=15)


def _pack_file_name(pack, filename):
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

    def __str__(self):
        return f"{self.plan} board pack for {self.meeting_date:%d %B %Y} (version {self.version})"

    def get_absolute_url(self):
        return reverse("reports:pack_detail", args=[self.plan.slug, self.pk])

    @property
    def is_issued(self):
        return self.status == self.Status.ISSUED

    @property
    def is_generating(self):
        return self.generation in (self.Generation.QUEUED, self.Generation.RUNNING) and not self.generation_stalled

    @property
    def generation_stalled(self):
        return (
            self.generation in (self.Generation.QUEUED, self.Generation.RUNNING)
            and self.progress_at is not None
            and timezone.now() - self.progress_at > GENERATION_TIMEOUT
        )

    def file_name(self):
        kind = "" if self.is_issued else "-DRAFT"
        return f"{self.plan.slug}-board-pack-{self.meeting_date:%Y-%m-%d}-v{self.version}{kind}.pdf"

    def read_pdf(self):
        with self.pdf.open("rb") as stored:
            return stored.read()

    def pdf_is_intact(self, content=None):
        """Whether the stored PDF is byte for byte the one that was issued."""
        content = self.read_pdf() if content is None else content
        return hashlib.sha256(content).hexdigest() == self.sha256

    def previous_rags(self):
        """{action id: RAG} as this pack showed them, for the next pack's movement."""
        return {
            entry.action_id: RAG(entry.rag)
            for entry in self.entries.all()
            if entry.kind == BoardPackEntry.Kind.ACTION and entry.action_id and entry.rag
        }


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

    def __str__(self):
        return f"{self.pack}: {self.get_kind_display()} {self.key} {self.rag}"
