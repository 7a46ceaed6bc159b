"""The plan's actions a file names, loaded with what comparing and recording them needs, and no others.

A three-row file into a plan of 100,000 actions loads three actions (by reference, in chunks), not the plan:
the cost of a re-import follows the file. Related rows come in one query per relation and chunk as plain
lists and id sets; Django's prefetch_related builds a queryset per action and relation, which cost more
than the whole comparison on a 10,000-row plan.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ..models import Action, ActionUpdate, Milestone, Plan, TargetDateChange
from .preview import ImportedAction

# Ids or references per query: well under SQLite's limit on query parameters.
CHUNK = 2000
# Actions no longer in the file that the preview names one by one; the rest are counted.
REMOVED_SHOWN = 50


def chunks(items: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@dataclass
class RemovedActions:
    """The plan's actions the file does not name: how many, and the first few loaded to be shown."""

    count: int = 0
    shown: list[Action] = field(default_factory=list)
    plan: Plan | None = None
    matched: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Action]:
        return iter(self.shown)

    def __getitem__(self, index):
        return self.shown[index]

    def ids(self) -> list[int]:
        """Every one of their ids: asked for only when the admin removes them."""
        if self.plan is None:
            return []
        return [pk for pk in self.plan.actions.order_by().values_list("pk", flat=True) if pk not in self.matched]


@dataclass
class NamedActions:
    """The actions a file names in `plan`, by reference and by (area, title) identity."""

    plan: Plan | None
    by_ref: dict[str, Action] = field(default_factory=dict)
    by_title: dict[tuple[str, str], Action] = field(default_factory=dict)
    sponsor_ids: dict[int, set[int]] = field(default_factory=dict)
    lead_ids: dict[int, set[int]] = field(default_factory=dict)
    plan_size: int | None = None  # the plan's actions, counted once
    # When the file names most of the plan, the plan's actions are read whole (see actions_named), in its order.
    in_order: list[Action] | None = None

    @property
    def loaded(self) -> list[Action]:
        return list({action.pk: action for action in [*self.by_ref.values(), *self.by_title.values()]}.values())

    def removed(self, matched: set[int]) -> RemovedActions:
        """The plan's actions not in `matched` (all of them the plan's): counted, and the first few loaded."""
        if self.plan is None or self.plan.pk is None:
            return RemovedActions()
        actions = self.plan.actions.order_by("position", "pk")
        count = (actions.count() if self.plan_size is None else self.plan_size) - len(matched)
        if not count:
            shown = []
        elif self.in_order is not None:
            shown = [action for action in self.in_order if action.pk not in matched][:REMOVED_SHOWN]
        elif len(matched) <= CHUNK:
            shown = list(actions.exclude(pk__in=matched)[:REMOVED_SHOWN])
        else:
            # Too many ids to leave out in one query: the first of the plan's ids not matched, then those.
            first = []
            for pk in actions.values_list("pk", flat=True).iterator(chunk_size=CHUNK):
                if pk not in matched:
                    first.append(pk)
                    if len(first) == REMOVED_SHOWN:
                        break
            shown = list(Action.objects.filter(pk__in=first).order_by("position", "pk"))
        return RemovedActions(count=count, shown=shown, plan=self.plan, matched=set(matched))

    def refs_in_use(self) -> set[str]:
        """Every reference of the plan: only asked for when the file has rows without one to number."""
        if self.plan is None or self.plan.pk is None:
            return set()
        return set(self.plan.actions.values_list("ref", flat=True))

    def updates_known_at(self, at: dt.datetime) -> dict[int, tuple]:
        """{action pk: its position at `at`} for the loaded actions (what a file dated then repeats or not)."""
        loaded = [action.pk for action in self.loaded]
        if self.in_order is not None:
            wanted = set(loaded)
            known = ActionUpdate.objects.filter(action__plan=self.plan).positions_at(at)
            return {pk: position for pk, position in known.items() if pk in wanted}
        known = {}
        for chunk in chunks(loaded):
            known |= ActionUpdate.objects.filter(action_id__in=chunk).positions_at(at)
        return known


def identity(area_title: str, title: str) -> tuple[str, str]:
    return (area_title.lower(), " ".join(title.lower().split()))


