"""`{% rag_colours %}` and `{% chart svg %}`: inline CSS that keeps to the Content Security Policy.

Both write <style> blocks the server made (never user text); on a page each carries the request's CSP nonce,
so the policy can refuse every other inline style. A board pack rendered for a PDF has no request: no nonce.
"""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from common.colours import css_custom_properties

register = template.Library()

_STYLE_TAG = re.compile(r"<style\b")


def _nonce(context):
    # django-csp's nonce is lazy (and falsy until read): reading it as a string is what puts it in the header.
    nonce = getattr(context.get("request"), "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


@register.simple_tag(takes_context=True)
def rag_colours(context):
    nonce = _nonce(context)
    if nonce:
        return format_html('<style nonce="{}">{}</style>', nonce, css_custom_properties())
    return format_html("<style>{}</style>", css_custom_properties())


@register.simple_tag(takes_context=True)
def chart(context, svg):
    """A pygal chart (common.charts.svg) with its <style> blocks allowed by this request's nonce."""
    nonce = _nonce(context)
    if not nonce or not svg:
        return svg
    return mark_safe(_STYLE_TAG.sub(f'<style nonce="{nonce}"', str(svg)))  # noqa: S308 - our own SVG, nonce is base64


@register.simple_tag(takes_context=True)
def nonce_attribute(context):
    """` nonce="…"` for an inline <style> of our own on a page; nothing when rendering for a PDF."""
    nonce = _nonce(context)
    return format_html(' nonce="{}"', nonce) if nonce else ""
