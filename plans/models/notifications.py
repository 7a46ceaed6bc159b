"""What has been emailed that must not be emailed twice: the weekly digest, once per person and ISO week."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .people import Person


class DigestSent(models.Model):
    """A person's weekly digest for one ISO week: the unique constraint is what makes a second send impossible."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="digests_sent")
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    actions = models.PositiveIntegerField(default=0, help_text="How many actions the digest listed.")

    class Meta:
        ordering = ["-iso_year", "-iso_week", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "iso_year", "iso_week"], name="one_digest_per_person_and_week")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.iso_year}-W{self.iso_week:02d}"
