"""SVG charts drawn on the server with pygal in the house style, shared by the dashboard, KPI pages and board packs.

Charts must read in greyscale (board packs are printed on office printers), so each colour
also has a fill pattern (common/colours.py) and every bar carries its number; they must also be safe to embed in a
page or a PDF, so the SVG holds no script and refers to nothing outside itself.
"""

import re
import uuid
from dataclasses import dataclass

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

from .colours import INK, Colour

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    """One part of a stacked bar: the key its counts are held under, its name in the legend, and its colour."""

    key: str
    label: str
    colour: Colour


def _patterns(chart_id, series):
    """The <defs> patterns for one chart; ids carry the chart's id so several charts can share a page."""
    patterns = []
    for part in series:
        slant = ' patternTransform="rotate(45)"' if part.colour.slant else ""
        patterns.append(
            f'<pattern id="{chart_id}-{part.key}" patternUnits="userSpaceOnUse" width="8" height="8"{slant}>'
            f'<rect width="8" height="8" fill="{part.colour.fill}"/>{part.colour.pattern}</pattern>'
        )
    return patterns


def pattern_defs(chart_id, series):
    """The colours' fill patterns for a chart drawn by hand (a timeline, a heat map): fill="url(#<id>-<key>)"."""
    return "".join(_patterns(chart_id, series))


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
    """
    chart_id = f"c{uuid.uuid4().hex[:10]}"
    colors = [f"url(#{chart_id}-{part.key})" for part in series]
    chart = pygal.HorizontalStackedBar(
        **base_config(
            width=width,
            height=max(160, (90 if legend else 60) + height_per_row * len(rows)),
            print_values=True,
            print_zeroes=False,
            show_y_guides=False,
            show_x_guides=True,
            defs=_patterns(chart_id, series),
            # Numbers are written in ink on a white label (_values_on_light_labels), whatever the bar's colour.
            style=chart_style(colors, value_colors=tuple(INK for _part in series)),
            spacing=6,
            # Without its legend when the page says what each colour is beside the chart.
            show_legend=legend,
        )
    )
    # pygal draws the first row at the bottom; reverse so the chart reads top-down like the table beside it.
    rows = rows[::-1]
    chart.x_labels = [label for label, _counts in rows]
    for part in series:
        chart.add(part.label, [counts.get(part.key, 0) or None for _label, counts in rows])
    return mark_safe(_values_on_light_labels(svg(chart, title=title)))  # noqa: S308 - numbers pygal wrote, re-wrapped


_VALUE = re.compile(r'<text text-anchor="middle" x="([\d.]+)" y="([\d.]+)" class="value">(\d+)</text>')


def _values_on_light_labels(rendered):
    """Each number on a bar written on a small white label in ink: readable over stripes, dots and hatching, and
    in black and white (a number printed straight onto a patterned bar is lost in it)."""

    def labelled(match):
        x, y, number = float(match[1]), float(match[2]), match[3]
        width, height = 7.5 * len(number) + 6, 15
        return (
            f'<rect x="{x - width / 2:.1f}" y="{y - 11.5:.1f}" width="{width:.1f}" height="{height}" rx="2" '
            f'fill="#fff" stroke="{INK}" stroke-width=".5"/>'
            f'<text text-anchor="middle" x="{x:.1f}" y="{y:.1f}" class="value">{number}</text>'
        )

    return _VALUE.sub(labelled, rendered)
