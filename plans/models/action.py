"""Actions and their milestones, with the readings of an action on a date rebuilt from its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, Self, TypedDict

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..rag import RAG, RAG_ORDER, ActionState, Cadence, OpenMilestone, Status, cadence_days, rag_for
from .history import ActionUpdate, TargetDateChange
from .people import Person, split_leads
from .plan import Area, Plan, Sponsor

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _end_of_day(day: dt.date, zone: dt.tzinfo | None = None) -> dt.datetime:
    """The first moment after `day` (local time): what was written before it was known on `day`."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), zone)


def current_rag_expression(today: dt.date) -> models.Case:
    """plans.rag.rag_for on an action's current state (Action.current_state), as SQL, for counting many at once.

    rag_for is the rule; this is its translation for the database, checked against it action by action in
    tests/plans/test_plan_scale.py. Change both together.
    """
    # One uncorrelated list the database hashes once, not an EXISTS probed for each of 100,000 actions.
    overdue_milestone = Q(
        pk__in=Milestone.objects.filter(done_on__isnull=True, target_date__isnull=False, target_date__lt=today)
        .order_by()
        .values("action_id")
    )

    def update_missed_after(days: int) -> Q:
        # (today - the local date of the last update).days > days: updated before the start of (today - days).
        return Q(last_updated_at__isnull=True) | Q(last_updated_at__lt=_start_of_day(today - dt.timedelta(days=days)))

    update_missed = Q(cadence=Cadence.MONTHLY) & update_missed_after(cadence_days(Cadence.MONTHLY))
    update_missed |= Q(cadence=Cadence.QUARTERLY) & update_missed_after(cadence_days(Cadence.QUARTERLY))
    update_missed |= Q(cadence=Cadence.ONGOING) & update_missed_after(cadence_days(Cadence.ONGOING))
    not_started = Q(status=Status.NOT_STARTED)
    at_risk_by_cadence = Q(at_risk=True) | overdue_milestone | update_missed
    return models.Case(
        models.When(status=Status.COMPLETED, then=models.Value(RAG.BLUE.value)),
        models.When(~Q(cadence="") & (not_started | Q(start_date__gt=today)), then=models.Value(RAG.GREY.value)),
        models.When(~Q(cadence="") & at_risk_by_cadence, then=models.Value(RAG.AMBER.value)),
        models.When(~Q(cadence=""), then=models.Value(RAG.GREEN.value)),
        models.When(target_date__lt=today, then=models.Value(RAG.RED.value)),
        models.When(Q(at_risk=True) | overdue_milestone, then=models.Value(RAG.AMBER.value)),
        models.When(Q(target_date__isnull=True) | not_started, then=models.Value(RAG.GREY.value)),
        default=models.Value(RAG.GREEN.value),
        output_field=models.CharField(),
    )


