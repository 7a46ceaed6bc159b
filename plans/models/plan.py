"""Plans and what they are made of: themes, areas, and the sponsors accountable for actions."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class PlanQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(status=Plan.Status.ACTIVE)


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Vision, scope and anything the board should read first.")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [("import_plan", "Can import plans from spreadsheets")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.slug])


class Theme(models.Model):
    """A group of areas, for plans written as themes, then workstreams, then actions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    outcome = models.TextField(blank=True, help_text="What the theme is for, as the plan writes it.")
    measures_of_success = models.TextField(
        blank=True, help_text="As written, bullets one per line; also the 6 and 12 month measures of progress."
    )

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="unique_theme_title_per_plan")]

    def __str__(self) -> str:
        return self.title


class Area(models.Model):
    """A plan's priority, area for improvement or workstream."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="areas")
    number = models.CharField(max_length=20, blank=True, help_text='As written: "3", "2.1".')
    title = models.CharField(max_length=300)
    outcome = models.TextField(blank=True, help_text="What success looks like.")
    objectives = models.TextField(blank=True, help_text="As written, one per line.")
    measured_by = models.TextField(blank=True, help_text="Measured by / measures of success, one per line.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="unique_area_title_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class SponsorQuerySet(models.QuerySet):
    def matching(self, text: str) -> Self:
        """The sponsor a plan names by abbreviation, role or name, whatever the case."""
        text = text.strip()
        return self.filter(Q(abbreviation__iexact=text) | Q(role__iexact=text) | Q(name__iexact=text))


class Sponsor(models.Model):
    """A board member accountable for actions; plans name them by abbreviation (ADCSC) or role."""

    name = models.CharField(max_length=200, blank=True, help_text="The person, if known.")
    role = models.CharField(max_length=200, blank=True, help_text="Assistant Director CSC")
    abbreviation = models.CharField(max_length=20, blank=True, help_text="ADCSC")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="sponsor"
    )

    objects = SponsorQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation"], condition=~Q(abbreviation=""), name="unique_sponsor_abbreviation"
            ),
            models.CheckConstraint(
                condition=~Q(name="", role="", abbreviation=""), name="sponsor_has_a_name_role_or_abbreviation"
            ),
        ]

    def __str__(self) -> str:
        return self.abbreviation or self.role or self.name

    @property
    def description(self) -> str:
        """How the glossary spells the sponsor out: "Assistant Director CSC (Jo Bloggs)"."""
        spelled_out = self.role or self.name
        if self.role and self.name:
            spelled_out = f"{self.role} ({self.name})"
        return spelled_out
