"""SVG labels in the pack's PDF laid out a run at a time: WeasyPrint 70 lays out and draws every letter on its own.

A board pack draws thousands of SVG labels (the timeline's action titles, the charts' axes and values). WeasyPrint
70.0 shapes each letter of an SVG <text> with Pango separately, so that it can honour per-letter x/y/dx/dy/rotate
lists; for a label with none of those it is the same text, one Pango layout per letter: 7,651 of them for the demo
pack, a quarter of the whole PDF's time. WeasyPrint's main branch now shapes such a run whole; until the release
that carries it, `install()` gives WeasyPrint's SVG renderer a text drawer that does the same for the simple case
(one x and y at most, no dx, dy, rotate, letter-spacing or textLength) and hands every other <text> to WeasyPrint's
own. A whole run is also kerned as the HTML around it is, and reads as words in the PDF, not as lone letters.
"""

from __future__ import annotations

import sys
from math import inf
from typing import Any

import weasyprint

# The version whose SVG text drawing this replaces (pyproject.toml pins it). Under any other version WeasyPrint's
# own drawer stays: its internals may have moved, and a later release shapes runs whole itself.
REPLACES = "70.0"
_SVG = sys.modules[weasyprint.__name__ + ".svg"]
_LETTER_BY_LETTER = _SVG.text  # WeasyPrint's drawer; the `weasyprint.svg.text` module is shadowed by it
PER_LETTER_ATTRIBUTES = ("dx", "dy", "rotate", "letter-spacing", "textLength")


def install() -> bool:
    """Draw simple SVG text runs whole from now on in this process; False when this WeasyPrint is not the one."""
    if weasyprint.__version__ != REPLACES:
        return False
    if _SVG.text is not whole_run_text:
        for tag, drawer in list(_SVG.TAGS.items()):
            if drawer is _LETTER_BY_LETTER:
                _SVG.TAGS[tag] = whole_run_text
        # draw_node tells a text node by `TAGS[tag] == text`, read from the module at each call.
        _SVG.text = whole_run_text
    return True


def _one_value(node: Any, name: str) -> bool:
    return name not in node.attrib or len(node.attrib[name].replace(",", " ").split()) <= 1


def placed_per_letter(node: Any) -> bool:
    """Whether the <text> asks for letters placed one by one, which only WeasyPrint's own drawer does."""
    return not (_one_value(node, "x") and _one_value(node, "y")) or any(
        node.attrib.get(name) not in (None, "", "0") for name in PER_LETTER_ATTRIBUTES
    )


def _style(svg: Any, node: Any, font_size: float) -> dict:
    """The font of a <text>, read from its attributes as WeasyPrint 70 reads them."""
    from weasyprint.css.properties import INITIAL_VALUES

    style = sys.modules[weasyprint.__name__ + ".svg.text"].Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    if weight == "normal":
        weight = 400
    elif weight == "bold":
        weight = 700
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    return style


def _vertical_shift(node: Any, font_size: float, height: float) -> float:
    # WeasyPrint 70's approximation of baseline alignment (ascent 0.8em, descent 0.2em), kept so labels sit as before.
    ascent, descent = font_size * 0.8, font_size * 0.2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        return -height / 2
    if anchor == "top":
        return 0
    if anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def whole_run_text(svg: Any, node: Any, font_size: float) -> None:
    """Draw a <text> (or <tspan>) run with one Pango layout, where WeasyPrint 70 makes one per letter."""
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    if not node.text or placed_per_letter(node):
        return _LETTER_BY_LETTER(svg, node, font_size)
    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

    # Where the run starts: its own x and y, else where the previous run ended (as for WeasyPrint's first letter).
    x = size(node.attrib["x"].replace(",", " ").strip(), font_size, svg.inner_width) if "x" in node.attrib else None
    y = size(node.attrib["y"].replace(",", " ").strip(), font_size, svg.inner_height) if "y" in node.attrib else None
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _vertical_shift(node, font_size, height)
    # The box the text-anchor shift and pattern fills are measured from, as WeasyPrint builds it letter by letter.
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)),
    )

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = sys.modules[weasyprint.__name__ + ".svg.text"].TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
    return None