class ActionQuerySet(models.QuerySet):
    def led_or_sponsored_by(self, user: AbstractBaseUser) -> Self:
        """The one rule of whose action it is: its leads' and its sponsors' accounts."""
        if not user.is_authenticated:
            return self.none()
        # Two lookups in the link tables, each by its index: one OR across both LEFT JOINs made the database
        # join every action of every plan first (4 s for each of the navigation's counts at 200,000 actions).
        led = Action.leads.through.objects.filter(person__user=user).values("action_id")
        sponsored = Action.sponsors.through.objects.filter(sponsor__person__user=user).values("action_id")
        return self.filter(Q(pk__in=led) | Q(pk__in=sponsored))

    def updatable_by(self, user: AbstractBaseUser) -> Self:
        """The actions `user` may update: the rule of Action.can_be_updated_by, for a whole list in one query."""
        if user.has_perm("plans.change_action"):
            return self
        if not user.has_perm("plans.update_own_action"):
            return self.none()
        return self.led_or_sponsored_by(user)

    def with_rag_data(self) -> Self:
        """Everything the RAG rule and an action row need, in a fixed number of queries."""
        return (
            self.select_related("plan", "area", "area__theme")
            .prefetch_related(
                # With the accounts: whose action it is (can_be_updated_by) and where emails go.
                models.Prefetch("sponsors", queryset=Sponsor.objects.select_related("person__user")),
                models.Prefetch("leads", queryset=Person.objects.select_related("user")),
            )
            .with_milestones()
        )

    def rag_counts(self, by: str) -> dict[int, dict[RAG, int]]:
        """{plan or area pk (`by` is "plan_id" or "area_id"): {RAG: how many}} of these actions today.

        Counted by the database in one query with `current_rag_expression`, so a list of plans or a plan's summary
        costs the same for 100,000 actions as for 100 (loading them to ask each its colour took seconds).
        """
        counts: dict[int, dict[RAG, int]] = {}
        rows = self.order_by().annotate(colour=current_rag_expression(timezone.localdate())).values(by, "colour")
        for row in rows.annotate(number=models.Count("pk")):
            counts.setdefault(row[by], dict.fromkeys(RAG_ORDER, 0))[RAG(row["colour"])] = row["number"]
        return counts

    def with_milestones(self) -> Self:
        # Each action's milestones in their order (Meta.ordering), without the join to actions and plans that
        # ordering by "action" adds: 0.5 s for a page of 100 actions in a plan of 100,000.
        milestones = Milestone.objects.order_by("action_id", "position", "pk")
        return self.prefetch_related(
            models.Prefetch("milestones", queryset=milestones, to_attr="prefetched_milestones")
        )

    def with_target_changes(self) -> Self:
        """Also the target date changes: enough to show where a moved target came from."""
        return self.prefetch_related(
            models.Prefetch(
                "target_changes", queryset=TargetDateChange.objects.all(), to_attr="prefetched_target_changes"
            )
        )

    def with_history_on(self, *dates: dt.date) -> Self:
        """Action rows with enough history for the RAG on each of `dates` (see `with_updates_known_on`)."""
        return self.with_rag_data().with_updates_known_on(*dates)

    def with_updates_known_on(self, *dates: dt.date) -> Self:
        """Per action, only the latest update known on each of `dates`, and every target date change.

        A board looks at two dates (this meeting's and the last one's), so two years of monthly
        updates cost no more than one month's. Target date changes are few and are fetched whole.
        """
        return self._with_updates(self.updates_known_on(*dates))

    def updates_known_on(self, *dates: dt.date) -> models.QuerySet[ActionUpdate]:
        """Of these actions' updates, only the latest known on each of `dates` (at most one per action and date)."""
        latest_known = Q(pk__in=[])
        for day in dates:
            known_by = _end_of_day(day)
            latest = ActionUpdate.objects.filter(action=OuterRef("pk"), created_at__lt=known_by).order_by(
                "-created_at", "-pk"
            )
            latest_per_action = self.order_by().annotate(latest=Subquery(latest.values("pk")[:1])).values("latest")
            latest_known |= Q(pk__in=latest_per_action)
        return ActionUpdate.objects.filter(latest_known)

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


