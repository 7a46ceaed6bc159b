"""What a board pack covers: the areas it reports (chosen by area or by theme) and the parts it prints.

A committee often takes only "the specific areas relating to safeguarding" (seed 002's appendix): a scoped pack
reads only those areas' actions, so its summary, exceptions, movement, timeline and glossary are theirs alone, and
its KPIs and risks are those linked to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from plans.models import Area, Theme

if TYPE_CHECKING:
    from plans.models import Plan

    from .models import BoardPack

# In the order the pack prints them; the first five are numbered, the annexes lettered.
PACK_PARTS = (
    ("summary", "Executive summary"),
    ("exceptions", "Exceptions"),
    ("areas", "Area by area"),
    ("kpis", "Key performance indicators"),
    ("glossary", "Glossary"),
    ("timeline", "Annex: timeline of the actions"),
    ("risks", "Annex: risk register"),
)
PART_KEYS = tuple(key for key, _label in PACK_PARTS)
NUMBERED_PARTS = ("summary", "exceptions", "areas", "kpis", "glossary")

UNKNOWN_AREA = 'The plan "{plan}" has no area "{name}". Its areas are: {choices}.'
UNKNOWN_THEME = 'The plan "{plan}" has no theme "{name}". {choices}'
UNKNOWN_PART = 'A pack has no part "{name}". Its parts are: {choices}.'
NO_PARTS = "Choose at least one part of the pack to print."
AREAS_OF_ANOTHER_PLAN = "Choose areas and themes of this plan only."


class UnknownName(ValueError):
    """A name given for an area, theme or part that the plan or the pack does not have; the message lists them."""


@dataclass(frozen=True)
class PackScope:
    """The areas a pack reports on (`area_ids` None: all) and its parts; `described` says so in words for the cover."""

    area_ids: frozenset[int] | None = None
    parts: tuple[str, ...] = PART_KEYS
    described: tuple[str, ...] = field(default=())

    @property
    def is_whole_plan(self) -> bool:
        return self.area_ids is None

    def shows(self, part: str) -> bool:
        return part in self.parts


def scope_for(
    *, areas: Iterable[Area] = (), themes: Iterable[Theme] = (), parts: Iterable[str] | None = None
) -> PackScope:
    """The scope of the areas chosen, the areas of the themes chosen, and the parts (None or empty: all)."""
    areas, themes = list(areas), list(themes)
    chosen = [part for part in PART_KEYS if part in set(parts or ())] or list(PART_KEYS)
    if not areas and not themes:
        return PackScope(parts=tuple(chosen))
    area_ids = {area.pk for area in areas}
    if themes:
        area_ids |= set(Area.objects.filter(theme__in=themes).values_list("pk", flat=True))
    described = [f"the theme {theme}" for theme in themes] + [str(area) for area in areas]
    return PackScope(area_ids=frozenset(area_ids), parts=tuple(chosen), described=tuple(described))


def stored_scope(pack: BoardPack) -> PackScope:
    """The scope kept with a saved pack, read in one query; an unsaved one (the board_pack command's) covers all.

    The areas chosen and the areas of the themes chosen come back together, each saying which way it was chosen.
    (A theme chosen with no areas at all chooses nothing, and is not described.)
    """
    from .models import BoardPack

    if pack.pk is None:
        return scope_for(parts=pack.sections)
    chosen_area = BoardPack.areas.through.objects.filter(boardpack=pack.pk, area=OuterRef("pk"))
    chosen_theme = BoardPack.themes.through.objects.filter(boardpack=pack.pk, theme=OuterRef("theme"))
    areas = list(
        Area.objects.annotate(by_area=Exists(chosen_area), by_theme=Exists(chosen_theme))
        .filter(Q(by_area=True) | Q(by_theme=True))
        .select_related("theme")
        .order_by("position", "pk")
    )
    parts = [part for part in PART_KEYS if part in set(pack.sections or ())] or list(PART_KEYS)
    if not areas:
        return PackScope(parts=tuple(parts))
    themes = list({area.theme_id: area.theme for area in areas if area.by_theme}.values())
    described = [f"the theme {theme}" for theme in themes] + [str(area) for area in areas if area.by_area]
    return PackScope(area_ids=frozenset(area.pk for area in areas), parts=tuple(parts), described=tuple(described))


def _matches(area: Area, name: str) -> bool:
    name = name.strip().casefold()
    number = area.number.strip().rstrip(".").casefold()
    return name in (area.title.strip().casefold(), str(area).casefold()) or bool(number) and name.rstrip(".") == number


def areas_named(plan: Plan, names: Iterable[str]) -> list[Area]:
    """The plan's areas named by title or by number ("3", "Front door", "3. Front door"), in the plan's order."""
    areas = list(plan.areas.all())
    chosen = set()
    for name in names:
        found = [area for area in areas if _matches(area, name)]
        if not found:
            choices = "; ".join(str(area) for area in areas) or "none"
            raise UnknownName(UNKNOWN_AREA.format(plan=plan, name=name, choices=choices))
        chosen.update(area.pk for area in found)
    return [area for area in areas if area.pk in chosen]


def themes_named(plan: Plan, names: Iterable[str]) -> list[Theme]:
    themes = list(plan.themes.all())
    chosen = set()
    for name in names:
        found = [theme for theme in themes if theme.title.strip().casefold() == name.strip().casefold()]
        if not found:
            listed = "; ".join(str(theme) for theme in themes)
            choices = f"Its themes are: {listed}." if themes else "It has no themes."
            raise UnknownName(UNKNOWN_THEME.format(plan=plan, name=name, choices=choices))
        chosen.update(theme.pk for theme in found)
    return [theme for theme in themes if theme.pk in chosen]


def parts_named(names: Iterable[str]) -> list[str]:
    """Parts by key or by label ("kpis", "Glossary"), in the pack's order."""
    labels = {label.casefold(): key for key, label in PACK_PARTS} | {key: key for key in PART_KEYS}
    chosen = set()
    for name in names:
        key = labels.get(name.strip().casefold())
        if key is None:
            raise UnknownName(UNKNOWN_PART.format(name=name, choices=", ".join(PART_KEYS)))
        chosen.add(key)
    return [key for key in PART_KEYS if key in chosen]
