"""Compares a previewed plan with what the tracker holds, and writes it in one transaction.

A re-import is an update: actions are matched by reference (or, when the file gives none, by area and
title); what the file did not change is left alone. The file's statuses are the position on its date
(today unless the admin says otherwise): they are recorded as the actions' history through plans.services,
which skips what the file only repeats and keeps a newer update made in the tracker as the current state,
so updates made in the tracker since the last import survive a re-import of the same file. Actions missing
from the file are only reported unless the admin asks for them to be removed.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from ..models import Action, ActionUpdate, Area, Milestone, Plan, PlanImport, Sponsor, Theme
from ..rag import Status
from ..services import ReportedPosition, action_positions_record, target_date_record
from .columns import SPONSOR
from .reader import WARNING, Problem, read_plan

INVALID_PLAN = "The plan cannot be saved: {problems}"
NOTHING_TO_IMPORT = "Nothing in the file could be imported: no action was read without an error."
TARGET_MOVED_BY_IMPORT = "Target date changed in the spreadsheet {file_name}, imported by {user}."
NEW_SPONSORS = "New sponsors will be created: {names}. Check the spelling if any should be an existing sponsor."
POSITION_DATE_IN_FUTURE = (
    "The position date {date:%-d %b %Y} is in the future: a file can say where actions stood up to today, not later."
)
KEPT_NEWER = (
    "{count} actions were updated in the tracker after {date:%-d %b %Y}: the file's position joins their history "
    "but does not replace their current state"
)
KEPT_NEWER_ONE = (
    "1 action was updated in the tracker after {date:%-d %b %Y}: the file's position joins its history "
    "but does not replace its current state"
)

# Plain words for the fields the preview lists as changed.
FIELD_NAMES = {
    "area": "area",
    "title": "text",
    "description": "text",
    "sub_items": "sub-items",
    "start": "start date",
    "target": "target date",
    "sponsors": "sponsors",
    "lead": "delivery lead",
    "status": "status",
    "cadence": "cadence",
    "milestones": "milestones",
}


def position_moment(position_date):
    """When a file's position is recorded: the start of its day, local time.

    Never later than now for a date up to today, so a file dated today is the current state at once (noon
    would put a morning's import in the future, and every update made in the tracker before noon would
    count as older than the file's). The same date always gives the same moment, so the same file imported
    twice on one day repeats itself and records nothing, even after a manager's update that day; and it is
    the moment the history queries start a day at (plans.models._start_of_day). An update made in the
    tracker on the position date itself is newer than the file's: a file reports the position as the day began.
    """
    return timezone.make_aware(dt.datetime.combine(position_date, dt.time.min))


def check_position_date(position_date):
    """ImportRefused when `position_date` is after today: history cannot be recorded ahead of now."""
    if position_date > timezone.localdate():
        raise ImportRefused(POSITION_DATE_IN_FUTURE.format(date=position_date))


def kept_newer_message(count, position_date):
    if not count:
        return ""
    template = KEPT_NEWER_ONE if count == 1 else KEPT_NEWER
    return template.format(count=count, date=position_date)


class ImportRefused(Exception):
    """The import cannot be applied; nothing was written."""


@dataclass
class ActionChange:
    imported: object  # ImportedAction
    existing: Action | None = None
    changed: list = field(default_factory=list)  # keys of FIELD_NAMES

    @property
    def changed_names(self):
        return list(dict.fromkeys(FIELD_NAMES[key] for key in self.changed))


@dataclass
class ImportChanges:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # Actions in the plan that the file no longer has
    new_sponsors: list = field(default_factory=list)
    # Actions updated in the tracker after the position date whose status the file gives differently: the
    # file's position joins their history on its date without replacing their current state.
    kept_newer: list = field(default_factory=list)
    position_date: dt.date | None = None

    @property
    def kept_newer_message(self):
        return kept_newer_message(len(self.kept_newer), self.position_date)

    @property
    def by_row(self):
        return {
            change.imported.row: kind
            for kind, changes in (("new", self.created), ("updated", self.updated), ("unchanged", self.unchanged))
            for change in changes
        }


class SponsorBook:
    """Every sponsor by abbreviation, role and name (any case); new ones remembered for creating later."""

    def __init__(self, legend=None):
        self.by_key = {}
        for sponsor in Sponsor.objects.all():
            self._remember(sponsor)
        self.legend = legend or {}
        self.new = {}

    def _remember(self, sponsor):
        for key in (sponsor.name, sponsor.role, sponsor.abbreviation):
            if key:
                self.by_key.setdefault(key.lower(), sponsor)

    @property
    def abbreviations(self):
        return [sponsor.abbreviation for sponsor in self.by_key.values() if sponsor.abbreviation]

    def find(self, name):
        """The sponsor `name` stands for, or None (the name is then recorded as new)."""
        role, person = _role_and_person(name)
        sponsor = self.by_key.get(name.lower()) or self.by_key.get(role.lower())
        if sponsor is None and person:
            sponsor = self.by_key.get(person.lower())
        if sponsor is None:
            self.new.setdefault(role.lower(), name)
        return sponsor

    def create_new(self):
        for name in self.new.values():
            role, person = _role_and_person(name)
            is_abbreviation = re.fullmatch(r"[A-Z][A-Za-z]{1,19}", role) is not None and role.upper() == role
            sponsor = Sponsor(
                abbreviation=role if is_abbreviation else "",
                role=self.legend.get(role, "") if is_abbreviation else role[:200],
                name=person[:200],
            )
            sponsor.full_clean()
            sponsor.save()
            self._remember(sponsor)
        self.new = {}


# "DCS (Jane Smith)": plans name the post and, in brackets, who holds it.
_WITH_PERSON = re.compile(r"^(?P<role>[^()]+?)\s*\((?P<person>[^()]+)\)$")


def _role_and_person(name):
    match = _WITH_PERSON.match(name)
    if match is None:
        return name, ""
    return match.group("role"), match.group("person").strip()


def plan_preview(data, *, name, slug="", sheet=None, columns=None, position_date=None):
    """Read the file against the tracker as it is: (preview, changes) for the plan `slug`, which may be new.

    `position_date` (today when None) is the date the file's statuses stand on. Raises WorkbookError when
    the file cannot be read at all.
    """
    sponsors = SponsorBook()
    preview = read_plan(data, name=name, sheet=sheet, columns=columns, known_abbreviations=sponsors.abbreviations)
    sponsors.legend = preview.legend_sponsors
    plan = Plan.objects.filter(slug=slug).first() if slug else None
    changes = plan_changes(preview, plan, sponsors=sponsors, position_date=position_date)
    if changes.new_sponsors:
        sponsor_column = preview.mapping.fields.get(SPONSOR)
        preview.problems.append(
            Problem(
                level=WARNING,
                sheet=preview.sheet,
                cell=get_column_letter(sponsor_column + 1) if sponsor_column is not None else "",
                message=NEW_SPONSORS.format(names=", ".join(changes.new_sponsors)),
            )
        )
    return preview, changes


def _identity(area_title, title):
    return (area_title.lower(), " ".join(title.lower().split()))


def plan_changes(preview, plan, *, sponsors=None, position_date=None):
    """What importing `preview` into `plan` (None for a new plan) would create, update, leave and remove,
    its statuses standing on `position_date` (today when None)."""
    sponsors = sponsors or SponsorBook(preview.legend_sponsors)
    position_date = position_date or timezone.localdate()
    at = position_moment(position_date)
    existing = []
    known = {}
    if plan is not None and plan.pk:
        existing = list(
            plan.actions.select_related("area").prefetch_related("sponsors", "milestones", "target_changes")
        )
        known = _updates_known_at(plan, at)
    by_ref = {action.ref: action for action in existing}
    by_title = {_identity(action.area.title, action.title): action for action in existing}
    matched = set()
    changes = ImportChanges(position_date=position_date)
    importable = [
        imported for imported in preview.actions if not any(problem.level == "error" for problem in imported.problems)
    ]
    # References first, titles second: a row matched only by its title must not take the action that
    # another row names by reference (both would then hold that reference, which the plan cannot).
    by_reference = [imported for imported in importable if imported.ref_given]
    by_title_only = [imported for imported in importable if not imported.ref_given]
    for imported in by_reference + by_title_only:
        if imported.ref_given:
            action = by_ref.get(imported.ref)
        else:
            action = by_title.get(_identity(imported.area, imported.title))
        if action is not None and action.pk in matched:
            action = None
        resolved = [sponsors.find(name) for name in imported.sponsor_names]
        if action is None:
            changes.created.append(ActionChange(imported=imported))
            continue
        matched.add(action.pk)
        changed = _changed_fields(imported, action, resolved)
        if _position_is_new(imported, known.get(action.pk)):
            if action.last_updated_at is not None and at < action.last_updated_at:
                changes.kept_newer.append(action)
            elif (imported.status.status, imported.status.at_risk) != (action.status, action.at_risk):
                changed.append("status")
        (changes.updated if changed else changes.unchanged).append(
            ActionChange(imported=imported, existing=action, changed=changed)
        )
    for kind in (changes.created, changes.updated, changes.unchanged):
        kind.sort(key=lambda change: change.imported.row)
    changes.removed = [action for action in existing if action.pk not in matched]
    _keep_refs_unique(changes, existing)
    changes.new_sponsors = list(sponsors.new.values())
    return changes


def _keep_refs_unique(changes, existing):
    """Numbers the importer gave stay clear of the plan's references; a matched action keeps its own."""
    for change in changes.updated + changes.unchanged:
        change.imported.ref = change.existing.ref
    used = {action.ref for action in existing} | {
        change.imported.ref for change in changes.created if change.imported.ref_given
    }
    for change in changes.created:
        imported = change.imported
        if imported.ref_given:
            continue
        prefix, _, number = imported.ref.rpartition(".")
        number = int(number) if number.isdigit() else 1
        while imported.ref in used:
            number += 1
            imported.ref = f"{prefix}.{number}" if prefix else str(number)
        used.add(imported.ref)


def _date_changed(imported_date, stored_date, stored_text):
    """A date the spreadsheet changed: read differently and written differently (not "Dec 18" vs "2018-12-31")."""
    if imported_date.date != stored_date:
        return imported_date.text != stored_text
    return imported_date.date is None and imported_date.text != stored_text


def _updates_known_at(plan, at):
    """{action pk: the position each of the plan's actions had at `at`}: what a file dated then repeats or not."""
    return ActionUpdate.objects.filter(action__plan=plan).positions_at(at)


def _position(imported):
    """The status, at-risk flag, reason and colour the file reports for an action, or None when it reports none."""
    status = imported.status
    if status is None or not status.understood:
        return None
    at_risk = status.at_risk and status.status != Status.COMPLETED
    reason = f'Marked "{imported.status_text or status.label}" in the plan' if at_risk else ""
    return status.status, at_risk, reason, status.reported_rag


def _position_is_new(imported, known):
    """Whether the service will record the file's position (plans.services.action_positions_record skips
    one that repeats the update known on its date); the preview tells the admin before it does."""
    position = _position(imported)
    return position is not None and known != position


def _milestones(imported):
    return [(milestone.title, milestone.target.date, milestone.target.text) for milestone in imported.milestones]


def _changed_fields(imported, action, resolved_sponsors):
    changed = []
    if action.area.title != imported.area:
        changed.append("area")
    if action.title != imported.title:
        changed.append("title")
    if action.description != imported.description:
        changed.append("description")
    if action.sub_items != imported.sub_items:
        changed.append("sub_items")
    if _date_changed(imported.start, action.start_date, action.start_text):
        changed.append("start")
    if _date_changed(imported.target, action.target_date, action.target_text):
        changed.append("target")
    current_sponsors = {sponsor.pk for sponsor in action.sponsors.all()}
    if None in resolved_sponsors or {sponsor.pk for sponsor in resolved_sponsors} != current_sponsors:
        changed.append("sponsors")
    if action.lead != imported.lead:
        changed.append("lead")
    if action.cadence != imported.cadence:
        changed.append("cadence")
    stored = [(milestone.title, milestone.target_date, milestone.target_text) for milestone in action.milestones.all()]
    if stored != _milestones(imported):
        changed.append("milestones")
    return changed


@transaction.atomic
def plan_import(*, preview, slug, title="", user=None, remove_missing=False, record=None, position_date=None):
    """Write `preview` into the plan `slug` (created if new). Returns the PlanImport record with its counts.

    The file's statuses, at-risk flags and reported colours are recorded as the actions' history on
    `position_date` (today when None), attributed to `user`, through plans.services: the import never
    writes an action's state itself.
    """
    position_date = position_date or timezone.localdate()
    check_position_date(position_date)
    at = position_moment(position_date)
    plan = Plan.objects.select_for_update().filter(slug=slug).first()
    importable = [action for action in preview.actions if not any(p.level == "error" for p in action.problems)]
    if not importable:
        raise ImportRefused(NOTHING_TO_IMPORT)
    if plan is None:
        plan = Plan(slug=slug, title=title or slug.replace("-", " ").capitalize())
        _check_plan(plan)
        plan.save()
    elif title and title != plan.title:
        plan.title = title
        _check_plan(plan)
        plan.save(update_fields=["title", "updated_at"])
    sponsors = SponsorBook(preview.legend_sponsors)
    changes = plan_changes(preview, plan, sponsors=sponsors, position_date=position_date)
    sponsors.create_new()
    areas = _areas(plan, preview)
    positions = {action.row: position for position, action in enumerate(importable, start=1)}

    new_actions = [_new_action(plan, areas, change.imported, positions) for change in changes.created]
    new_actions = bulk_create_with_history(new_actions, Action, default_user=user, batch_size=500)
    Through = Action.sponsors.through
    links, milestones = [], []
    for action, change in zip(new_actions, changes.created, strict=True):
        links += [
            Through(action_id=action.pk, sponsor_id=sponsors.find(name).pk) for name in change.imported.sponsor_names
        ]
        action_milestones = _new_milestones(action, change.imported)
        # What the RAG rule reads of a new action, known without asking the database again.
        action.__dict__["prefetched_milestones"] = action_milestones
        milestones += action_milestones
    Through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    Milestone.objects.bulk_create(milestones, batch_size=1000)

    for change in changes.updated + changes.unchanged:
        change.existing.position = positions[change.imported.row]
    for change in changes.updated:
        _update_action(change, areas, sponsors, user, preview.file_name, at)
    Action.objects.bulk_update([change.existing for change in changes.unchanged], ["position"], batch_size=1000)
    written = list(zip(new_actions, changes.created, strict=True)) + [
        (change.existing, change) for change in changes.updated + changes.unchanged
    ]
    reported = [_reported_position(action, change.imported, preview) for action, change in written]
    recorded = action_positions_record(
        positions=[position for position in reported if position is not None], author=user, at=at
    )
    if remove_missing and changes.removed:
        Action.objects.filter(pk__in=[action.pk for action in changes.removed]).delete()

    record = record or PlanImport(file_name=preview.file_name, checksum="", size=0)
    record.plan, record.plan_slug, record.plan_title = plan, plan.slug, plan.title
    record.sheet_name = preview.sheet
    record.created_by = record.created_by or user
    record.state = PlanImport.State.APPLIED
    record.applied_at = timezone.now()
    record.position_date = position_date
    record.content = b""
    record.created_count = len(changes.created)
    record.updated_count = len(changes.updated)
    record.unchanged_count = len(changes.unchanged)
    record.removed_count = len(changes.removed) if remove_missing else 0
    record.kept_newer_count = len(recorded.kept_newer)
    record.warning_count = len(preview.warnings)
    record.error_count = len(preview.errors)
    record.save()
    record.changes = changes
    record.positions = recorded
    return record


def _reported_position(action, imported, preview):
    position = _position(imported)
    if position is None:
        return None
    status, at_risk, reason, reported_rag = position
    return ReportedPosition(
        action=action,
        status=status,
        at_risk=at_risk,
        at_risk_reason=reason,
        reported_rag=reported_rag,
        source=f"{preview.file_name}, {preview.sheet}!{imported.row}",
    )


def _check_plan(plan):
    """The plan's title and short name as the command or form gave them, or ImportRefused saying what is wrong."""
    try:
        plan.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{Plan._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        raise ImportRefused(INVALID_PLAN.format(problems=problems)) from error


def _areas(plan, preview):
    """The plan's areas by title, created or brought up to date from the preview (only those with actions)."""
    used = {action.area for action in preview.actions}
    themes = {theme.title: theme for theme in plan.themes.all()}
    areas = {area.title: area for area in plan.areas.select_related("theme")}
    for position, imported in enumerate(preview.areas.values(), start=1):
        if imported.title not in used:
            continue
        theme = None
        if imported.theme:
            theme = themes.get(imported.theme)
            if theme is None:
                theme = themes[imported.theme] = Theme.objects.create(
                    plan=plan, title=imported.theme[:300], position=len(themes) + 1
                )
        area = areas.get(imported.title) or Area(plan=plan, title=imported.title)
        area.position = position
        area.number = imported.number or area.number
        area.theme = theme or area.theme
        # What the file leaves blank does not wipe what was written in the tracker.
        area.outcome = imported.outcome or area.outcome
        area.measured_by = imported.measured_by or area.measured_by
        area.save()
        areas[imported.title] = area
    return areas


def _new_action(plan, areas, imported, positions):
    # Not full_clean()ed one by one: that costs a query per action for the unique reference, and the
    # reader has already kept every value within its field's length and refused duplicate references.
    return Action(
        plan=plan,
        area=areas[imported.area],
        ref=imported.ref,
        position=positions[imported.row],
        title=imported.title,
        description=imported.description,
        sub_items=imported.sub_items,
        start_date=imported.start.date,
        start_text=imported.start.text,
        target_date=imported.target.date,
        target_text=imported.target.text,
        cadence=imported.cadence,
        sponsor_text=imported.sponsor_text,
        lead=imported.lead,
        # The status cell as written; the status it gives is recorded as history (plan_import).
        status_text=imported.status_text,
    )


def _new_milestones(action, imported):
    return [
        Milestone(
            action=action,
            title=milestone.title,
            position=position,
            target_date=milestone.target.date,
            target_text=milestone.target.text[:200],
        )
        for position, milestone in enumerate(imported.milestones, start=1)
    ]


# What a re-import writes onto an action itself: its definition as the plan words it. Its state (status,
# at risk, target in force) changes only through plans.services, which records the history.
DEFINITION_FIELDS = ["area", "title", "description", "sub_items", "lead", "sponsor_text", "cadence", "position"]


def _update_action(change, areas, sponsors, user, file_name, at):
    action, imported = change.existing, change.imported
    action.area = areas[imported.area]
    action.title, action.description, action.sub_items = imported.title, imported.description, imported.sub_items
    action.lead, action.sponsor_text, action.cadence = imported.lead, imported.sponsor_text, imported.cadence
    fields = list(DEFINITION_FIELDS)
    if "start" in change.changed:
        action.start_date, action.start_text = imported.start.date, imported.start.text
        fields += ["start_date", "start_text"]
    if "status" in change.changed:
        action.status_text = imported.status_text
        fields.append("status_text")
    if "target" in change.changed and imported.target.date is None:
        # A target withdrawn ("TBC", "Ongoing"): a target date change cannot hold "no date"
        # (TargetDateChange.new_target_date), so the action's own history (django-simple-history) keeps it.
        action.target_date, action.target_text = None, imported.target.text
        fields += ["target_date", "target_text"]
    action._history_user = user
    action.save(update_fields=fields)
    if "target" in change.changed and imported.target.date is not None:
        target = action.target_date_as_of(timezone.localdate(at))
        if imported.target.date != target:
            # Slippage stays visible: the move is recorded as an approved change on the position date, as if
            # asked for in the tracker.
            target_date_record(
                action=action,
                new_target_date=imported.target.date,
                reason=TARGET_MOVED_BY_IMPORT.format(file_name=file_name, user=user or "the import command"),
                decided_by=user,
                at=at,
                new_target_text=imported.target.text,
            )
    if "sponsors" in change.changed:
        action.sponsors.set([sponsors.find(name) for name in imported.sponsor_names])
    if "milestones" in change.changed:
        done = {milestone.title: milestone.done_on for milestone in action.milestones.all()}
        action.milestones.all().delete()
        milestones = _new_milestones(action, imported)
        for milestone in milestones:
            milestone.done_on = done.get(milestone.title)
        Milestone.objects.bulk_create(milestones)
        action.__dict__["prefetched_milestones"] = milestones
