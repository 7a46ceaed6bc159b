"""SVG charts drawn on the server in the house style, shared by the dashboard, KPI pages and board packs: the KPI
charts with pygal (kpis/charts.py, with the style and options here), the RAG bars by hand.

Charts must read in greyscale (board packs are printed on office printers), so each colour
also has a fill pattern (common/colours.py) and every bar carries its number; they must also be safe to embed in a
page or a PDF, so the SVG holds no script and refers to nothing outside itself.
"""

import itertools
import re
import uuid
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

from .colours import INK, Colour

LABEL_FONT = 13
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    """One part of a stacked bar: the key its counts are held under, its name in the legend, and its colour."""

    key: str
    label: str
    colour: Colour


def _patterns(chart_id, series):
    """The <defs> patterns for one chart; ids carry the chart's id so several charts can share a page. A colour with
    no marks (green) has none: pattern_fills fills with the plain colour."""
    patterns = []
    for part in series:
        if not part.colour.pattern:
            continue
        slant = ' patternTransform="rotate(45)"' if part.colour.slant else ""
        patterns.append(
            f'<pattern id="{chart_id}-{part.key}" patternUnits="userSpaceOnUse" width="8" height="8"{slant}>'
            f'<rect width="8" height="8" fill="{part.colour.fill}"/>{part.colour.pattern}</pattern>'
        )
    return patterns


def pattern_defs(chart_id, series):
    """The colours' fill patterns for a chart drawn by hand (a timeline, a heat map), used through pattern_fills."""
    return "".join(_patterns(chart_id, series))


def pattern_fills(svg_id, series, shapes):
    """The fills of a chart's patterned rectangles as one <path> per colour: put it before the rectangles, which are
    then drawn with fill="none" (keeping their outline, title and link) and pointer-events="all" (a browser still
    shows their title, and follows their link, anywhere inside them).

    A PDF holds a copy of a pattern for every shape WeasyPrint fills with it: one chart of a 1,000-action plan held a
    thousand copies of five patterns, most of the objects in the pack's PDF and a share of its time (issue 20).
    `shapes` are (key, x, y, width, height) or, for a part drawn faded, (key, x, y, width, height, opacity), each key
    one of `series`'.
    """
    colours = {part.key: part.colour for part in series}
    paths = {}
    for key, x, y, width, height, *opacity in shapes:
        paths.setdefault((key, *opacity), []).append(f"M{x:.1f} {y:.1f}h{width:.1f}v{height:.1f}h{-width:.1f}Z")
    return "".join(
        f'<path d="{"".join(outlines)}" fill="{_fill(svg_id, key, colours[key])}"'
        + (f' fill-opacity="{faded[0]}"' if faded else "")
        + "/>"
        for (key, *faded), outlines in paths.items()
    )


def _fill(svg_id, key, colour):
    return f"url(#{svg_id}-{key})" if colour.pattern else colour.fill


def chart_id():
    """An id unique to one chart, so that several charts' patterns can share a page."""
    return f"c{uuid.uuid4().hex[:10]}"


def chart_style(colors, **overrides):
    """The house style; any option can be overridden by the chart that needs it."""
    options = {
        "font_family": FONT,
        "background": "white",
        "plot_background": "white",
        "foreground": INK,
        "foreground_strong": INK,
        "foreground_subtle": "#505a5f",
        "opacity": "1",
        "opacity_hover": "1",
        "label_font_size": 13,
        "major_label_font_size": 13,
        "legend_font_size": 13,
        "value_font_size": 12,
        "value_label_font_size": 12,
        "title_font_size": 15,
        "tooltip_font_size": 12,
        "guide_stroke_color": "#b1b4b6",
        "major_guide_stroke_color": "#b1b4b6",
        "guide_stroke_dasharray": "2,4",
        "major_guide_stroke_dasharray": "2,4",
    }
    return Style(colors=tuple(colors), **(options | overrides))


def base_config(**options):
    """Options every chart shares: no JavaScript, no external stylesheet, sized by its container."""
    return {
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "show_legend": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 5,
        "margin": 8,
        "truncate_label": -1,
        "truncate_legend": -1,
        **options,
    }


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal writes each value's tooltip data (value, x, y, label) as classed <desc> elements for its script, which is
# removed: four per bar, most of a bar chart's elements, that every page and PDF would otherwise carry and parse.
_TOOLTIP_DATA = re.compile(r'<desc class="[^"]*">[^<]*</desc>')


def svg(chart, *, title):
    """The chart as inline SVG, labelled for screen readers, with pygal's inline config script removed."""
    rendered = chart.render(is_unicode=True)
    rendered = _TOOLTIP_DATA.sub("", _COMMENT.sub("", _SCRIPT.sub("", rendered)))
    # pygal hides its (unused, script-driven) tooltip with a style attribute, which the page's CSP refuses;
    # the SVG attribute does the same and is not a style.
    rendered = rendered.replace('style="opacity: 0"', 'opacity="0"')
    rendered = rendered.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return mark_safe(rendered)  # noqa: S308 - pygal escapes every label and value it writes


