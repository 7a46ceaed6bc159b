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


class Revision(models.Model):
    """One row whose token changes after every write to the tracker's data (common/revision.py): a process may keep
    what it read while the token it read with is still the database's."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
