"""Plans and what they are made of: themes, areas, and the sponsors accountable for actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .people import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class PlanQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(status=Plan.Status.ACTIVE)

    def readable_by(self, user: AbstractBaseUser) -> Self:
        """The plans `user` may read: the one rule every page asks. Drafts are the admins' work in progress."""
        if not user.has_perm("plans.view_plan"):
            return self.none()
        if user.has_perm("plans.change_plan"):
            return self.all()
        return self.exclude(status=Plan.Status.DRAFT)

    def in_portfolio(self) -> Self:
        """Plans still in hand: a closed plan stays readable but leaves the portfolio unless asked for."""
        return self.exclude(status=Plan.Status.CLOSED)


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        # Finished: read-only, kept for the record (plans.services.plan_status_change).
        CLOSED = "closed", "Closed"

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

    @property
    def is_closed(self) -> bool:
        return self.status == Plan.Status.CLOSED


class PlanStatusChange(models.Model):
    """One step of a plan's life (draft, active, closed): who moved it, when, and why when it went back."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Plan.Status.choices)
    to_status = models.CharField(max_length=10, choices=Plan.Status.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_from_status_display()} to {self.get_to_status_display()}"


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
        return self.filter(Q(abbreviation__iexact=text) | Q(role__iexact=text) | Q(person__name__iexact=text))


class Sponsor(models.Model):
    """A board member's post accountable for actions, as plans name it (ADCSC, or the role), held by a person."""

    role = models.CharField(max_length=200, blank=True, help_text="Assistant Director CSC")
    abbreviation = models.CharField(max_length=20, blank=True, help_text="ADCSC")
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsor_posts",
        help_text="Who holds the post: their account is how they sign in to update its actions.",
    )

    objects = SponsorQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation"], condition=~Q(abbreviation=""), name="unique_sponsor_abbreviation"
            ),
            models.CheckConstraint(
                condition=~Q(role="", abbreviation="") | Q(person__isnull=False),
                name="sponsor_has_a_person_role_or_abbreviation",
            ),
        ]

    def __str__(self) -> str:
        return self.abbreviation or self.role or self.name

    @property
    def name(self) -> str:
        return self.person.name if self.person_id else ""

    @property
    def user_id(self) -> int | None:
        """The account of the person holding the post, if any."""
        return self.person.user_id if self.person_id else None

    @property
    def description(self) -> str:
        """The post spelled out, and who holds it: "Assistant Director CSC: Jo Bloggs" (the glossary, a title)."""
        return ": ".join(part for part in (self.role, self.name) if part)

    @property
    def described(self) -> str:
        """The sponsor in full, as every page names one: "ADCSC – Assistant Director CSC: Jo Bloggs"."""
        spelled_out = self.description
        if self.abbreviation and spelled_out:
            return f"{self.abbreviation} – {spelled_out}"
        return self.abbreviation or spelled_out
