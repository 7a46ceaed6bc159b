"""`manage.py worker`: the board pack worker (django-tasks-db's db_worker) that /health/ can see is alive."""

import logging
import os
import socket
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from common.models import WorkerHeartbeat
from common.signals import worker_started

logger = logging.getLogger(__name__)

BEAT_EVERY_SECONDS = 15


def beat(*, worker_id, started_at):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def _beat_forever(worker_id, started_at, stop):
    # Its own thread and database connection: a long PDF render must not make the worker look dead.
    while not stop.is_set():
        try:
            close_old_connections()
            beat(worker_id=worker_id, started_at=started_at)
        except Exception:
            logger.exception("Worker %s could not record its heartbeat", worker_id)
        finally:
            connection.close()
        stop.wait(BEAT_EVERY_SECONDS)


class Command(db_worker.Command):
    help = "Run the board pack worker (db_worker) and record its heartbeat for /health/. Run one or more per site."

    def handle(self, *args, **options):
        worker_id = options.get("worker_id") or get_random_string(32)
        options["worker_id"] = worker_id
        started_at = timezone.now()
        beat(worker_id=worker_id, started_at=started_at)
        # Each app picks up what a stopped worker left part way (reports: interrupted pack runs).
        for _receiver, lines in worker_started.send(sender=self.__class__):
            for line in lines or ():
                self.stdout.write(line)
        stop = threading.Event()
        threading.Thread(
            target=_beat_forever, args=(worker_id, started_at, stop), daemon=True, name="heartbeat"
        ).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
