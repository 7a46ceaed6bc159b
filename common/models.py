"""What the running processes report about themselves: the board pack workers' heartbeats."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A board pack worker (`manage.py worker`) writes here every few seconds; /health/ reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
