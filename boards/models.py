"""Boards that oversee plans, their meetings, and what each meeting decided and asked to be done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from plans.models import Action, Area, Person, Plan, PlanSignOff

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MANAGE_PERMISSION = "boards.change_meeting"  # admins: every board's meetings, decisions and sign-off
RECORD_PERMISSION = "boards.record_decisions"  # with membership of the board: its meetings' decisions


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser) -> Self:
        """The boards overseeing a plan `user` reads; admins see every board, a new one with no plan too."""
        if not user.has_perm("boards.view_board"):
            return self.none()
        if user.has_perm(MANAGE_PERMISSION):
            return self.all()
        return self.filter(pk__in=Board.plans.through.objects.filter(plan__in=Plan.objects.readable_by(user))
                           .values("board_id"))  # fmt: skip


class Board(models.Model):
    """An improvement board, a scrutiny panel, cabinet: a body that meets on a cadence and oversees plans."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        AD_HOC = "ad_hoc", "Ad hoc"

    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(blank=True, help_text="What the board is for: its terms of reference in a sentence.")
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="boards", help_text="Members record its decisions."
    )
    plans = models.ManyToManyField(Plan, blank=True, related_name="boards", help_text="The plans it oversees.")

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser) -> Self:
        return self.filter(board__in=Board.objects.visible_to(user))

    def of_plan(self, plan: Plan) -> Self:
        """Meetings of the boards overseeing `plan`: those a pack for the plan may be for."""
        return self.filter(board__plans=plan).select_related("board")


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    attendance = models.TextField(blank=True, help_text="Who attended and who sent apologies, as minuted (optional).")
    # The plans' own record of each sign-off (plans.PlanSignOff) knows the board by name only; this says which
    # meeting agreed it.
    sign_offs = models.ManyToManyField(PlanSignOff, blank=True, related_name="meetings")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["board", "-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["board", "date"], name="one_meeting_per_board_and_day")]

    def __str__(self) -> str:
        return f"{self.board}, {self.date:%-d %B %Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def previous(self) -> Meeting | None:
        """The board's last meeting before this one that was not cancelled: where this one's actions arising began."""
        earlier = Meeting.objects.filter(board_id=self.board_id, date__lt=self.date).exclude(
            status=self.Status.CANCELLED
        )
        return earlier.select_related("board").order_by("-date", "-pk").first()

    def decisions_recordable_by(self, user: AbstractBaseUser) -> bool:
        """Admins record any meeting's decisions; a member of the board (not a viewer) those of its meetings."""
        if self.is_cancelled:
            return False
        if user.has_perm(MANAGE_PERMISSION):
            return True
        return user.has_perm(RECORD_PERMISSION) and self.board.members.filter(pk=user.pk).exists()


class Decision(models.Model):
    """What a meeting decided, in the words of its minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField(help_text="Its order in the minutes.")
    text = models.TextField("what was decided")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "number", "pk"]
        permissions = [("record_decisions", "Can record decisions for the meetings of boards they sit on")]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="unique_decision_number")]

    def __str__(self) -> str:
        return f"{self.meeting}: decision {self.number}"


class FollowUpQuerySet(models.QuerySet):
    def for_page(self) -> Self:
        return self.select_related("owner_person", "owner_user", "decision", "area", "plan", "action__plan")


class FollowUp(models.Model):
    """An action arising: what a meeting asked someone to do by a date. It may become an action of a plan."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups")
    description = models.CharField("what is to be done", max_length=500)
    owner_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="owner"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="owner (account)",
        help_text="For an owner with an account but no person record.",
    )
    due_date = models.DateField("due by", null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # Where it would sit as an action of a plan (one the board oversees), and the action once it is one.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.OneToOneField(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="arising_from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = "action arising"
        verbose_name_plural = "actions arising"
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=True) | Q(owner_user__isnull=True), name="follow_up_has_one_owner"
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_name(self) -> str:
        if self.owner_person_id:
            return self.owner_person.name
        if self.owner_user_id:
            return self.owner_user.get_full_name() or self.owner_user.get_username()
        return ""
