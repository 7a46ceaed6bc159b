"""A record of each spreadsheet imported into a plan."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from common.spreadsheets.uploads import PendingUpload

from .plan import Plan


class PlanImport(PendingUpload):
    """One spreadsheet imported into a plan: who, when, which file, and what it changed.

    While it waits for the admin to confirm the preview, the uploaded file is kept here (see PendingUpload),
    so the data written is the data the server read; it is dropped once the import is applied.
    """

    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports")
    plan_slug = models.SlugField(max_length=80)
    plan_title = models.CharField(max_length=200, blank=True)
    sheet_name = models.CharField(max_length=100, blank=True)
    columns = models.JSONField(default=dict, blank=True, help_text='The admin\'s column choices: {"B": "action"}.')
    position_date = models.DateField(
        "position as at",
        null=True,
        blank=True,
        help_text="The date the file's statuses stand on: they are recorded in the actions' history on it.",
    )
    created_count = models.PositiveIntegerField("actions created", default=0)
    updated_count = models.PositiveIntegerField("actions updated", default=0)
    unchanged_count = models.PositiveIntegerField("actions unchanged", default=0)
    removed_count = models.PositiveIntegerField("actions removed", default=0)
    warning_count = models.PositiveIntegerField("warnings", default=0)
    error_count = models.PositiveIntegerField("errors", default=0)
    skipped_count = models.PositiveIntegerField("rows not imported", default=0)
    # Actions updated in the tracker after the position date: the file's position joined their history only.
    kept_newer_count = models.PositiveIntegerField("actions with a newer update kept", default=0)
    new_people = models.JSONField(
        default=list, blank=True, help_text="Leads the import created as new people, with any look-alikes."
    )

    def __str__(self):
        return f"{self.file_name} → {self.plan_slug} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("plans:import_preview", args=[self.token])
