"""Background runs of board pack PDFs, picked up by `manage.py db_worker` (django-tasks-db)."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from . import services
from .models import BoardPack

logger = logging.getLogger(__name__)


@task()
def generate_board_pack(*, pack_id: int, issue: bool = False, user_id: int | None = None) -> dict[str, object]:
    """Render a pack's PDF; with `issue`, issue it as the record. Failures are written on the pack for its page."""
    pack = BoardPack.objects.select_related("plan").get(pk=pack_id)
    if pack.is_issued:
        # Issued by an earlier run of a request made twice (after a stalled run): nothing left to do.
        return {"pack": pack.pk, "pages": pack.pages, "sha256": pack.sha256, "skipped": True}
    try:
        if issue:
            user = get_user_model().objects.get(pk=user_id)
            pack = services.board_pack_issue(pack=pack, issued_by=user)
        else:
            pack = services.board_pack_generate(pack=pack)
    except Exception as error:
        logger.exception("Board pack %s could not be generated", pack_id)
        services.board_pack_failed(pack=pack, error=error)
        raise
    return {"pack": pack.pk, "pages": pack.pages, "sha256": pack.sha256}
