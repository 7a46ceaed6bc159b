"""What measures a plan's areas and themes: the apps above plans say so here, as plans may not import them.

kpis registers a provider when it starts (kpis.apps): given a plan, it returns the indicators linked to each of
its areas and themes. The plan page and export_plan read them through `plan_measures`, in one call per plan,
without knowing what an indicator is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Plan


@dataclass(frozen=True)
class Measure:
    """An indicator as the plan shows it: its name and where to read it."""

    name: str
    url: str = ""


@dataclass
class PlanMeasures:
    """{area pk: [Measure]} and {theme pk: [Measure]}, in the order the provider gives them."""

    areas: dict[int, list[Measure]] = field(default_factory=dict)
    themes: dict[int, list[Measure]] = field(default_factory=dict)

    def of_area(self, area_pk: int) -> list[Measure]:
        return self.areas.get(area_pk, [])

    def of_theme(self, theme_pk: int) -> list[Measure]:
        return self.themes.get(theme_pk, [])


Provider = Callable[["Plan"], PlanMeasures]
_providers: list[Provider] = []


def register_measures(provider: Provider) -> None:
    """Called by an app's ready(): `provider(plan)` gives the measures of the plan's areas and themes."""
    if provider not in _providers:
        _providers.append(provider)


def plan_measures(plan: Plan) -> PlanMeasures:
    """The measures every registered provider gives for the plan's areas and themes (none without a provider)."""
    measures = PlanMeasures()
    for provider in _providers:
        given = provider(plan)
        for pk, found in given.areas.items():
            measures.areas.setdefault(pk, []).extend(found)
        for pk, found in given.themes.items():
            measures.themes.setdefault(pk, []).extend(found)
    return measures
