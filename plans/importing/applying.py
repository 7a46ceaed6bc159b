"""Compares a previewed plan with what the tracker holds, and writes it in one transaction.

A re-import is an update: actions are matched by reference (or, when the file gives none, by area and
title); what the file did not change is left alone, so updates made in the tracker since the last
import survive a re-import of the same file. Actions missing from the file are only reported unless
the admin asks for them to be removed.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from ..models import Action, Area, Milestone, Plan, PlanImport, Sponsor, TargetDateChange, Theme
from ..rag import Status
from .columns import SPONSOR
from .reader import WARNING, Problem, read_plan

INVALID_PLAN = "The plan cannot be saved: {problems}"
NOTHING_TO_IMPORT = "Nothing in the file could be imported: no action was read without an error."
TARGET_MOVED_BY_IMPORT = "Target date changed in the spreadsheet {file_name}, imported by {user}."
NEW_SPONSORS = "New sponsors will be created: {names}. Check the spelling if any should be an existing sponsor."

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
    "milestones": "milestones",
}


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


def plan_preview(data, *, name, slug="", sheet=None, columns=None):
    """Read the file against the tracker as it is: (preview, changes) for the plan `slug`, which may be new.

    Raises WorkbookError when the file cannot be read at all.
    """
    sponsors = SponsorBook()
    preview = read_plan(data, name=name, sheet=sheet, columns=columns, known_abbreviations=sponsors.abbreviations)
    sponsors.legend = preview.legend_sponsors
    plan = Plan.objects.filter(slug=slug).first() if slug else None
    changes = plan_changes(preview, plan, sponsors=sponsors)
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


def plan_changes(preview, plan, *, sponsors=None):
    """What importing `preview` into `plan` (None for a new plan) would create, update, leave and remove."""
    sponsors = sponsors or SponsorBook(preview.legend_sponsors)
    existing = []
    if plan is not None and plan.pk:
        existing = list(plan.actions.select_related("area").prefetch_related("sponsors", "milestones"))
    by_ref = {action.ref: action for action in existing}
    by_title = {_identity(action.area.title, action.title): action for action in existing}
    matched = set()
    changes = ImportChanges()
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


def _status_changed(imported, action):
    """Only a status cell that now says something else moves the status, so that a re-import of an old
    file does not undo what managers have updated in the tracker since."""
    if imported.status is None or imported.status_text == action.status_text:
        return False
    return (imported.status.status, imported.status.at_risk) != (action.status, action.at_risk)


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
    if _status_changed(imported, action):
        changed.append("status")
    stored = [(milestone.title, milestone.target_date, milestone.target_text) for milestone in action.milestones.all()]
    if stored != _milestones(imported):
        changed.append("milestones")
    return changed


@transaction.atomic
def plan_import(*, preview, slug, title="", user=None, remove_missing=False, record=None):
    """Write `preview` into the plan `slug` (created if new). Returns the PlanImport record with its counts."""
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
    changes = plan_changes(preview, plan, sponsors=sponsors)
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
        milestones += _new_milestones(action, change.imported)
    Through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    Milestone.objects.bulk_create(milestones, batch_size=1000)

    for change in changes.updated + changes.unchanged:
        change.existing.position = positions[change.imported.row]
    for change in changes.updated:
        _update_action(change, areas, sponsors, user, preview.file_name)
    Action.objects.bulk_update([change.existing for change in changes.unchanged], ["position"], batch_size=1000)
    if remove_missing and changes.removed:
        Action.objects.filter(pk__in=[action.pk for action in changes.removed]).delete()

    record = record or PlanImport(file_name=preview.file_name, checksum="", size=0)
    record.plan, record.plan_slug, record.plan_title = plan, plan.slug, plan.title
    record.sheet_name = preview.sheet
    record.created_by = record.created_by or user
    record.state = PlanImport.State.APPLIED
    record.applied_at = timezone.now()
    record.content = b""
    record.created_count = len(changes.created)
    record.updated_count = len(changes.updated)
    record.unchanged_count = len(changes.unchanged)
    record.removed_count = len(changes.removed) if remove_missing else 0
    record.warning_count = len(preview.warnings)
    record.error_count = len(preview.errors)
    record.save()
    record.changes = changes
    return record


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


def _status_fields(imported):
    status = imported.status
    if status is None or not status.understood:
        return {
            "status": Status.NOT_STARTED,
            "at_risk": False,
            "at_risk_reason": "",
            "status_text": imported.status_text,
        }
    return {
        "status": status.status,
        "at_risk": status.at_risk,
        "at_risk_reason": f'Marked "{imported.status_text or status.label}" in the plan' if status.at_risk else "",
        "status_text": imported.status_text,
    }


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
        sponsor_text=imported.sponsor_text,
        lead=imported.lead,
        **_status_fields(imported),
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


def _update_action(change, areas, sponsors, user, file_name):
    action, imported = change.existing, change.imported
    action.area = areas[imported.area]
    action.title, action.description, action.sub_items = imported.title, imported.description, imported.sub_items
    action.lead, action.sponsor_text = imported.lead, imported.sponsor_text
    if "start" in change.changed:
        action.start_date, action.start_text = imported.start.date, imported.start.text
    if "target" in change.changed:
        if action.target_date and imported.target.date:
            # Slippage stays visible: the move is recorded as an approved change, as if asked for in the tracker.
            now = timezone.now()
            TargetDateChange.objects.create(
                action=action,
                previous_target_date=action.target_date,
                new_target_date=imported.target.date,
                reason=TARGET_MOVED_BY_IMPORT.format(file_name=file_name, user=user or "the import command"),
                requested_by=user,
                requested_at=now,
                decision=TargetDateChange.Decision.APPROVED,
                decided_by=user,
                decided_at=now,
            )
        action.target_date, action.target_text = imported.target.date, imported.target.text
    if "status" in change.changed:
        for name, value in _status_fields(imported).items():
            setattr(action, name, value)
    action._history_user = user
    action.save()
    if "sponsors" in change.changed:
        action.sponsors.set([sponsors.find(name) for name in imported.sponsor_names])
    if "milestones" in change.changed:
        done = {milestone.title: milestone.done_on for milestone in action.milestones.all()}
        action.milestones.all().delete()
        milestones = _new_milestones(action, imported)
        for milestone in milestones:
            milestone.done_on = done.get(milestone.title)
        Milestone.objects.bulk_create(milestones)
