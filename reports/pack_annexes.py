"""The pack's annexes from the plans app: the work stream timeline (landscape pages) and the risk register."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plans.risks.heatmap import risk_overview
from plans.timeline import plan_window, timeline_links, timeline_svg

from .pack_scope import PackScope

if TYPE_CHECKING:
    import datetime as dt

    from plans.models import Plan
    from plans.reading import ActionReading
    from plans.summary import PlanSummary

# Rows of bars on one landscape A4 page: an SVG cannot break across pages, so the timeline comes in pieces.
ROWS_PER_PAGE = 18


def _pages(summary: PlanSummary) -> list[list[tuple[str, list[ActionReading]]]]:
    """The areas' actions in page-sized pieces, an area continued on the next page under its own title."""
    pages: list[list[tuple[str, list[ActionReading]]]] = [[]]
    room = ROWS_PER_PAGE
    for area in summary.areas:
        readings = list(area.readings)
        continued = False
        while readings:
            if room <= 1:
                pages.append([])
                room = ROWS_PER_PAGE
            taken, readings = readings[: room - 1], readings[room - 1 :]
            title = f"{area.area} (continued)" if continued else str(area.area)
            pages[-1].append((title, taken))
            room -= len(taken) + 1
            continued = True
    return [page for page in pages if page]


def pack_annexes(
    plan: Plan,
    as_of: dt.date,
    summary: PlanSummary,
    *,
    in_pack_font: Callable[[str], str],
    scope: PackScope | None = None,
    link_actions: bool = False,
) -> dict[str, Any]:
    """The timeline's pages (SVGs in the pack's font) and the risk register with its heat map, read on `as_of`.

    With a `scope`, only the annexes it prints, and only the risks its areas' actions mitigate. The timeline's rows
    link to the actions' pages with `link_actions` (the browser's preview); in the PDF the timeline is an image.
    """
    scope = scope or PackScope()
    readings = [reading for area in summary.areas for reading in area.readings]
    overview = risk_overview(plan, as_of=as_of, area_ids=scope.area_ids) if scope.shows("risks") else None
    risks = {"risks": overview, "risk_map": in_pack_font(overview.heat_map) if overview else ""}
    if not scope.shows("timeline"):
        return {"timeline": [], "late": []} | risks
    window = plan_window(plan, as_of, readings=readings)
    links = timeline_links(readings)
    pages = _pages(summary)
    timeline = [
        in_pack_font(
            timeline_svg(
                groups,
                window=window,
                today=as_of,
                links=links,
                link_actions=link_actions,
                title=f"Timeline of the plan's actions, part {number} of {len(pages)}, as at {as_of:%-d %B %Y}",
            )
        )
        for number, groups in enumerate(pages, 1)
    ]
    return {"timeline": timeline, "late": [reading for reading in readings if reading.late_prerequisites]} | risks
