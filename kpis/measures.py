"""The indicators that measure each area and theme of a plan, given to plans through plans.measures."""

from __future__ import annotations

from plans.measures import Measure, PlanMeasures
from plans.models import Plan

from .models import Indicator


def indicator_measures(plan: Plan) -> PlanMeasures:
    """{area pk: [Measure]} and {theme pk: [Measure]} of the plan, in the scorecard's order; two queries."""
    measures = PlanMeasures()
    order = [f"indicator__{name}" for name in Indicator._meta.ordering]
    for through, key, target in (
        (Indicator.areas.through, "area", measures.areas),
        (Indicator.themes.through, "theme", measures.themes),
    ):
        links = through.objects.filter(**{f"{key}__plan": plan}).select_related("indicator").order_by(*order)
        for link in links:
            indicator = link.indicator
            target.setdefault(getattr(link, f"{key}_id"), []).append(
                Measure(name=indicator.name, url=indicator.get_absolute_url())
            )
    return measures
