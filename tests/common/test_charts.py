"""Hand-drawn charts fill each colour's shapes with one path: a PDF holds a pattern once per fill, not per bar."""

import re

from common.charts import rag_bars
from common.colours import RAG_COLOURS
from plans.rag import RAG_SERIES


def _fills(svg):
    """{fill: number of rectangles in its path} for the chart's pattern_fills paths."""
    return {fill: d.count("Z") for d, fill in re.findall(r'<path d="(M[^"]*Z)" fill="([^"]*)"', svg)}


def test_each_colour_is_one_fill_under_every_bar_and_legend_key_of_that_colour():
    rows = [(f"Area {n}", {"red": 1, "amber": n % 3, "green": 2, "blue": n % 2}) for n in range(40)]
    svg = str(rag_bars(rows, series=RAG_SERIES, title="RAG by area"))
    chart_id = re.search(r'<pattern id="(c[0-9a-f]+)-', svg)[1]

    bars = {key: sum(1 for _label, counts in rows if counts.get(key)) for key in ("red", "amber", "green", "blue")}
    assert _fills(svg) == {
        f"url(#{chart_id}-red)": bars["red"] + 1,  # and its legend key
        f"url(#{chart_id}-amber)": bars["amber"] + 1,
        f"url(#{chart_id}-grey)": 1,  # no grey bar: the legend key only
        RAG_COLOURS["green"].fill: bars["green"] + 1,  # green has no marks: a plain fill, no pattern
        f"url(#{chart_id}-blue)": bars["blue"] + 1,
    }
    assert f'id="{chart_id}-green"' not in svg
    # Each bar is still there, over the fills, for its title (a browser shows it on hover) and its number.
    assert len(re.findall(r'<rect [^>]*fill="none" pointer-events="all"><title>\d+ ', svg)) == sum(bars.values())
    assert svg.index('<path d="M') < svg.index('pointer-events="all"><title>')
