"""A plan's risk register: risks, the actions that mitigate them, and each risk's score history."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from common.spreadsheets.uploads import PendingUpload

from .action import Action
from .plan import Plan

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    TOLERATED = "tolerated", "Tolerated"
    CLOSED = "closed", "Closed"


class Risk(models.Model):
    """A risk to the plan's delivery; its likelihood, impact and status change only through plans.risks.services."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    ref = models.CharField("reference", max_length=20, help_text='As written in the register: "R1".')
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    cause = models.TextField(blank=True)
    effect = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE, help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE, help_text="1 (negligible) to 5 (severe).")
    target_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="The score the mitigations aim for (likelihood × impact).",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    review_date = models.DateField(null=True, blank=True, help_text="When the owner next reviews the risk.")
    mitigations = models.ManyToManyField(Action, blank=True, related_name="risks", verbose_name="mitigating actions")

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="unique_risk_ref_per_plan"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_likelihood_and_impact_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:risk_detail", args=[self.plan.slug, self.ref])

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RiskAssessment(models.Model):
    """One entry in a risk's score history, written by the service that changed the score."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    assessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    status = models.CharField(max_length=10, choices=RiskStatus.choices)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text='Where an import read it: "risks.xlsx, Risks!4".')

    class Meta:
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.risk.ref} on {timezone.localtime(self.assessed_at):%d %b %Y}: {self.score}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RiskImport(PendingUpload):
    """One risk register imported into a plan; the file is kept here while the admin looks at the preview."""

    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_imports")
    created_count = models.PositiveIntegerField("risks created", default=0)
    updated_count = models.PositiveIntegerField("risks updated", default=0)
    unchanged_count = models.PositiveIntegerField("risks unchanged", default=0)
    problem_count = models.PositiveIntegerField("problems", default=0)

    def __str__(self) -> str:
        return f"{self.file_name} → {self.plan} ({self.get_state_display()})"


class Dependency(models.Model):
    """`action` cannot finish before `prerequisite` does: a late prerequisite puts the action at risk."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="dependent_links")

    class Meta:
        ordering = ["action", "prerequisite"]
        verbose_name_plural = "dependencies"
        constraints = [
            models.UniqueConstraint(fields=["action", "prerequisite"], name="unique_dependency"),
            models.CheckConstraint(
                condition=~Q(action=models.F("prerequisite")), name="action_not_its_own_prerequisite"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} after {self.prerequisite.ref}"
