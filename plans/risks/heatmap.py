"""The 5x5 risk heat map as server-side SVG in the house style: band colour and pattern, count and band word in
each cell, and a title per cell for screen readers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.charts import FONT, Series, chart_id, pattern_defs, pattern_fills
from common.colours import INK

from ..models import Plan
from .register import (
    BAND_MEANINGS,
    IMPACT_WORDS,
    LIKELIHOOD_WORDS,
    Band,
    RiskReading,
    band_for,
    heat_counts,
    risk_register,
)

CELL, LEFT, TOP, BOTTOM = 64, 40, 8, 64


def risk_heat_map(readings: list[RiskReading], *, title: str) -> SafeString:
    """Likelihood across, impact up; each cell shows how many open risks score there and its band in words."""
    cells = heat_counts(readings)
    svg_id = chart_id()
    series = [Series(band.value, band.label, band.colour) for band in Band]
    width, height = LEFT + 5 * CELL + 8, TOP + 5 * CELL + BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="risk-heat-map" '
        f'role="group" aria-label="{escape(title)}" font-family="{FONT}">',
        f"<defs>{pattern_defs(svg_id, series)}</defs>",
    ]
    fills_at, shapes = len(parts), []  # the bands' fills, under the cells
    for impact in range(5, 0, -1):
        y = TOP + (5 - impact) * CELL
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + CELL / 2 + 4}" text-anchor="end" font-size="12" fill="{INK}" '
            f'aria-hidden="true">{impact}</text>'
        )
        for likelihood in range(1, 6):
            x = LEFT + (likelihood - 1) * CELL
            band = band_for(likelihood * impact)
            here = cells.get((likelihood, impact), [])
            refs = ", ".join(reading.risk.ref for reading in here)
            said = (
                f"Likelihood {likelihood} ({LIKELIHOOD_WORDS[likelihood]}), impact {impact} ({IMPACT_WORDS[impact]}): "
                f"score {likelihood * impact}, {band.label}; {len(here)} risk{'s' if len(here) != 1 else ''}"
                + (f": {refs}" if refs else "")
            )
            ink = band.colour.ink
            parts.append(f'<g role="img" aria-label="{escape(said)}"><title>{escape(said)}</title>')
            shapes.append((band.value, x, y, CELL - 2, CELL - 2))
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" fill="none" pointer-events="all"'
                f' stroke="{INK}" stroke-width="{2 if here else 0}"/>'
            )
            if here:
                parts.append(
                    f'<rect x="{x + CELL / 2 - 17}" y="{y + 10}" width="32" height="26" rx="4" fill="#fff"/>'
                    f'<text x="{x + CELL / 2 - 1}" y="{y + 30}" text-anchor="middle" font-size="20" '
                    f'font-weight="bold" fill="{INK}">{len(here)}</text>'
                )
            parts.append(
                f'<text x="{x + CELL / 2 - 1}" y="{y + CELL - 10}" text-anchor="middle" font-size="11" '
                f'fill="{ink}">{band.label}</text></g>'
            )
    axis_y = TOP + 5 * CELL
    for likelihood in range(1, 6):
        x = LEFT + (likelihood - 1) * CELL + CELL / 2 - 1
        parts.append(
            f'<text x="{x}" y="{axis_y + 16}" text-anchor="middle" font-size="12" fill="{INK}" aria-hidden="true">'
            f"{likelihood}</text>"
        )
    parts.append(
        f'<text x="{LEFT + 5 * CELL / 2}" y="{axis_y + 36}" text-anchor="middle" font-size="13" fill="{INK}" '
        f'aria-hidden="true">Likelihood (1 rare to 5 almost certain) →</text>'
        f'<text x="{LEFT + 5 * CELL / 2}" y="{axis_y + 56}" text-anchor="middle" font-size="12" fill="{INK}" '
        f'aria-hidden="true">{escape(_legend())}</text>'
        f'<text transform="translate(12 {TOP + 5 * CELL / 2}) rotate(-90)" text-anchor="middle" font-size="13" '
        f'fill="{INK}" aria-hidden="true">Impact →</text>'
    )
    parts.insert(fills_at, pattern_fills(svg_id, series, shapes))
    parts.append("</svg>")
    # Every piece of text written above comes from the code or passes through escape().
    return mark_safe("".join(parts))  # noqa: S308


def _legend() -> str:
    return "Scores: " + " · ".join(f"{band.label} {BAND_MEANINGS[band]}" for band in Band)


@dataclass(frozen=True)
class RiskOverview:
    """What the dashboard and the pack show of the register: the heat map and the risks to challenge."""

    readings: list[RiskReading]
    heat_map: SafeString

    @property
    def challenged(self) -> list[RiskReading]:
        return [reading for reading in self.readings if reading.needs_challenge]

    @property
    def by_score(self) -> list[RiskReading]:
        return sorted(self.readings, key=lambda reading: (-reading.score, reading.risk.position, reading.risk.pk))


def risk_overview(plan: Plan, *, as_of: dt.date, area_ids: Collection[int] | None = None) -> RiskOverview | None:
    """The register on `as_of` with its heat map, or None when the plan has no risks then.

    With `area_ids`, only the risks that an action of those areas mitigates (a pack scoped to some areas).
    """
    readings = risk_register(plan, as_of=as_of)
    if area_ids is not None:
        readings = [r for r in readings if any(m.action.area_id in area_ids for m in r.mitigations)]
    if not readings:
        return None
    title = f"Open risks of {plan.title} by likelihood and impact on {as_of:%-d %B %Y}"
    return RiskOverview(readings=readings, heat_map=risk_heat_map(readings, title=title))
