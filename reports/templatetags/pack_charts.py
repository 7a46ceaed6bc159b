"""`{% pack_chart svg %}`: a chart in a board pack, inline SVG in the browser's preview and an SVG image in the PDF.

The preview keeps inline SVG for what only a browser does with it (hover titles, the timeline's links to actions);
the PDF shows the same drawing as an image, which WeasyPrint lays out far faster (reports.rendering.SVG_IMAGE).
"""

from django import template

from common.templatetags.colours import chart
from reports.rendering import svg_image

register = template.Library()


@register.simple_tag(takes_context=True)
def pack_chart(context, svg):
    if not svg or context.get("preview"):
        return chart(context, svg)
    return svg_image(svg)
