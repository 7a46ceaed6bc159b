"""The plans domain: plans, areas, sponsors, actions, milestones, updates and target date changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Self, TypedDict

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.spreadsheets.uploads import PendingUpload

from .rag import RAG, ActionState, Cadence, OpenMilestone, Status, rag_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
    measures_of_success = models.TextField(blank=True)

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
    measured_by = models.TextField(blank=True)
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


class ActionQuerySet(models.QuerySet):
    def led_or_sponsored_by(self, user: AbstractBaseUser) -> Self:
        mine = Q(lead_user=user) | Q(sponsors__user=user)
        return self.filter(pk__in=Action.objects.filter(mine).values("pk"))

    def with_rag_data(self) -> Self:
        """Everything the RAG rule and an action row need, in a fixed number of queries."""
        return (
            self.select_related("plan", "area", "area__theme", "lead_user")
            .prefetch_related("sponsors")
            .with_milestones()
        )

    def with_milestones(self) -> Self:
        return self.prefetch_related(models.Prefetch("milestones", to_attr="prefetched_milestones"))

    def with_history_on(self, *dates: dt.date) -> Self:
        """Action rows with enough history for the RAG on each of `dates` (see `with_updates_known_on`)."""
        return self.with_rag_data().with_updates_known_on(*dates)

    def with_updates_known_on(self, *dates: dt.date) -> Self:
        """Per action, only the latest update known on each of `dates`, and every target date change.

        A board looks at two dates (this meeting's and the last one's), so two years of monthly
        updates cost no more than one month's. Target date changes are few and are fetched whole.
        """
        latest_known = Q(pk__in=[])
        for day in dates:
            known_by = _start_of_day(day + dt.timedelta(days=1))
            latest = ActionUpdate.objects.filter(action=OuterRef("pk"), created_at__lt=known_by).order_by(
                "-created_at", "-pk"
            )
            latest_per_action = self.order_by().annotate(latest=Subquery(latest.values("pk")[:1])).values("latest")
            latest_known |= Q(pk__in=latest_per_action)
        return self._with_updates(ActionUpdate.objects.filter(latest_known))

    def with_history(self) -> Self:
        """Also the whole update and target date history, for the action page and exports."""
        return self.with_rag_data()._with_updates(ActionUpdate.objects.all())

    def _with_updates(self, updates: models.QuerySet[ActionUpdate]) -> Self:
        # Lists (to_attr) rather than querysets: Django builds a queryset per action and relation
        # otherwise, which costs more than the RAG rule itself when a summary reads thousands.
        return self.prefetch_related(
            models.Prefetch("updates", queryset=updates.select_related("author"), to_attr="prefetched_updates"),
            models.Prefetch(
                "target_changes",
                queryset=TargetDateChange.objects.select_related("requested_by", "decided_by"),
                to_attr="prefetched_target_changes",
            ),
        )


@dataclass(frozen=True)
class Slippage:
    original_target_date: dt.date | None
    target_date: dt.date | None
    times_moved: int

    @property
    def days(self) -> int:
        if self.original_target_date is None or self.target_date is None:
            return 0
        return (self.target_date - self.original_target_date).days


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="actions")
    ref = models.CharField("reference", max_length=20, help_text='As written in the plan: "1", "1.1", "47".')
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    sub_items = models.JSONField(
        default=list, blank=True, help_text='Lettered items: [{"letter": "a", "text": "..."}].'
    )
    start_date = models.DateField(null=True, blank=True)
    start_text = models.CharField(max_length=200, blank=True, help_text="The start date as written.")
    target_date = models.DateField(
        null=True, blank=True, help_text="The target in force; changes go through a target date change."
    )
    target_text = models.CharField(max_length=200, blank=True, help_text="The target date as written.")
    cadence = models.CharField(
        max_length=10,
        choices=Cadence.choices,
        blank=True,
        help_text="Ongoing or recurring work, judged by its updates rather than a target date.",
    )
    lead = models.CharField("delivery lead", max_length=200, blank=True)
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions"
    )
    sponsors = models.ManyToManyField(Sponsor, blank=True, related_name="actions")
    sponsor_text = models.CharField(max_length=300, blank=True, help_text="The sponsor cell as written.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    status_text = models.CharField(max_length=100, blank=True, help_text="The status cell as written.")
    at_risk = models.BooleanField(default=False)
    at_risk_reason = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every update, so that a second person editing from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["position", "version", "last_updated_at"], m2m_fields=[sponsors])

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="unique_action_ref_per_plan")]
        permissions = [("update_own_action", "Can update actions they lead or sponsor")]

    def __str__(self) -> str:
        return f"{self.ref}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:action_detail", args=[self.plan.slug, self.ref])

    def can_be_updated_by(self, user: AbstractBaseUser) -> bool:
        if user.has_perm("plans.change_action"):
            return True
        if not user.has_perm("plans.update_own_action"):
            return False
        return self.lead_user_id == user.pk or any(sponsor.user_id == user.pk for sponsor in self.sponsors.all())

    def _open_milestones(self, as_of: dt.date | None = None) -> tuple[OpenMilestone, ...]:
        """Milestones with a target still open on `as_of` (today when None)."""
        return tuple(
            OpenMilestone(title=milestone.title, target_date=milestone.target_date)
            for milestone in self.milestone_list
            if milestone.target_date
            and (milestone.done_on is None or (as_of is not None and milestone.done_on > as_of))
        )

    def current_state(self) -> ActionState:
        """The state as it stands: the copy of the latest update that plans.services keeps on the action."""
        return ActionState(
            status=self.status,
            target_date=self.target_date,
            at_risk=self.at_risk,
            at_risk_reason=self.at_risk_reason,
            start_date=self.start_date,
            open_milestones=self._open_milestones(),
            cadence=self.cadence,
            last_update_on=timezone.localdate(self.last_updated_at) if self.last_updated_at else None,
        )

    def state_as_of(self, as_of: dt.date) -> ActionState:
        """What was known on `as_of`: the one builder of an action's state on a date.

        Today is the current state; any earlier date is rebuilt from the update and target date
        history, which every change of state goes through (plans.services).
        """
        if as_of >= timezone.localdate():
            return self.current_state()
        latest = self.latest_update(as_of)
        return ActionState(
            status=latest.status if latest else Status.NOT_STARTED,
            at_risk=latest.at_risk if latest else False,
            at_risk_reason=latest.at_risk_reason if latest else "",
            target_date=self.target_date_as_of(as_of),
            start_date=self.start_date,
            open_milestones=self._open_milestones(as_of),
            cadence=self.cadence,
            last_update_on=timezone.localdate(latest.created_at) if latest else None,
        )

    def approved_target_changes(self, as_of: dt.date | None = None) -> list[TargetDateChange]:
        changes = [
            change
            for change in self.target_change_list
            if change.decision == TargetDateChange.Decision.APPROVED
            and (as_of is None or timezone.localdate(change.decided_at) <= as_of)
        ]
        return sorted(changes, key=lambda change: change.decided_at)

    def target_date_as_of(self, as_of: dt.date) -> dt.date | None:
        approved = [c for c in self.approved_target_changes() if timezone.localdate(c.decided_at) <= as_of]
        if approved:
            return approved[-1].new_target_date
        return self.slippage().original_target_date

    def slippage(self, as_of: dt.date | None = None) -> Slippage:
        """How far the target has moved from the one first agreed: as things stand, or as known on `as_of`."""
        approved = self.approved_target_changes()
        original = approved[0].previous_target_date if approved else self.target_date
        if as_of is not None and as_of < timezone.localdate():
            approved = self.approved_target_changes(as_of)
            target = approved[-1].new_target_date if approved else original
        else:
            target = self.target_date
        return Slippage(original_target_date=original, target_date=target, times_moved=len(approved))

    def rag(self, as_of: dt.date | None = None) -> RAG:
        as_of = as_of or timezone.localdate()
        return rag_for(self.state_as_of(as_of), as_of)

    # The related rows as plain lists: set by the querysets' prefetches (to_attr "prefetched_*"), or
    # read here once per instance when an action was loaded on its own. Not cached_property: Django
    # checks hasattr(to_attr) to decide whether a prefetch is needed, which would run the query.
    def _related_list(self, relation: str) -> list:
        attribute = f"prefetched_{relation}"
        if attribute not in self.__dict__:
            self.__dict__[attribute] = list(getattr(self, relation).all())
        return self.__dict__[attribute]

    @property
    def milestone_list(self) -> list[Milestone]:
        return self._related_list("milestones")

    @property
    def update_list(self) -> list[ActionUpdate]:
        return self._related_list("updates")

    @property
    def target_change_list(self) -> list[TargetDateChange]:
        return self._related_list("target_changes")

    @cached_property
    def current_rag(self) -> RAG:
        return self.rag()

    def is_stale(self, as_of: dt.date | None = None) -> bool:
        """No update for longer than the board tolerates (settings.STALE_AFTER_DAYS); done work never is."""
        as_of = as_of or timezone.localdate()
        return self.state_as_of(as_of).is_stale(as_of)

    def change_log(self) -> list[LoggedChange]:
        """Every recorded change to the action's fields and sponsors, newest first: when, who, old and new values."""
        records = list(self.history.select_related("history_user").order_by("history_date", "history_id"))
        sponsor_names = {pk: str(sponsor) for pk, sponsor in Sponsor.objects.in_bulk().items()}
        sponsor_rows = {}
        # One row per sponsor per historical record (the model django-simple-history adds for m2m_fields).
        sponsor_history = apps.get_model("plans", "HistoricalAction_sponsors")
        for history_id, sponsor_id in sponsor_history.objects.filter(history__in=records).values_list(
            "history_id", "sponsor_id"
        ):
            sponsor_rows.setdefault(history_id, []).append(sponsor_names.get(sponsor_id, "(deleted sponsor)"))

        def sponsors_in(record: models.Model) -> str:
            return ", ".join(sorted(sponsor_rows.get(record.history_id, []))) or "none"

        log = []
        for index, record in enumerate(records):
            previous = records[index - 1] if index else None
            if previous is None:
                changes = []
            else:
                # Sponsors are compared from the prefetched rows: the library's own m2m diff
                # queries twice per record, which grows with the history.
                delta = record.diff_against(previous, excluded_fields=["sponsors"])
                changes = []
                for change in delta.changes:
                    field = self._meta.get_field(change.field)
                    changes.append((field.verbose_name, _as_read(field, change.old), _as_read(field, change.new)))
                if sponsors_in(previous) != sponsors_in(record):
                    changes.append(("sponsors", sponsors_in(previous), sponsors_in(record)))
                if not changes:
                    continue
            log.append({"at": record.history_date, "by": record.history_user, "created": record.history_type == "+",
                        "changes": changes})  # fmt: skip
        return log[::-1]

    def latest_update(self, as_of: dt.date | None = None) -> ActionUpdate | None:
        """The newest update, or the newest one written by the end of `as_of`."""
        updates = self.update_list
        if as_of is not None:
            updates = [update for update in updates if timezone.localdate(update.created_at) <= as_of]
        return max(updates, key=lambda update: (update.created_at, update.pk), default=None)