def actions_named(plan: Plan | None, importable: Iterable[ImportedAction]) -> NamedActions:
    """The actions of `plan` that the rows `importable` name, with their milestones, target changes,
    sponsors and leads; None or an unsaved plan has none."""
    named = NamedActions(plan=plan)
    if plan is None or plan.pk is None:
        return named
    importable = list(importable)
    named.plan_size = plan.actions.count()
    if 2 * len(importable) >= named.plan_size:
        # The file names most of the plan (the monthly re-import of the whole plan): its rows are read whole, a
        # query each, which costs less than naming thousands of ids in IN lists (Django prepares each one).
        _read_whole_plan(named, importable)
        _attach_related(named)
        return named
    refs = list(dict.fromkeys(imported.ref for imported in importable if imported.ref_given))
    for chunk in chunks(refs):
        for action in plan.actions.filter(ref__in=chunk).select_related("area"):
            named.by_ref[action.ref] = action
    if any(not imported.ref_given for imported in importable):
        # Titles are matched whatever their case and spacing, which no index answers: the plan's titles are
        # read as plain tuples, and only the actions they match are loaded.
        wanted = {identity(imported.area, imported.title) for imported in importable if not imported.ref_given}
        pks = {}
        for pk, area_title, title in plan.actions.values_list("pk", "area__title", "title"):
            key = identity(area_title, title)
            if key in wanted:
                pks[key] = pk  # the last of the plan's order wins, as a dict of them all did
        loaded = {action.pk: action for action in named.by_ref.values()}
        missing = [pk for pk in pks.values() if pk not in loaded]
        for chunk in chunks(missing):
            loaded |= {action.pk: action for action in plan.actions.filter(pk__in=chunk).select_related("area")}
        named.by_title = {key: loaded[pk] for key, pk in pks.items()}
    _attach_related(named)
    return named


def _read_whole_plan(named: NamedActions, importable: list[ImportedAction]) -> None:
    """by_ref and by_title from one read of the plan's actions in its order, each given its area from the
    plan's few areas (not one Area instance per action, as select_related makes)."""
    plan = named.plan
    areas = {area.pk: area for area in plan.areas.all()}
    refs = {imported.ref for imported in importable if imported.ref_given}
    titles = {identity(imported.area, imported.title) for imported in importable if not imported.ref_given}
    named.in_order = list(plan.actions.order_by("position", "pk"))
    for action in named.in_order:
        action.area = areas[action.area_id]
        if action.ref in refs:
            named.by_ref[action.ref] = action
        if titles and (key := identity(action.area.title, action.title)) in titles:
            named.by_title[key] = action  # the last of the plan's order wins


def _attach_related(named: NamedActions) -> None:
    """Milestones and target changes as the lists the RAG rule reads; sponsors and leads as id sets."""
    actions = {action.pk: action for action in named.loaded}
    milestones = {pk: [] for pk in actions}
    target_changes = {pk: [] for pk in actions}
    named.sponsor_ids = {pk: set() for pk in actions}
    named.lead_ids = {pk: set() for pk in actions}
    if named.in_order is not None:
        # The whole plan read: its related rows too, a query each, those of actions the file does not name left.
        selections = [{"action__plan": named.plan}]
    else:
        selections = [{"action_id__in": chunk} for chunk in chunks(list(actions))]
    for selection in selections:
        for milestone in Milestone.objects.filter(**selection).order_by("action", "position", "pk"):
            if milestone.action_id in actions:
                milestones[milestone.action_id].append(milestone)
        for change in TargetDateChange.objects.filter(**selection).order_by("pk"):
            if change.action_id in actions:
                target_changes[change.action_id].append(change)
        for action_id, sponsor_id in Action.sponsors.through.objects.filter(**selection).values_list(
            "action_id", "sponsor_id"
        ):
            if action_id in actions:
                named.sponsor_ids[action_id].add(sponsor_id)
        for action_id, person_id in Action.leads.through.objects.filter(**selection).values_list(
            "action_id", "person_id"
        ):
            if action_id in actions:
                named.lead_ids[action_id].add(person_id)
    for pk, action in actions.items():
        # The names Action._related_list reads, so no query is made per action afterwards.
        action.__dict__["prefetched_milestones"] = milestones[pk]
        action.__dict__["prefetched_target_changes"] = target_changes[pk]
