"""What importing a previewed plan would change in the tracker: actions created, updated, left alone, removed.

A re-import is an update: actions are matched by reference (or, when the file gives none, by area and
title); what the file did not change is left alone. Nothing here writes: the admin sees these changes
before `plans.importing.writes.plan_import` makes them.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl.utils import get_column_letter

from common.heap import collector_paused
from common.spreadsheets import WARNING, Problem

from ..models import Action, Plan, Sponsor
from .columns import LEAD, SPONSOR
from .dates import PlanDate
from .existing import NamedActions, RemovedActions, actions_named, identity
from .messages import NEW_PEOPLE, NEW_SPONSORS, SHARED_NAMES
from .people import PeopleBook
from .positions import kept_newer_message, position_is_new, position_moment
from .preview import ImportedAction, PlanPreview
from .reader import read_plan
from .sponsors import SponsorBook

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
    "leads": "delivery lead",
    "status": "status",
    "cadence": "cadence",
    "milestones": "milestones",
}


@dataclass
class ActionChange:
    imported: ImportedAction
    existing: Action | None = None
    changed: list[str] = field(default_factory=list)  # keys of FIELD_NAMES
    # Whether the file reports a position the action's history does not already hold at the same moment: only
    # those are handed to plans.services to record (it would skip the others itself, after reading them again).
    position_new: bool = True

    @property
    def changed_names(self) -> list[str]:
        return list(dict.fromkeys(FIELD_NAMES[key] for key in self.changed))


@dataclass
class ImportChanges:
    created: list[ActionChange] = field(default_factory=list)
    updated: list[ActionChange] = field(default_factory=list)
    unchanged: list[ActionChange] = field(default_factory=list)
    removed: RemovedActions = field(default_factory=RemovedActions)  # in the plan, no longer in the file
    new_sponsors: list[str] = field(default_factory=list)
    # Lead names no one in the tracker has (with look-alikes), and names two people share (left unmatched).
    new_people: list[str] = field(default_factory=list)
    shared_names: list[str] = field(default_factory=list)
    # Actions updated in the tracker after the position date whose status the file gives differently: the
    # file's position joins their history on its date without replacing their current state.
    kept_newer: list[Action] = field(default_factory=list)
    position_date: dt.date | None = None

    @property
    def kept_newer_message(self) -> str:
        return kept_newer_message(len(self.kept_newer), self.position_date)

    @property
    def by_row(self) -> dict[int, str]:
        return {
            change.imported.row: kind
            for kind, changes in (("new", self.created), ("updated", self.updated), ("unchanged", self.unchanged))
            for change in changes
        }


@collector_paused()  # the file's rows and the plan's actions are held until it returns (common.heap)
def plan_preview(
    data: bytes,
    *,
    name: str,
    slug: str = "",
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
    position_date: dt.date | None = None,
) -> tuple[PlanPreview, ImportChanges]:
    """Read the file against the tracker as it is: (preview, changes) for the plan `slug`, which may be new.

    `position_date` (today when None) is the date the file's statuses stand on. Raises WorkbookError when
    the file cannot be read at all.
    """
    sponsors = SponsorBook.of_tracker()
    preview = read_plan(data, name=name, sheet=sheet, columns=columns, known_abbreviations=sponsors.abbreviations)
    plan = Plan.objects.filter(slug=slug).first() if slug else None
    changes = plan_changes(preview, plan, sponsors=sponsors, position_date=position_date)
    name_problems(preview, changes)
    return preview, changes


def plan_read(
    data: bytes, *, name: str, sheet: str | None = None, columns: dict[str, str] | None = None
) -> PlanPreview:
    """Read the file as `plan_preview` does, without comparing it: what confirming needs, since `plan_import`
    compares it against the plan itself (under its lock), once."""
    abbreviations = SponsorBook.of_tracker().abbreviations
    return read_plan(data, name=name, sheet=sheet, columns=columns, known_abbreviations=abbreviations)


def name_problems(preview: PlanPreview, changes: ImportChanges) -> None:
    """Warnings for the sponsors and people the file names that the tracker does not know (once each)."""
    for column, message, names in (
        (SPONSOR, NEW_SPONSORS, changes.new_sponsors),
        (LEAD, NEW_PEOPLE, changes.new_people),
        (LEAD, SHARED_NAMES, changes.shared_names),
    ):
        if names:
            index = preview.mapping.fields.get(column)
            problem = Problem(
                level=WARNING,
                sheet=preview.sheet,
                cell=get_column_letter(index + 1) if index is not None else "",
                message=message.format(names=", ".join(names)),
            )
            if problem not in preview.problems:
                preview.problems.append(problem)


def plan_changes(
    preview: PlanPreview,
    plan: Plan | None,
    *,
    sponsors: SponsorBook | None = None,
    people: PeopleBook | None = None,
    position_date: dt.date | None = None,
) -> ImportChanges:
    """What importing `preview` into `plan` (None for a new plan) would create, update, leave and remove,
    its statuses standing on `position_date` (today when None)."""
    sponsors = sponsors or SponsorBook.of_tracker()
    people = people or PeopleBook.of_tracker()
    position_date = position_date or timezone.localdate()
    at = position_moment(position_date)
    importable = [imported for imported in preview.actions if imported.importable]
    # Only the actions the file names: a small file costs the same in a plan of 100,000 actions as in one of 100.
    named = actions_named(plan, importable)
    known = named.updates_known_at(at)
    by_ref, by_title = named.by_ref, named.by_title
    matched = set()
    changes = ImportChanges(position_date=position_date)
    # References first, titles second: a row matched only by its title must not take the action that
    # another row names by reference (both would then hold that reference, which the plan cannot).
    by_reference = [imported for imported in importable if imported.ref_given]
    by_title_only = [imported for imported in importable if not imported.ref_given]
    for imported in by_reference + by_title_only:
        if imported.ref_given:
            action = by_ref.get(imported.ref)
        else:
            action = by_title.get(identity(imported.area, imported.title))
        if action is not None and action.pk in matched:
            action = None
        resolved = [sponsors.find(name) for name in imported.sponsor_names]
        leads = people.leads_of(imported.lead)
        if action is None:
            changes.created.append(ActionChange(imported=imported))
            continue
        matched.add(action.pk)
        changed = _changed_fields(imported, action, resolved, named.sponsor_ids[action.pk])
        lead_ids = {person.pk for person in leads if person is not None}
        # A lead named in the tracker stays while the file names no one.
        if (None in leads or lead_ids != named.lead_ids[action.pk]) and (imported.lead or "lead" in changed):
            changed.append("leads")
        position_new = position_is_new(imported, known.get(action.pk), at)
        if position_new:
            if action.last_updated_at is not None and at < action.last_updated_at:
                changes.kept_newer.append(action)
            elif (imported.status.status, imported.status.at_risk) != (action.status, action.at_risk):
                changed.append("status")
        (changes.updated if changed else changes.unchanged).append(
            ActionChange(imported=imported, existing=action, changed=changed, position_new=position_new)
        )
    for kind in (changes.created, changes.updated, changes.unchanged):
        kind.sort(key=lambda change: change.imported.row)
    changes.removed = named.removed(matched)
    _keep_refs_unique(changes, named)
    changes.new_sponsors = list(sponsors.new.values())
    changes.new_people = people.new_described()
    changes.shared_names = list(people.shared.values())
    return changes


def _keep_refs_unique(changes: ImportChanges, named: NamedActions) -> None:
    """Numbers the importer gave stay clear of the plan's references; a matched action keeps its own."""
    for change in changes.updated + changes.unchanged:
        change.imported.ref = change.existing.ref
    if all(change.imported.ref_given for change in changes.created):
        return
    used = named.refs_in_use() | {change.imported.ref for change in changes.created if change.imported.ref_given}
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


def _date_changed(imported_date: PlanDate, stored_date: dt.date | None, stored_text: str) -> bool:
    """A date the spreadsheet changed: read differently and written differently (not "Dec 18" vs "2018-12-31")."""
    if imported_date.date != stored_date:
        return imported_date.text != stored_text
    return imported_date.date is None and imported_date.text != stored_text


def _milestones(imported: ImportedAction) -> list[tuple[str, dt.date | None, str]]:
    return [(milestone.title, milestone.target.date, milestone.target.text) for milestone in imported.milestones]


def _changed_fields(
    imported: ImportedAction, action: Action, resolved_sponsors: list[Sponsor | None], current_sponsors: set[int]
) -> list[str]:
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
    if None in resolved_sponsors or {sponsor.pk for sponsor in resolved_sponsors} != current_sponsors:
        changed.append("sponsors")
    if action.lead != imported.lead:
        changed.append("lead")
    if action.cadence != imported.cadence:
        changed.append("cadence")
    stored = [(milestone.title, milestone.target_date, milestone.target_text) for milestone in action.milestone_list]
    if stored != _milestones(imported):
        changed.append("milestones")
    return changed
