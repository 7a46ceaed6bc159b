"""KPI charts drawn on the server as SVG: the scorecard's sparklines and an indicator's history chart.

The board pack calls the same functions, so a chart looks the same on screen and on paper.
"""

from decimal import Decimal

import pygal
from django.utils.safestring import mark_safe

from common.charts import INK, base_config, chart_style, svg

from .rules import months_between

VALUE_COLOUR = "#1d5b9c"
TARGET_COLOUR = "#b35900"
BENCHMARK_COLOURS = ["#0b0c0c", "#6f777b", "#912b88", "#28a197", "#f47738"]

# Sparklines carry their own few rules (no fill, a visible stroke) instead of pygal's full stylesheet,
# which would add 6 kB to each of hundreds of rows.
_SPARKLINE_CSS = (
    "inline:.kpi-sparkline .background{fill:none}"
    f".kpi-sparkline path.line{{fill:none;stroke:{INK};stroke-width:2;stroke-linejoin:round}}"
    f".kpi-sparkline .dot{{fill:{INK}}}"
)


def _float(number):
    return float(number) if number is not None else None


def sparkline(indicator, values):
    """A small line of the figures in `values` ([(month, Value or None)], oldest first); empty if under two."""
    numbers = [_float(value.value) if value else None for _month, value in values]
    if sum(number is not None for number in numbers) < 2:
        return ""
    chart = pygal.Line(
        **base_config(
            width=120,
            height=32,
            margin=3,
            spacing=0,
            show_legend=False,
            show_x_labels=False,
            show_y_labels=False,
            show_x_guides=False,
            show_y_guides=False,
            show_dots=False,
            css=[_SPARKLINE_CSS],
            style=chart_style([INK]),
        )
    )
    chart.add(indicator.name, numbers)
    rendered = svg(chart, title=f"Trend of {indicator.name} over {len(values)} months")
    return mark_safe(rendered.replace('class="pygal-chart"', 'class="pygal-chart kpi-sparkline"', 1))  # noqa: S308


def _month_label(months):
    def label(x):
        index = round(x) - 1
        if abs(x - round(x)) > 0.01 or not 0 <= index < len(months):
            return ""
        return f"{months[index]:%b %y}"

    return label


def indicator_chart(indicator, months, *, width=900, height=400):
    """Values as a line, the target in force as a stepped dashed line, and the latest benchmarks as markers.

    `indicator` must come with its values, targets and benchmarks prefetched (IndicatorQuerySet). Month
    n is drawn at x = n + 1: pygal draws an axis line through x = 0 when the range includes it.
    """
    if not months:
        return ""
    step = max(1, len(months) // 12)
    chart = pygal.XY(
        **base_config(
            width=width,
            height=height,
            allow_interruptions=True,
            show_x_guides=False,
            x_labels=list(range(1, len(months) + 1, step)),
            x_value_formatter=_month_label(months),
            value_formatter=lambda y: indicator.format_number(Decimal(str(round(y, 4)))),
            # pygal reserves one legend row too few when columns are fixed; left to itself it fits them.
            legend_at_bottom_columns=None,
            range=_y_range(indicator, months),
            xrange=(0.4, len(months) + 0.6),
            dots_size=4,
            style=chart_style(
                [VALUE_COLOUR, TARGET_COLOUR, *BENCHMARK_COLOURS],
                stroke_width=3,
                guide_stroke_color="#c8c8c8",
                major_guide_stroke_color="#c8c8c8",
                guide_stroke_dasharray="1,3",
                major_guide_stroke_dasharray="1,3",
            ),
        )
    )
    chart.add("Value", [(index + 1, _float(indicator.number_for(month))) for index, month in enumerate(months)])
    chart.add(
        "Target", _target_steps(indicator, months), show_dots=False, stroke_style={"width": 3, "dasharray": "9,6"}
    )
    right_edge = len(months) + 0.3
    for benchmark in indicator.latest_benchmarks():
        chart.add(
            f"{benchmark.group.name} {benchmark.year}: {benchmark.display}",
            [(right_edge, _float(benchmark.value))],
            stroke=False,
            dots_size=7,
        )
    return svg(chart, title=f"{indicator.name}: values, target and benchmarks")


def _target_steps(indicator, months):
    """Points drawing each month's target as a flat step half a month either side; a gap where there is none."""
    points = []
    for index, month in enumerate(months, start=1):
        target = indicator.target_for(month)
        if target is None or target.value is None:
            if points and points[-1][1] is not None:
                points.append((index - 0.5, None))
            continue
        points.extend([(index - 0.5, _float(target.value)), (index + 0.5, _float(target.value))])
    return points


def _y_range(indicator, months):
    """From zero (so that a change does not look bigger than it is) to just above the highest figure."""
    numbers = [indicator.number_for(month) for month in months]
    numbers += [t.value for month in months if (t := indicator.target_for(month)) and t.value is not None]
    numbers += [benchmark.value for benchmark in indicator.latest_benchmarks()]
    highest = max((float(n) for n in numbers if n is not None), default=1.0)
    return (0, highest * 1.1 or 1.0)


def months_with_values(indicator):
    """Every month from the indicator's first figure to its last."""
    periods = sorted(indicator.values_by_month)
    if not periods:
        return []
    return months_between(periods[0], periods[-1])