class KnownOn(NamedTuple):
    """What Action.known_on(date) reads from the history: the parts of the board's reading of an action."""

    state: ActionState
    latest_update: ActionUpdate | None
    slippage: Slippage


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
    lead = models.CharField("lead as written", max_length=200, blank=True, help_text="The lead cell as written.")
    leads = models.ManyToManyField(Person, blank=True, related_name="led_actions")
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
    history = HistoricalRecords(
        excluded_fields=["position", "version", "last_updated_at"], m2m_fields=[sponsors, leads]
    )

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="unique_action_ref_per_plan")]
        permissions = [("update_own_action", "Can update actions they lead or sponsor")]

    def __str__(self) -> str:
        return f"{self.ref}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:action_detail", args=[self.plan.slug, self.ref])

    def can_be_updated_by(self, user: AbstractBaseUser) -> bool:
        if self.plan.is_closed:
            return False  # a closed plan is read-only for everyone (plans.services refuses it too)
        if user.has_perm("plans.change_action"):
            return True
        if not user.has_perm("plans.update_own_action"):
            return False
        return any(person.user_id == user.pk for person in self.lead_list) or any(
            sponsor.user_id == user.pk for sponsor in self.sponsors.all()
        )

    @property
    def lead_list(self) -> list[Person]:
        # Set by plans.summary, which reads a whole plan's leads in one query; otherwise read as the relation stands.
        if "prefetched_leads" in self.__dict__:
            return self.__dict__["prefetched_leads"]
        return list(self.leads.all())

    @property
    def lead_written_otherwise(self) -> bool:
        """The plan's lead cell names people other than the action's leads (a name not matched, or changed since)."""
        written = [name.lower() for name in split_leads(self.lead)]
        return bool(written) and sorted(written) != sorted(person.name.lower() for person in self.lead_list)

    @property
    def lead_names(self) -> str:
        """The leads as people read them: the named people, else the cell as the plan wrote it."""
        return ", ".join(person.name for person in self.lead_list) or self.lead

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
        return self._current_state(timezone.get_current_timezone())

    def _current_state(self, zone: dt.tzinfo) -> ActionState:
        return ActionState(
            status=self.status,
            target_date=self.target_date,
            at_risk=self.at_risk,
            at_risk_reason=self.at_risk_reason,
            start_date=self.start_date,
            open_milestones=self._open_milestones(),
            cadence=self.cadence,
            last_update_on=self.last_updated_at.astimezone(zone).date() if self.last_updated_at else None,
        )

    def state_as_of(self, as_of: dt.date) -> ActionState:
        """What was known on `as_of`: the one builder of an action's state on a date.

        Today is the current state; any earlier date is rebuilt from the update and target date
        history, which every change of state goes through (plans.services).
        """
        zone = timezone.get_current_timezone()
        if as_of >= timezone.now().astimezone(zone).date():
            return self._current_state(zone)
        known_by = _end_of_day(as_of, zone)
        target = self._slippage(False, known_by).target_date
        return self._past_state(as_of, self._latest_update_before(known_by), target, zone)

    def known_on(self, as_of: dt.date) -> KnownOn:
        """The state, the latest update and the target's slippage as known on `as_of`, reading the date and
        the time zone once: a summary reads thousands of actions, and each lookup of them costs (issue 20)."""
        zone = timezone.get_current_timezone()
        today, known_by = timezone.now().astimezone(zone).date(), _end_of_day(as_of, zone)
        latest = self._latest_update_before(known_by)
        slippage = self._slippage(as_of >= today, known_by)
        if as_of >= today:
            state = self._current_state(zone)
        else:
            state = self._past_state(as_of, latest, slippage.target_date, zone)
        return KnownOn(state=state, latest_update=latest, slippage=slippage)

    def _past_state(
        self, as_of: dt.date, latest: ActionUpdate | None, target: dt.date | None, zone: dt.tzinfo
    ) -> ActionState:
        return ActionState(
            status=latest.status if latest else Status.NOT_STARTED,
            at_risk=latest.at_risk if latest else False,
            at_risk_reason=latest.at_risk_reason if latest else "",
            target_date=target,
            start_date=self.start_date,
            open_milestones=self._open_milestones(as_of),
            cadence=self.cadence,
            last_update_on=latest.created_at.astimezone(zone).date() if latest else None,
        )

    def approved_target_changes(self, as_of: dt.date | None = None) -> list[TargetDateChange]:
        return self._approved_before(_end_of_day(as_of) if as_of is not None else None)

    def _approved_before(self, known_by: dt.datetime | None) -> list[TargetDateChange]:
        changes = [
            change
            for change in self.target_change_list
            if change.decision == TargetDateChange.Decision.APPROVED
            and (known_by is None or change.decided_at < known_by)
        ]
        return sorted(changes, key=lambda change: change.decided_at)

    def target_date_as_of(self, as_of: dt.date) -> dt.date | None:
        """The last approved target known on `as_of` (on any date, today included), else the first one."""
        return self._slippage(False, _end_of_day(as_of)).target_date

    def slippage(self, as_of: dt.date | None = None) -> Slippage:
        """How far the target has moved from the one first agreed: as things stand, or as known on `as_of`."""
        as_things_stand = as_of is None or as_of >= timezone.localdate()
        return self._slippage(as_things_stand, None if as_things_stand else _end_of_day(as_of))

    def _slippage(self, as_things_stand: bool, known_by: dt.datetime | None) -> Slippage:
        approved = self._approved_before(None)
        original = approved[0].previous_target_date if approved else self.target_date
        if as_things_stand:
            return Slippage(original_target_date=original, target_date=self.target_date, times_moved=len(approved))
        known = [change for change in approved if change.decided_at < known_by]
        target = known[-1].new_target_date if known else original
        return Slippage(original_target_date=original, target_date=target, times_moved=len(known))

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

    def forget_loaded_history(self) -> None:
        """Drop the related rows read so far, after a service has added to them."""
        for relation in ("milestones", "updates", "target_changes", "leads"):
            self.__dict__.pop(f"prefetched_{relation}", None)
            getattr(self, "_prefetched_objects_cache", {}).pop(relation, None)

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.forget_loaded_history()

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
        """Every recorded change to the action's fields, sponsors and leads, newest first: when, who, old and new."""
        records = list(self.history.select_related("history_user").order_by("history_date", "history_id"))
        # One row per sponsor (lead) per historical record: the models django-simple-history adds for m2m_fields.
        names_in = {
            relation: _names_per_record(records, relation, named)
            for relation, named in (("sponsors", Sponsor.objects.select_related("person")), ("leads", Person.objects))
        }

        log = []
        for index, record in enumerate(records):
            previous = records[index - 1] if index else None
            if previous is None:
                changes = []
            else:
                # Sponsors and leads are compared from the rows read above: the library's own m2m diff
                # queries twice per record, which grows with the history.
                delta = record.diff_against(previous, excluded_fields=["sponsors", "leads"])
                changes = []
                for change in delta.changes:
                    field = self._meta.get_field(change.field)
                    changes.append((field.verbose_name, _as_read(field, change.old), _as_read(field, change.new)))
                for relation, names in names_in.items():
                    before, after = names.get(previous.history_id, "none"), names.get(record.history_id, "none")
                    if before != after:
                        changes.append((relation, before, after))
                if not changes:
                    continue
            log.append({"at": record.history_date, "by": record.history_user, "created": record.history_type == "+",
                        "changes": changes, "reason": record.history_change_reason or ""})  # fmt: skip
        # Oldest first, then newest first: entries of the same moment keep the order they were made in.
        log = sorted(log + self._milestone_log(), key=lambda entry: entry["at"])
        return log[::-1]

    def _milestone_log(self) -> list[LoggedChange]:
        """Milestones added, changed, moved or removed on the action page (plans.services), as change log entries."""
        records = Milestone.history.filter(action_id=self.pk).select_related("history_user")
        log, before = [], {}
        for record in records.order_by("history_date", "history_id"):
            title = f"“{record.title}”"
            target = f" (target {record.target_date:%-d %b %Y})" if record.target_date else ""
            if record.history_type == "+":
                changes = [("milestone added", "(none)", f"{title}{target}")]
            elif record.history_type == "-":
                changes = [("milestone removed", title, "(none)")]
            else:
                previous = before.get(record.id)
                changes = []
                if previous is not None and previous.title != record.title:
                    changes.append(("milestone", f"“{previous.title}”", title))
                if previous is not None and previous.target_date != record.target_date:
                    changes.append((f"target of milestone {title}", _as_read_date(previous.target_date),
                                    _as_read_date(record.target_date)))  # fmt: skip
                if previous is not None and previous.position != record.position:
                    changes.append(("milestone moved", title, "up" if record.position < previous.position else "down"))
            before[record.id] = record
            if changes:
                log.append({"at": record.history_date, "by": record.history_user, "created": False, "changes": changes,
                            "reason": ""})  # fmt: skip
        return log

    def latest_update(self, as_of: dt.date | None = None) -> ActionUpdate | None:
        """The newest update, or the newest one written by the end of `as_of`."""
        return self._latest_update_before(_end_of_day(as_of) if as_of is not None else None)

    def _latest_update_before(self, known_by: dt.datetime | None) -> ActionUpdate | None:
        return max(
            (update for update in self.update_list if known_by is None or update.created_at < known_by),
            key=lambda update: (update.created_at, update.pk),
            default=None,
        )


