"""`{% target_shown action slippage %}`: an action's target the one way every page and the pack show it.

"31 Jan 2027, moved from 31 Dec 2026": the target in force, and where it came from when it moved. The date as
written in the plan ("Dec 26") is shown only while it is still the target in force.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()

NO_TARGET = "Timing to be confirmed"


def _day(day):
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, "j M Y"))


def _written(text, *, beside=True):
    """The date as written in the plan: in brackets beside the date understood, or alone when none was."""
    if not beside:
        return format_html('<span class="written" title="As written in the plan">{}</span>', text)
    return format_html(' <span class="written" title="As written in the plan">({})</span>', text)


def moved_words(slippage) -> str:
    """ ", moved from 31 Dec 2026" (and how often, past once), or "" when the target never moved."""
    if not slippage.times_moved or slippage.original_target_date in (None, slippage.target_date):
        return ""
    times = f" ({slippage.times_moved} times)" if slippage.times_moved > 1 else ""
    return f", moved from {date_format(slippage.original_target_date, 'j M Y')}{times}"


@register.simple_tag
def target_shown(action, slippage=None):
    """The target of `action` as read on a date (`slippage`, from its reading), or as it stands today."""
    slippage = slippage or action.slippage()
    if action.cadence:
        shown = format_html('<span class="cadence">{}</span>', action.get_cadence_display())
        if action.target_text and action.target_text.lower() != action.get_cadence_display().lower():
            shown += _written(action.target_text)
        return shown
    moved = moved_words(slippage)
    if slippage.target_date is None:
        shown = format_html('<span class="muted">{}</span>', NO_TARGET)
        if slippage.original_target_date:
            withdrawn = _day(slippage.original_target_date)
            return shown + format_html('<span class="moved">, withdrawn from {}</span>', withdrawn)
        return _written(action.target_text, beside=False) if action.target_text else shown
    shown = _day(slippage.target_date)
    if moved:
        return shown + format_html('<span class="moved">{}</span>', moved)
    if action.target_text and action.target_text != slippage.target_date.isoformat():
        shown += _written(action.target_text)
    return shown
