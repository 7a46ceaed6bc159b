"""Background runs of board pack PDFs, picked up by `manage.py worker` (django-tasks-db's db_worker)."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

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
        with heartbeat(pack_id):
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


RESUMED = "Resumed: the worker had stopped part way"


def board_packs_resume() -> list[BoardPack]:
    """Queue again every run whose worker died part way (its heartbeat stopped), as it was asked: draft or issue.

    Called when a worker starts (manage.py worker). The task result the dead worker left running is marked
    failed, so that nothing else waits on it.
    """
    stalled = [
        pack for pack in BoardPack.objects.filter(generation=BoardPack.Generation.RUNNING) if pack.generation_stalled
    ]
    if not stalled:
        return []
    left_running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=generate_board_pack.module_path
    )
    asked = {}
    for result in left_running:
        kwargs = result.args_kwargs.get("kwargs", {})
        if kwargs.get("pack_id") in {pack.pk for pack in stalled}:
            asked[kwargs["pack_id"]] = kwargs
            result.status, result.finished_at = TaskResultStatus.FAILED, timezone.now()
            result.save(update_fields=["status", "finished_at"])
    resumed = []
    for pack in stalled:
        with transaction.atomic():
            pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
            if not pack.generation_stalled:
                continue  # another worker took it meanwhile
            pack.generation, pack.progress, pack.progress_text = BoardPack.Generation.QUEUED, 0, RESUMED
            pack.progress_at = timezone.now()
            pack.save(update_fields=["generation", "progress", "progress_text", "progress_at"])
            kwargs = asked.get(pack.pk, {"pack_id": pack.pk})
            transaction.on_commit(lambda kwargs=kwargs: generate_board_pack.enqueue(**kwargs))
        resumed.append(pack)
    return resumed


@contextmanager
def heartbeat(pack_id: int, *, every: float | None = None) -> Iterator[None]:
    """While the block runs, the pack's `progress_at` is touched every `every` seconds from a thread of its own.

    WeasyPrint can lay out one long table for minutes without a progress report; the beat is what tells a page
    (and the next worker to start) that this run is alive, and its absence that the worker died.
    """
    every = settings.PACK_HEARTBEAT_SECONDS if every is None else every
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    BoardPack.objects.filter(
                        pk=pack_id, generation__in=[BoardPack.Generation.QUEUED, BoardPack.Generation.RUNNING]
                    ).update(progress_at=timezone.now())
                except DatabaseError:  # a locked SQLite file: the next beat tries again
                    logger.warning("Board pack %s: heartbeat not recorded", pack_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"board-pack-{pack_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