class LoggedChange(TypedDict):
    """One entry of Action.change_log: when, who, whether it created the action, and (field, old, new) read."""

    at: dt.datetime
    by: AbstractBaseUser | None
    created: bool
    changes: list[tuple[str, object, object]]
    reason: str  # why, when the change said (an action added as a board's action arising)


def _names_per_record(records: list[models.Model], relation: str, named: models.QuerySet) -> dict[int, str]:
    """{history id: "A, B"}: who the relation named in each historical record."""
    model = named.model
    names = {pk: str(item) for pk, item in named.in_bulk().items()}
    through_history = apps.get_model("plans", f"HistoricalAction_{relation}")
    column = f"{model._meta.model_name}_id"
    named: dict[int, list[str]] = {}
    rows = list(through_history.objects.filter(history__in=records).values_list("history_id", column))
    gone = {item_id for _, item_id in rows if item_id not in names}
    if gone and hasattr(model, "history"):
        # A person merged into another is deleted; their own history still says who they were.
        for item_id, name in model.history.filter(id__in=gone).order_by("history_date").values_list("id", "name"):
            names[item_id] = name
    for history_id, item_id in rows:
        named.setdefault(history_id, []).append(names.get(item_id, f"(deleted {model._meta.verbose_name})"))
    return {history_id: ", ".join(sorted(items)) for history_id, items in named.items()}


def _as_read_date(day: dt.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "none"


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

    # Who added, changed, moved or removed a milestone, and when (plans.services); ticks are in the updates.
    history = HistoricalRecords(excluded_fields=["done_on"])

    class Meta:
        ordering = ["action", "position", "pk"]

    def __str__(self) -> str:
        return self.title