def rag_bars(rows, *, series, title, height_per_row=34, width=900, legend=True):
    """A horizontal stacked bar per row, parts in the order of `series`, with each part's number written on it.

    `rows` is a list of (label, {key: count}) pairs; `series` a list of Series, worst first.

    Drawn here rather than by pygal, which the other charts use: its configuration and stylesheet cost 9 ms for
    the demo's nine areas and 23 ms for forty on every dashboard, and a board pack laid out its 60 rules per chart
    (issue 20); this is a few rectangles and numbers.
    """
    svg_id = chart_id()
    height = max(160, (90 if legend else 60) + height_per_row * len(rows))
    longest = max((len(label) for label, _counts in rows), default=0)
    # Labels keep their whole text, as pygal's did, but never take more than half the width: longer ones are cut.
    label_width = min(longest * LABEL_FONT * 0.55 + 12, width * 0.5)
    left, right, top = 8 + label_width, width - 12, 8
    bottom = height - (54 if legend else 26)  # under the bars: the scale's numbers, then the legend
    ticks = _scale([sum(counts.get(part.key, 0) for part in series) for _label, counts in rows])
    per_unit = (right - left) / ticks[-1]
    row_height = (bottom - top) / max(len(rows), 1)
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" class="rag-chart" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" fill="{INK}">',
        f"<defs>{pattern_defs(svg_id, series)}</defs>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for tick in ticks:
        x = left + tick * per_unit
        parts.append(
            f'<path d="M{x:.1f} {top}V{bottom}" stroke="#b1b4b6" stroke-dasharray="2,4"/>'
            f'<text x="{x:.1f}" y="{bottom + 17}" font-size="{LABEL_FONT}" text-anchor="middle">{tick}</text>'
        )
    fills_at, shapes = len(parts), []  # the colours' fills go under the bars, over the scale's lines
    for index, (label, counts) in enumerate(rows):
        y = top + index * row_height
        middle = y + row_height / 2
        parts.append(
            f'<text x="{left - 6:.1f}" y="{middle + 4.5:.1f}" font-size="{LABEL_FONT}" text-anchor="end">'
            f"{escape(_cut(label, label_width))}</text>"
        )
        x = left
        for part in series:
            count = counts.get(part.key, 0)
            if not count:
                continue
            bar = count * per_unit
            shapes.append((part.key, x, y + 3, bar, row_height - 6))
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="{bar:.1f}" height="{row_height - 6:.1f}" '
                f'fill="none" pointer-events="all"><title>{count} {escape(part.label)}</title></rect>'
            )
            parts.append(_value_label(x + bar / 2, middle + 4, count))
            x += bar
    parts.append(f'<path d="M{left:.1f} {top}V{bottom}H{right:.1f}" stroke="{INK}" fill="none"/>')
    if legend:
        step = (width - 16) / 5
        for index, part in enumerate(series):
            x, y = 8 + index * step, height - 22
            shapes.append((part.key, x, y, 12, 12))
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="none" stroke="{INK}" '
                f'stroke-width=".5"/><text x="{x + 17:.1f}" y="{y + 10.5}" font-size="{LABEL_FONT}">'
                f"{escape(part.label)}</text>"
            )
    parts.insert(fills_at, pattern_fills(svg_id, series, shapes))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above


def _scale(totals):
    """The scale's marks, 0 to at least the longest bar, in steps of 1, 2 or 5 times a power of ten, ten at most."""
    longest = max([*totals, 1])
    step = next(
        base * 10**power for power in itertools.count() for base in (1, 2, 5) if longest <= 10 * base * 10**power
    )
    return list(range(0, -(-longest // step) * step + 1, step))


def _cut(label, room):
    """The label, cut with an ellipsis where it would not fit in `room` pixels."""
    fits = int((room - 12) / (LABEL_FONT * 0.55))
    return label if len(label) <= fits else label[: max(fits - 1, 1)].rstrip() + "…"


def _value_label(x, y, number):
    """A number on a bar, written on a small white label in ink: readable over stripes, dots and hatching, and in
    black and white (a number printed straight onto a patterned bar is lost in it)."""
    width, height = 7.5 * len(str(number)) + 6, 15
    return (
        f'<rect x="{x - width / 2:.1f}" y="{y - 11.5:.1f}" width="{width:.1f}" height="{height}" rx="2" '
        f'fill="#fff" stroke="{INK}" stroke-width=".5"/>'
        f'<text text-anchor="middle" x="{x:.1f}" y="{y:.1f}" font-size="12" class="value">{number}</text>'
    )
