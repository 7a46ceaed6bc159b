"""`{% rag_colours %}`: the RAG colours of common/colours.py as CSS custom properties, for pages and board packs."""

from django import template
from django.utils.html import format_html

from common.colours import css_custom_properties

register = template.Library()


@register.simple_tag
def rag_colours():
    return format_html("<style>{}</style>", css_custom_properties())
