"""`{% target_shown action slippage %}`: an action's target the one way every page and the pack show it.

The words are plans/targets.py's (the exports use them too); this tag marks them up: the date as a <time>, the
move as `moved`, the date as written in the plan as `written`.
"""

from django import template
from django.utils.html import format_html

from ..targets import NO_TARGET, day_words, moved_words, withdrawn_words, written_beside

register = template.Library()


def _day(day):
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), day_words(day))


def _written(text, *, beside=True):
    """The date as written in the plan: in brackets beside the date understood, or alone when none was."""
    if not beside:
        return format_html('<span class="written" title="As written in the plan">{}</span>', text)
    return format_html(' <span class="written" title="As written in the plan">({})</span>', text)


@register.simple_tag
def target_shown(action, slippage=None):
    """The target of `action` as read on a date (`slippage`, from its reading), or as it stands today."""
    slippage = slippage or action.slippage()
    written = written_beside(action, slippage)
    if action.cadence:
        shown = format_html('<span class="cadence">{}</span>', action.get_cadence_display())
        return shown + _written(written) if written else shown
    if slippage.target_date is None:
        shown = format_html('<span class="muted">{}</span>', NO_TARGET)
        if withdrawn := withdrawn_words(slippage):
            return shown + format_html('<span class="moved">{}</span>', withdrawn)
        return _written(action.target_text, beside=False) if action.target_text else shown
    shown = _day(slippage.target_date)
    if moved := moved_words(slippage):
        return shown + format_html('<span class="moved">{}</span>', moved)
    return shown + _written(written) if written else shown
