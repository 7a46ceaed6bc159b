"""The plan's timeline: areas, each action from start to target, milestones, moved targets, the today line and
dependencies, drawn on the server as SVG in the house style (no JavaScript), for the page and the board pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max, Min, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.charts import FONT, chart_id, pattern_defs, pattern_fills
from common.colours import INK, RAG_COLOURS

from .models import Dependency, Plan
from .rag import RAG, RAG_ORDER, RAG_SERIES
from .reading import ActionReading

ROW, AREA_ROW, AXIS, LEGEND = 22, 24, 34, 48
LABEL_W, WORD_W, TRACK_W = 300, 58, 610
TRACK_X = LABEL_W + WORD_W
WIDTH = TRACK_X + TRACK_W + 12
LABEL_CHARS = 40
GUIDE, MUTED = "#b1b4b6", "#505a5f"
LATE_LINK = RAG_COLOURS[RAG.RED].fill


@dataclass(frozen=True)
class Window:
    """The dates the timeline spans; every page and pack section of a plan shares one, so bars line up."""

    start: dt.date
    end: dt.date

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        offset = min(max((day - self.start).days, 0), span)
        return round(TRACK_X + TRACK_W * offset / span, 1)


def plan_window(plan: Plan, today: dt.date, *, readings: Sequence[ActionReading] | None = None) -> Window:
    """From the plan's first start (or target) to its last target, with today inside, in whole months.

    Given `readings` of every action of the plan (a board pack has them), no query is needed.
    """
    if readings is None:
        dates = list(plan.actions.aggregate(Min("start_date"), Min("target_date"), Max("target_date")).values())
    else:
        dates = [r.action.start_date for r in readings] + [r.slippage.target_date for r in readings]
    known = [day for day in (*dates, plan.period_start, plan.period_end, today) if day]
    start, end = min(known), max(known)
    end = end if end > start else start + dt.timedelta(days=90)
    next_month = end.replace(day=28) + dt.timedelta(days=4)
    return Window(start=start.replace(day=1), end=next_month.replace(day=1) - dt.timedelta(days=1))


@dataclass(frozen=True)
class Link:
    """`action_id` waits for `prerequisite_id`; `late` when the prerequisite holds it up."""

    prerequisite_id: int
    action_id: int
    prerequisite_ref: str
    action_ref: str
    late: bool


def timeline_links(readings: Iterable[ActionReading]) -> list[Link]:
    """Every dependency touching `readings` (one query), late as the readings say (see with_late_prerequisites)."""
    by_pk = {reading.action.pk: reading for reading in readings}
    rows = Dependency.objects.filter(Q(action__in=list(by_pk)) | Q(prerequisite__in=list(by_pk))).values_list(
        "prerequisite_id", "action_id", "prerequisite__ref", "action__ref"
    )
    links = []
    for prerequisite_id, action_id, prerequisite_ref, action_ref in rows:
        dependent = by_pk.get(action_id)
        late = dependent is not None and any(late.action.pk == prerequisite_id for late in dependent.late_prerequisites)
        links.append(Link(prerequisite_id, action_id, prerequisite_ref, action_ref, late))
    return links


def _date(day: dt.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "no date"


def _bar_span(reading: ActionReading, window: Window) -> tuple[dt.date, dt.date, bool]:
    """(from, to, open-ended): an action with no target runs to the window's end, drawn as open."""
    action, target = reading.action, reading.slippage.target_date
    start = action.start_date or (min(target, window.start) if target else window.start)
    if target is None:
        return start, window.end, True
    return min(start, target), max(start, target), False


def _described(reading: ActionReading) -> str:
    """What a screen reader says for the action's row: the words behind every mark drawn."""
    action, slippage = reading.action, reading.slippage
    words = [f"Action {action.ref}: {action.title}.", f"{reading.rag.words}."]
    words.append(f"Starts {_date(action.start_date)}; target {_date(slippage.target_date)}.")
    if slippage.times_moved and slippage.original_target_date != slippage.target_date:
        words.append(f"Originally due {_date(slippage.original_target_date)}.")
    for milestone in action.milestone_list:
        if milestone.target_date:
            done = milestone.done_on and milestone.done_on <= reading.as_of
            words.append(f"Milestone {'done' if done else 'due'} {_date(milestone.target_date)}: {milestone.title}.")
    for late in reading.late_prerequisites:
        words.append(f"Waiting on a late prerequisite: {late.why}.")
    return " ".join(words)


def _diamond(x: float, y: float, size: float, *, fill: str, stroke: str = INK) -> str:
    return (
        f'<path d="M{x} {y - size}L{x + size} {y}L{x} {y + size}L{x - size} {y}Z" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.2"/>'
    )


