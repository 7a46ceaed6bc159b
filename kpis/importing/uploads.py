"""An uploaded KPI workbook: previewed, kept in its KpiImport record, imported once by the admin who uploaded it."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.spreadsheets.uploads import upload_keep, upload_take

from ..models import KpiImport
from .result import ImportResult
from .service import kpis_import_bytes


def kpis_upload_preview(*, name: str, content: bytes, user: AbstractBaseUser) -> tuple[ImportResult, KpiImport | None]:
    """What importing `content` would do, writing nothing; the file is kept for confirmation when it changes anything.

    Raises ImportFileError when the file cannot be read.
    """
    # The page puts the file's name before the message, which speaks of "The file".
    result = kpis_import_bytes(content=content, name="The file", dry_run=True, user=user)
    record = upload_keep(KpiImport, name=name, content=content, user=user) if result.changed else None
    return result, record


@transaction.atomic
def kpis_upload_import(*, token: str, user: AbstractBaseUser) -> ImportResult:
    """Import the kept upload `token` of `user`: the very bytes the preview read, once.

    Raises UploadGone when it is not theirs, has expired or was imported already.
    """
    record = upload_take(KpiImport, token=token, user=user)
    return kpis_import_bytes(content=bytes(record.content), name="The file", user=user, record=record)