class LoggedChange(TypedDict):
    """One entry of Action.change_log: when, who, whether it created the action, and (field, old, new) read."""

    at: dt.datetime
    by: AbstractBaseUser | None
    created: bool
    changes: list[tuple[str, object, object]]


def _as_read(field: models.Field, value: object) -> object:
    """A recorded value as people read it: choice labels, Yes/No, dates in words."""
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    return value


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.TextField()
    position = models.PositiveIntegerField(default=0)
    target_date = models.DateField(null=True, blank=True)
    target_text = models.CharField(max_length=200, blank=True, help_text="The target date as written.")
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["action", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionUpdateQuerySet(models.QuerySet):
    def positions_at(self, at: dt.datetime) -> dict[int, tuple[str, bool, str, str]]:
        """{action id: (status, at risk, reason, reported colour)} of each action's latest update at `at`.

        Tuples, not model instances: a plan of thousands of actions has thousands of updates to look through.
        """
        rows = self.filter(created_at__lte=at).order_by("created_at", "pk")
        return {
            action_id: tuple(position)
            for action_id, *position in rows.values_list(
                "action_id", "status", "at_risk", "at_risk_reason", "reported_rag"
            )
        }


class ActionUpdate(models.Model):
    """One entry in an action's history; the latest is what the board sees."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
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


class TargetDateChange(models.Model):
    """A request to move an action's target date; the target changes only once it is approved."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="target_changes")
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
        if user.has_perm("plans.change_action"):
            return True
        # Slippage is approved by someone other than the person who asked for it.
        if not user.has_perm("plans.update_own_action") or user.pk == self.requested_by_id:
            return False
        return any(sponsor.user_id == user.pk for sponsor in self.action.sponsors.all())


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
    # Actions updated in the tracker after the position date: the file's position joined their history only.
    kept_newer_count = models.PositiveIntegerField("actions with a newer update kept", default=0)

    def __str__(self):
        return f"{self.file_name} → {self.plan_slug} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("plans:import_preview", args=[self.token])
