"""A plan as a board signed it off: who recorded it, when, for which body and meeting, and what the plan said then."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models

from .plan import Plan


class PlanSignOffQuerySet(models.QuerySet):
    def latest_for(self, plan: Plan) -> PlanSignOff | None:
        """The version of the plan signed off last: the one the board agreed and later changes are measured from."""
        return self.filter(plan=plan).select_related("recorded_by").order_by("-signed_off_on", "-pk").first()

    def for_plans(self, plans) -> Self:
        return self.filter(plan__in=plans).select_related("plan", "recorded_by")


class PlanSignOff(models.Model):
    """A board's agreement of the plan as it stood: the areas and actions it agreed, kept as they were.

    The plans app knows no boards: the body is kept by name (the boards app links its meeting to this record),
    so the plan page and the export can say who signed off without asking another app.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sign_offs")
    signed_off_by = models.CharField(
        "signed off by", max_length=200, help_text="The board or body that agreed the plan, as it was named then."
    )
    signed_off_on = models.DateField("signed off on", help_text="The date of the meeting that agreed it.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # {"areas": [{"number", "title"}], "actions": [{"ref", "title", "area", "target_date", "leads"}]}
    snapshot = models.JSONField(default=dict)

    objects = PlanSignOffQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-signed_off_on", "-pk"]
        verbose_name = "plan sign-off"

    def __str__(self) -> str:
        return f"{self.plan} signed off by {self.signed_off_by} on {self.signed_off_on:%-d %B %Y}"
