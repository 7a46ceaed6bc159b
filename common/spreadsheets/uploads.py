"""An uploaded workbook kept on the server between its preview and the admin's confirmation.

Kept in a database record, never on the client nor in the session, so that what is applied is the file the
server read and showed; only the admin who uploaded it may confirm it, it expires, and it is applied once.
Each importer's record (KpiImport, later PlanImport) is a model built on `PendingUpload`.
"""

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone

KEPT_FOR = dt.timedelta(hours=1)
PREVIEW_EXPIRED = "The preview has expired or was replaced by another one: upload the file again."
UPLOAD_EXPIRED = "The preview of {name} is more than an hour old and has expired: upload the file again."


class UploadGone(Exception):
    """The upload to confirm is no longer there to apply; the message says why in the admin's words."""


class PendingUpload(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        APPLIED = "applied", "Imported"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(max_length=255)
    checksum = models.CharField("SHA-256 checksum", max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    # Dropped once the import is applied: the record stays as the history of what was imported.
    content = models.BinaryField(blank=True, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def expired(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at is not None and self.expires_at <= timezone.now()


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def uploads_purge(model: type[PendingUpload], *, now: dt.datetime | None = None) -> int:
    """Delete the pending uploads that expired; returns how many."""
    deleted, _ = model.objects.filter(state=PendingUpload.State.PENDING, expires_at__lte=now or timezone.now()).delete()
    return deleted


def upload_keep(model: type[PendingUpload], *, name: str, content: bytes, user, **fields) -> PendingUpload:
    """Keep `content` for `user` to confirm; their earlier preview is replaced and expired uploads are purged."""
    uploads_purge(model)
    model.objects.filter(state=PendingUpload.State.PENDING, created_by=user).delete()
    now = timezone.now()
    return model.objects.create(
        file_name=name[:255],
        checksum=checksum(content),
        size=len(content),
        content=content,
        created_by=user,
        created_at=now,
        expires_at=now + KEPT_FOR,
        **fields,
    )


def upload_take(model: type[PendingUpload], *, token: str, user) -> PendingUpload:
    """The pending upload `token` of `user`, locked until the transaction ends; UploadGone if it cannot be applied.

    Call inside a transaction: the lock is what stops a double click from applying one upload twice.
    """
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise UploadGone(PREVIEW_EXPIRED) from None
    record = model.objects.select_for_update().filter(token=token, created_by=user).first()
    if record is None or record.state != PendingUpload.State.PENDING:
        raise UploadGone(PREVIEW_EXPIRED)
    if record.expired:
        raise UploadGone(UPLOAD_EXPIRED.format(name=record.file_name))
    if checksum(bytes(record.content)) != record.checksum:
        raise UploadGone(PREVIEW_EXPIRED)
    return record


def upload_applied(record: PendingUpload) -> None:
    """Mark `record` applied and drop its file (call `save()` after setting the counts)."""
    record.state = PendingUpload.State.APPLIED
    record.applied_at = timezone.now()
    record.content = b""
    record.expires_at = None


@dataclass
class UploadStep:
    """Where an import page stands after a request: what to show (`context`), or the result of an import applied."""

    context: dict = field(default_factory=dict)
    applied: object | None = None

    @property
    def applied_message(self) -> str:
        """ "Imported risks.xlsx. 3 risks added ...": the import's own summary after the file's name."""
        return f"Imported {self.applied.record.file_name}. " + " ".join(self.applied.summary_lines())

    @property
    def status(self) -> int:
        """400 when the page says the file or the confirmation was refused."""
        return 400 if self.context.get("error") else 200


def upload_step(request, *, preview, confirm, refused) -> UploadStep:
    """The two posts every import page takes: a workbook to preview, then its token to import.

    `preview(name=, content=, user=)` reads the file and keeps it, returning (result, record); `confirm(token=,
    user=)` applies the kept file, returning the result; `refused` is the importer's error for a file it cannot
    read. A refusal or an expired preview becomes the page's `error`, naming the file.
    """
    step = UploadStep()
    if request.method != "POST":
        return step
    if request.POST.get("action") == "import":
        try:
            step.applied = confirm(token=request.POST.get("token", ""), user=request.user)
        except (refused, UploadGone) as error:
            step.context["error"] = str(error)
        return step
    workbook = request.FILES.get("workbook")
    if workbook is None:
        step.context["error"] = "Choose a workbook to import."
        return step
    # Past the limit the file is refused unread; the toolkit says so in the same words.
    content = workbook.read(settings.IMPORT_MAX_BYTES + 1)
    try:
        result, record = preview(name=workbook.name, content=content, user=request.user)
    except refused as error:
        # The toolkit's messages name the file; a heading problem may not, so the page does.
        step.context["error"] = str(error) if workbook.name in str(error) else f"{workbook.name}: {error}"
    else:
        step.context |= {"result": result, "name": workbook.name, "token": record.token if record else ""}
    return step
