"""The weekly digest, run by the app's own worker (`manage.py db_worker`, django-tasks-db): no outside cron.

The schedule is a chain: each run enqueues the next for the following Monday at DIGEST_TIME before it ends,
and every `migrate` (post_migrate) makes sure one run is waiting, so a fresh install, a lost row or a failed
run starts the chain again. A second run in the same week sends nothing twice (plans.reminders: DigestSent).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks.base import TaskResultStatus

from .reminders import digests_send

DIGEST_TIME = dt.time(7, 0)  # Monday morning, local time: before the week's first meetings


def next_digest_at(now: dt.datetime | None = None) -> dt.datetime:
    """The next Monday at DIGEST_TIME after `now`."""
    now = timezone.localtime(now or timezone.now())
    monday = now.date() + dt.timedelta(days=(7 - now.weekday()) % 7)
    run_at = timezone.make_aware(dt.datetime.combine(monday, DIGEST_TIME))
    return run_at if run_at > now else run_at + dt.timedelta(days=7)


def digest_schedule(*, now: dt.datetime | None = None) -> bool:
    """Enqueue the next weekly digest unless one is already waiting; True when one was enqueued.

    Only on a backend that keeps tasks for later (django-tasks-db): an immediate backend would send now.
    """
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=send_weekly_digests.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    send_weekly_digests.using(run_after=next_digest_at(now)).enqueue()
    return True


@task()
def send_weekly_digests() -> dict[str, int]:
    try:
        result = digests_send()
    finally:
        # Even after a failure: the chain must not stop (this week's unsent digests go with the next check).
        digest_schedule()
    return {"sent": len(result.sent), "already_sent": len(result.already_sent), "failed": len(result.failed)}


def schedule_after_migrate(**kwargs) -> None:
    digest_schedule()
