"""Writes a previewed plan into the tracker in one transaction, and keeps the PlanImport record of it.

The file's statuses are the position on its date (today unless the admin says otherwise): they are recorded
as the actions' history through plans.services, which skips what the file only repeats and keeps a newer
update made in the tracker as the current state, so updates made in the tracker since the last import
survive a re-import of the same file. Actions missing from the file are only reported unless the admin asks
for them to be removed.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.bulk import rows_inserted
from common.heap import collector_paused
from common.spreadsheets.uploads import upload_applied

from ..models import Action, Area, Milestone, Plan, PlanImport, Theme
from ..services import PLAN_IS_CLOSED, action_positions_record, target_date_record
from .changes import ActionChange, name_problems, plan_changes
from .existing import chunks
from .messages import INVALID_PLAN, NOTHING_TO_IMPORT, TARGET_MOVED_BY_IMPORT, ImportRefused
from .people import PeopleBook
from .positions import check_position_date, position_moment, position_to_record
from .preview import ImportedAction, ImportedTheme, PlanPreview
from .sponsors import SponsorBook

# What a re-import writes onto an action itself: its definition as the plan words it. Its state (status,
# at risk, target in force) changes only through plans.services, which records the history.
DEFINITION_FIELDS = ["area", "title", "description", "sub_items", "lead", "sponsor_text", "cadence", "position"]


@collector_paused()  # the import holds every row and action until it returns (common.heap)
@transaction.atomic
def plan_import(
    *,
    preview: PlanPreview,
    slug: str,
    title: str = "",
    user: AbstractBaseUser | None = None,
    remove_missing: bool = False,
    record: PlanImport | None = None,
    position_date: dt.date | None = None,
) -> PlanImport:
    """Write `preview` into the plan `slug` (created if new). Returns the PlanImport record with its counts.

    The file's statuses, at-risk flags and reported colours are recorded as the actions' history on
    `position_date` (today when None), attributed to `user`, through plans.services: the import never
    writes an action's state itself.
    """
    position_date = position_date or timezone.localdate()
    check_position_date(position_date)
    at = position_moment(position_date)
    plan = Plan.objects.select_for_update().filter(slug=slug).first()
    if plan is not None and plan.is_closed:
        raise ImportRefused(PLAN_IS_CLOSED.format(plan=plan.title))
    importable = [action for action in preview.actions if action.importable]
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
    sponsors = SponsorBook.of_tracker()
    people = PeopleBook.of_tracker()
    changes = plan_changes(preview, plan, sponsors=sponsors, people=people, position_date=position_date)
    name_problems(preview, changes)
    sponsors.create_new(legend=preview.legend_sponsors)
    people.create_new()
    areas = _areas(plan, preview)
    positions = {action.row: position for position, action in enumerate(importable, start=1)}

    new_actions = [_new_action(plan, areas, change.imported, positions) for change in changes.created]
    # Their audit rows are written once their positions are recorded (action_positions_record, `created`).
    _actions_inserted(plan, new_actions)
    Through = Action.sponsors.through
    links, milestones = [], []
    for action, change in zip(new_actions, changes.created, strict=True):
        links += [
            Through(action_id=action.pk, sponsor_id=sponsors.find(name).pk) for name in change.imported.sponsor_names
        ]
        action_milestones = _new_milestones(action, change.imported)
        # What the RAG rule reads of a new action, known without asking the database again.
        action.__dict__["prefetched_milestones"] = action_milestones
        action.__dict__["prefetched_target_changes"] = []
        milestones += action_milestones
    # The actions are new, so only a name given twice in one cell repeats a link: each is written once, without
    # asking the database to skip conflicts (which would rule out PostgreSQL's COPY, common.bulk).
    rows_inserted(list({(link.action_id, link.sponsor_id): link for link in links}.values()))
    leads = [
        Action.leads.through(action_id=action.pk, person_id=person.pk)
        for action, change in zip(new_actions, changes.created, strict=True)
        for person in people.leads_of(change.imported.lead)
        if person is not None
    ]
    rows_inserted(list({(link.action_id, link.person_id): link for link in leads}.values()))
    rows_inserted(milestones)

    # The usual monthly re-import changes only statuses: their history is the positions recorded below,
    # so those actions need only the status as written, in bulk, not a save and an audit row each. Only
    # actions whose place or status cell moved are written at all: a file that repeats itself writes nothing.
    status_only = [change for change in changes.updated if change.changed == ["status"]]
    placed = []
    for change in changes.unchanged + status_only:
        action, position = change.existing, positions[change.imported.row]
        status_text = change.imported.status_text if change.changed else action.status_text
        if (action.position, action.status_text) != (position, status_text):
            action.position, action.status_text = position, status_text
            placed.append(action)
    for change in changes.updated:
        if change.changed != ["status"]:
            change.existing.position = positions[change.imported.row]
            _update_action(change, areas, sponsors, people, user, preview.file_name, at)
    Action.objects.bulk_update(placed, ["position", "status_text"], batch_size=1000)
    written = list(zip(new_actions, changes.created, strict=True)) + [
        (change.existing, change) for change in changes.updated + changes.unchanged
    ]
    reported = [
        position_to_record(action, change.imported, preview) for action, change in written if change.position_new
    ]
    recorded = action_positions_record(
        positions=[position for position in reported if position is not None],
        author=user,
        at=at,
        created=new_actions,
    )
    if remove_missing and changes.removed:
        for chunk in chunks(changes.removed.ids()):
            Action.objects.filter(pk__in=chunk).delete()

    record = record or PlanImport(file_name=preview.file_name, checksum="", size=0)
    record.plan, record.plan_slug, record.plan_title = plan, plan.slug, plan.title
    record.sheet_name = preview.sheet
    record.created_by = record.created_by or user
    upload_applied(record)
    record.position_date = position_date
    record.created_count = len(changes.created)
    record.updated_count = len(changes.updated)
    record.unchanged_count = len(changes.unchanged)
    record.removed_count = len(changes.removed) if remove_missing else 0
    record.kept_newer_count = len(recorded.kept_newer)
    record.new_people = changes.new_people
    record.warning_count = len(preview.warnings)
    record.error_count = len(preview.errors)
    record.skipped_count = len(preview.rows_skipped)
    record.save()
    record.changes = changes
    record.positions = recorded
    return record


def _check_plan(plan: Plan) -> None:
    """The plan's title and short name as the command or form gave them, or ImportRefused saying what is wrong."""
    try:
        plan.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{Plan._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        raise ImportRefused(INVALID_PLAN.format(problems=problems)) from error


def _areas(plan: Plan, preview: PlanPreview) -> dict[str, Area]:
    """The plan's areas by title, created or brought up to date from the preview (only those with actions)."""
    used = {action.area for action in preview.actions}
    themes = {theme.title: theme for theme in plan.themes.all()}
    areas = {area.title: area for area in plan.areas.select_related("theme")}
    themes_done: set[int] = set()
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
            _theme_fields(theme, preview.themes.get(imported.theme), done=themes_done)
        area = areas.get(imported.title) or Area(plan=plan, title=imported.title)
        was = _area_fields(area)
        area.position = position
        area.number = imported.number or area.number
        area.theme = theme or area.theme
        # What the file leaves blank does not wipe what was written in the tracker.
        area.outcome = imported.outcome or area.outcome
        area.objectives = imported.objectives or area.objectives
        area.measured_by = imported.measured_by or area.measured_by
        if area.pk is None or _area_fields(area) != was:  # a file that repeats itself writes nothing
            area.save()
        areas[imported.title] = area
    return areas


def _area_fields(area: Area) -> tuple:
    return (area.position, area.number, area.theme_id, area.outcome, area.objectives, area.measured_by)


def _theme_fields(theme: Theme, imported: ImportedTheme | None, *, done: set[int]) -> None:
    """The theme's outcome and measures as the file writes them; what the file leaves blank is kept."""
    if imported is None or theme.pk in done:
        return
    done.add(theme.pk)
    outcome = imported.outcome or theme.outcome
    measures = imported.measures_of_success or theme.measures_of_success
    if (outcome, measures) != (theme.outcome, theme.measures_of_success):
        theme.outcome, theme.measures_of_success = outcome, measures
        theme.save(update_fields=["outcome", "measures_of_success"])


def _actions_inserted(plan: Plan, actions: list[Action]) -> None:
    """Insert the new `actions` of `plan` and give them their keys, found by their references (unique in a plan)."""
    rows_inserted(actions)
    pks = {}
    for chunk in chunks([action.ref for action in actions]):
        pks |= dict(Action.objects.filter(plan=plan, ref__in=chunk).values_list("ref", "pk"))
    for action in actions:
        action.pk = pks[action.ref]
        action._state.adding, action._state.db = False, Action.objects.db


def _new_action(plan: Plan, areas: dict[str, Area], imported: ImportedAction, positions: dict[int, int]) -> Action:
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


def _new_milestones(action: Action, imported: ImportedAction) -> list[Milestone]:
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


def _update_action(
    change: ActionChange,
    areas: dict[str, Area],
    sponsors: SponsorBook,
    people: PeopleBook,
    user: AbstractBaseUser | None,
    file_name: str,
    at: dt.datetime,
) -> None:
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
    if "target" in change.changed and imported.target.date is None and action.target_date is None:
        # Only the words changed ("TBC" to "Timing tbc"): no target to move.
        action.target_text = imported.target.text
        fields.append("target_text")
    action._history_user = user
    action.save(update_fields=fields)
    if "target" in change.changed:
        target = action.target_date_as_of(timezone.localdate(at))
        if imported.target.date != target:
            # Slippage stays visible: the move (or a target withdrawn, "TBC") is recorded as an approved
            # change on the position date, as if asked for in the tracker.
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
    if "leads" in change.changed:
        action.leads.set([person for person in people.leads_of(imported.lead) if person is not None])
    if "milestones" in change.changed:
        done = {milestone.title: milestone.done_on for milestone in action.milestones.all()}
        action.milestones.all().delete()
        milestones = _new_milestones(action, imported)
        for milestone in milestones:
            milestone.done_on = done.get(milestone.title)
        Milestone.objects.bulk_create(milestones)
        action.__dict__["prefetched_milestones"] = milestones