def _axis(window: Window, top: int, bottom: int) -> list[str]:
    months = (window.end.year - window.start.year) * 12 + window.end.month - window.start.month + 1
    step = 1 if months <= 18 else 3 if months <= 48 else 12
    parts = []
    year, month = window.start.year, window.start.month
    for index in range(months):
        day = dt.date(year + (month - 1 + index) // 12, (month - 1 + index) % 12 + 1, 1)
        if index % step:
            continue
        x = window.x(day)
        label = f"{day:%b %y}" if step < 12 else f"{day:%Y}"
        parts.append(f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{bottom}" stroke="{GUIDE}" stroke-dasharray="2,4"/>')
        parts.append(f'<text x="{x + 3}" y="{top - 10}" font-size="11" fill="{MUTED}">{label}</text>')
    return parts


def _legend(svg_id: str, y: float, shapes: list[tuple]) -> list[str]:
    parts = [f'<g aria-hidden="true" font-size="11" fill="{INK}">']
    x = 4.0
    for rag in RAG_ORDER:
        shapes.append((rag.value, x, y, 18, 11))
        parts.append(
            f'<rect x="{x}" y="{y}" width="18" height="11" fill="none" stroke="{INK}" '
            f'stroke-width=".5"/><text x="{x + 22}" y="{y + 10}">{rag.words}</text>'
        )
        x += 34 + 6.2 * len(rag.words)
    y2 = y + 22
    parts.append(_diamond(10, y2 + 5, 5, fill=INK) + f'<text x="20" y="{y2 + 9}">milestone done</text>')
    parts.append(_diamond(120, y2 + 5, 5, fill="#fff") + f'<text x="130" y="{y2 + 9}">milestone due</text>')
    parts.append(
        f'<line x1="225" y1="{y2}" x2="225" y2="{y2 + 11}" stroke="{INK}" stroke-width="2"/>'
        f'<text x="231" y="{y2 + 9}">original target (moved)</text>'
        f'<line x1="380" y1="{y2 + 5}" x2="404" y2="{y2 + 5}" stroke="{INK}" marker-end="url(#{svg_id}-arrow)"/>'
        f'<text x="410" y="{y2 + 9}">depends on</text>'
        f'<line x1="490" y1="{y2 + 5}" x2="514" y2="{y2 + 5}" stroke="{LATE_LINK}" stroke-width="2" '
        f'stroke-dasharray="4,2" marker-end="url(#{svg_id}-arrow-late)"/>'
        f'<text x="520" y="{y2 + 9}">waits on a late prerequisite</text>'
        f'<line x1="700" y1="{y2 - 1}" x2="700" y2="{y2 + 12}" stroke="{INK}" stroke-width="2" '
        f'stroke-dasharray="3,2"/><text x="706" y="{y2 + 9}">today</text>'
    )
    parts.append("</g>")
    return parts


def timeline_svg(
    groups: Sequence[tuple[str, Sequence[ActionReading]]],
    *,
    window: Window,
    today: dt.date,
    links: Iterable[Link] = (),
    title: str,
    link_actions: bool = True,
) -> SafeString:
    """One SVG for `groups` ([(area title, readings)]): a row per action under its area's heading.

    Each action is a link to its page whose label says in words what the marks show; its bar carries
    data-ref="<ref>". Links between two actions drawn here become arrows; the rest are the page's to list.
    Without `link_actions` each row is a group with the same label: a board pack's PDF shows the timeline as an
    image, where a link leads nowhere, and WeasyPrint lays out an SVG <a> as text, letter by letter.
    """
    svg_id = chart_id()
    rows = sum(len(readings) for _area, readings in groups)
    height = AXIS + rows * ROW + len(groups) * AREA_ROW + LEGEND + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="timeline" '
        f'role="group" aria-label="{escape(title)}" font-family="{FONT}">',
        f"<defs>{pattern_defs(svg_id, RAG_SERIES)}",
        f'<marker id="{svg_id}-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8Z" fill="{INK}"/></marker>',
        f'<marker id="{svg_id}-arrow-late" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="8" markerHeight="8" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8Z" fill="{LATE_LINK}"/></marker></defs>',
        f'<text x="4" y="{AXIS - 10}" font-size="11" fill="{MUTED}" aria-hidden="true">Action</text>',
        f'<text x="{LABEL_W}" y="{AXIS - 10}" font-size="11" fill="{MUTED}" aria-hidden="true">RAG</text>',
    ]
    bottom = height - LEGEND - 8
    parts += _axis(window, AXIS, bottom)
    fills_at, shapes = len(parts), []  # the colours' fills go under the bars, over the axis' lines
    ends: dict[int, tuple[float, float, float]] = {}  # action id: (bar start x, bar end x, row middle y)
    y = AXIS
    for area_title, readings in groups:
        parts.append(
            f'<rect x="0" y="{y}" width="{WIDTH}" height="{AREA_ROW - 2}" fill="#f3f2f1"/>'
            f'<text x="4" y="{y + 16}" font-size="13" font-weight="bold" fill="{INK}">'
            f"{escape(_truncate(area_title, 110))}</text>"
        )
        y += AREA_ROW
        for reading in readings:
            parts.append(_action_row(reading, window, y, shapes, link=link_actions))
            start, end, _open = _bar_span(reading, window)
            ends[reading.action.pk] = (window.x(start), window.x(end), y + ROW / 2)
            y += ROW
    for link in links:
        if link.prerequisite_id in ends and link.action_id in ends:
            parts.append(_link_path(link, ends, svg_id))
    x_today = window.x(today)
    parts.append(
        f'<line x1="{x_today}" y1="{AXIS - 4}" x2="{x_today}" y2="{bottom}" stroke="{INK}" stroke-width="2" '
        f'stroke-dasharray="3,2"><title>Today, {today:%-d %B %Y}</title></line>'
    )
    parts += _legend(svg_id, bottom + 12, shapes)
    parts.insert(fills_at, pattern_fills(svg_id, RAG_SERIES, shapes))
    parts.append("</svg>")
    # Every text written above is escaped (user text) or written by this module.
    return mark_safe("".join(parts))  # noqa: S308


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _action_row(reading: ActionReading, window: Window, y: float, shapes: list[tuple], *, link: bool) -> str:
    """The action's row, a link to its page if `link`; its bar's fill is added to `shapes` (charts.pattern_fills)."""
    action, slippage = reading.action, reading.slippage
    middle = y + ROW / 2
    start, end, open_ended = _bar_span(reading, window)
    x1, x2 = window.x(start), window.x(end)
    described = escape(_described(reading))
    colour = RAG_COLOURS[reading.rag]
    late = " ⚠" if reading.late_prerequisites else ""
    row = f'a href="{escape(action.get_absolute_url())}"' if link else "g"
    parts = [
        f'<{row} aria-label="{described}"><title>{described}</title>',
        f'<text x="4" y="{middle + 4}" font-size="12" fill="{INK}">'
        f"{escape(_truncate(f'{action.ref}. {action.title}', LABEL_CHARS))}</text>",
        f'<text x="{LABEL_W}" y="{middle + 4}" font-size="11" fill="{INK}">{reading.rag.label}{late}</text>',
        f'<g class="timeline-bar" data-ref="{escape(action.ref)}" data-rag="{reading.rag.value}">',
        f'<rect x="{x1}" y="{y + 4}" width="{max(x2 - x1, 3)}" height="{ROW - 8}" fill="none" pointer-events="all"'
        f' stroke="{INK if colour.fill != RAG_COLOURS[RAG.GREY].fill else MUTED}" stroke-width=".6"'
        + (' stroke-dasharray="4,3"' if open_ended else "")
        + "/>",
    ]
    shapes.append((reading.rag.value, x1, y + 4, max(x2 - x1, 3), ROW - 8, *([".55"] if open_ended else [])))
    original = slippage.original_target_date
    if slippage.times_moved and original and original != slippage.target_date:
        xo = window.x(original)
        parts.append(
            f'<line x1="{xo}" y1="{y + 1}" x2="{xo}" y2="{y + ROW - 1}" stroke="{INK}" stroke-width="2"/>'
            f'<line x1="{xo}" y1="{middle}" x2="{x2}" y2="{middle}" stroke="{INK}" stroke-dasharray="2,2"/>'
        )
    for milestone in action.milestone_list:
        if milestone.target_date:
            done = milestone.done_on is not None and milestone.done_on <= reading.as_of
            parts.append(_diamond(window.x(milestone.target_date), middle, 5, fill=INK if done else "#fff"))
    parts.append(f"</g></{'a' if link else 'g'}>")
    return "".join(parts)


def _link_path(link: Link, ends: dict[int, tuple[float, float, float]], svg_id: str) -> str:
    _start, x1, y1 = ends[link.prerequisite_id]
    x2, _end, y2 = ends[link.action_id]
    # Finish to start: from the prerequisite's end to the dependent's bar, landing on its edge from above or below
    # (where the dependent starts before the prerequisite ends, the arrow lands inside its bar: the clash shows).
    landing = max(x1 + 6, x2 + 4)
    edge = y2 - (ROW / 2 - 4) if y2 > y1 else y2 + (ROW / 2 - 4)
    path = f"M{x1} {y1}H{landing}V{edge}"
    said = f"{link.action_ref} depends on {link.prerequisite_ref}" + (", which is late" if link.late else "")
    style = (
        f'stroke="{LATE_LINK}" stroke-width="2" stroke-dasharray="4,2" marker-end="url(#{svg_id}-arrow-late)"'
        if link.late
        else f'stroke="{INK}" stroke-width="1" marker-end="url(#{svg_id}-arrow)"'
    )
    return f'<path d="{path}" fill="none" {style}><title>{escape(said)}</title></path>'
