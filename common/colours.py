"""The RAG colours, once: each colour's fill, the ink written on it and the pattern that tells it apart in print.

Pages and board packs read them as CSS custom properties (the `rag_colours` template tag writes them); charts read
them here. What each colour means is the plans app's (plans/rag.py); this module only knows how it looks.
"""

from dataclasses import dataclass

INK = "#0b0c0c"
WHITE = "#fff"


@dataclass(frozen=True)
class Colour:
    fill: str
    ink: str
    # SVG marks drawn over the fill on an 8x8 tile: stripes, dots and cross-hatching tell the colours apart when a
    # board pack is printed in black and white.
    pattern: str = ""
    slant: bool = False


# Keyed by the RAG value (plans.rag.RAG is a str enum, so its members look these up directly).
RAG_COLOURS = {
    "red": Colour(
        fill="#b10e1e",
        ink=WHITE,
        pattern='<path d="M0 0L0 8" stroke="#fff" stroke-opacity=".45" stroke-width="3"/>',
        slant=True,
    ),
    "amber": Colour(
        fill="#ffbf47", ink=INK, pattern=f'<circle cx="4" cy="4" r="1.3" fill="{INK}" fill-opacity=".35"/>'
    ),
    "green": Colour(fill="#00703c", ink=WHITE),
    "grey": Colour(fill="#e8e8e8", ink=INK, pattern='<path d="M0 0L8 8M8 0L0 8" stroke="#8a8f93" stroke-width=".6"/>'),
    "blue": Colour(
        fill="#1d5b9c", ink=WHITE, pattern='<path d="M0 4L8 4" stroke="#fff" stroke-opacity=".5" stroke-width="2"/>'
    ),
}


def css_custom_properties() -> str:
    """`:root { --rag-red: ...; --rag-red-ink: ...; }`: the stylesheets use only these variables."""
    properties = " ".join(
        f"--rag-{name}: {colour.fill}; --rag-{name}-ink: {colour.ink};" for name, colour in RAG_COLOURS.items()
    )
    return f":root {{ {properties} }}"
