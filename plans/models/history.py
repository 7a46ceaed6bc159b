"""An action's history: its updates and its target date changes, from which every past view is rebuilt."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..rag import RAG, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class ActionUpdateQuerySet(models.QuerySet):
    def positions_at(self, at: dt.datetime) -> dict[int, tuple[str, bool, str, str, dt.datetime]]:
        """{action id: (status, at risk, reason, reported colour, when)} of each action's latest update at `at`.

        Tuples, not model instances: a plan of thousands of actions has thousands of updates to look through.
        """
        rows = self.filter(created_at__lte=at).order_by("created_at", "pk")
        return {
            action_id: tuple(position)
            for action_id, *position in rows.values_list(
                "action_id", "status", "at_risk", "at_risk_reason", "reported_rag", "created_at"
            )
        }


class ActionUpdate(models.Model):
    """One entry in an action's history; the latest is what the board sees."""

    action = models.ForeignKey("Action", on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="action_updates"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    at_risk = models.BooleanField(default=False)
    at_risk_reason = models.TextField(blank=True)
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, help_text="The colour the rule gave at the time.")
    reported_rag = models.CharField(
        "reported RAG",
        max_length=10,
        choices=RAG.choices,
        blank=True,
        help_text="The colour the person or the spreadsheet reported: evidence beside the rule's colour.",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text='Where an imported update came from: "plan.xlsx, Plan!14".'
    )
    commentary = models.TextField(blank=True)
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        # "The latest update known on a date", per action, is how every past-date RAG is worked out.
        indexes = [models.Index(fields=["action", "created_at"], name="update_action_created")]

    def __str__(self) -> str:
        return f"{self.action.ref} on {timezone.localtime(self.created_at):%d %b %Y}: {self.get_status_display()}"

    @property
    def rag_colour(self) -> RAG:
        return RAG(self.rag)

    @property
    def reported_colour(self) -> RAG | None:
        return RAG(self.reported_rag) if self.reported_rag else None


class TargetDateChangeQuerySet(models.QuerySet):
    def pending(self) -> Self:
        return self.filter(decision=TargetDateChange.Decision.PENDING)

    def decidable_by(self, user: AbstractBaseUser) -> Self:
        """The requests `user` may decide: the rule of TargetDateChange.can_be_decided_by, for a list in one query."""
        if user.has_perm("plans.change_action"):
            return self
        if not user.has_perm("plans.update_own_action"):
            return self.none()
        sponsored = TargetDateChange.objects.filter(action__sponsors__person__user=user).values("pk")
        return self.filter(pk__in=sponsored).exclude(requested_by=user)

    def for_list(self) -> Self:
        """With what a list of requests shows: the action, its plan and area, who asked."""
        return self.select_related("action__plan", "action__area", "requested_by").order_by("requested_at", "pk")


class TargetDateChange(models.Model):
    """A request to move an action's target date; the target changes only once it is approved."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    action = models.ForeignKey("Action", on_delete=models.CASCADE, related_name="target_changes")
    previous_target_date = models.DateField(null=True, blank=True)
    # Empty when a re-imported plan withdrew the target ("TBC"): slippage and past views see that too.
    new_target_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TargetDateChangeQuerySet.as_manager()

    class Meta:
        ordering = ["action", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | ~Q(decision="pending") & Q(decided_at__isnull=False),
                name="decided_target_change_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.action.ref}: {self.previous_target_date} → {self.new_target_date} ({self.get_decision_display()})"
        )

    def can_be_decided_by(self, user: AbstractBaseUser) -> bool:
        if self.action.plan.is_closed:
            return False
        if user.has_perm("plans.change_action"):
            return True
        # Slippage is approved by someone other than the person who asked for it.
        if not user.has_perm("plans.update_own_action") or user.pk == self.requested_by_id:
            return False
        return any(sponsor.user_id == user.pk for sponsor in self.action.sponsors.all())
