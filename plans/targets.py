"""An action's target in words, the one wording of the pages, the pack and the exports.

"31 Jan 2027, moved from 31 Dec 2026": the target in force, and where it came from when it moved. The tag
`{% target_shown %}` (templatetags/targets.py) marks the same parts up; spreadsheets and JSON take the words.
"""

from django.utils.formats import date_format

NO_TARGET = "Timing to be confirmed"


def day_words(day) -> str:
    return date_format(day, "j M Y")


def has_moved(slippage) -> bool:
    return bool(slippage.times_moved) and slippage.original_target_date not in (None, slippage.target_date)


def moved_words(slippage) -> str:
    """ ", moved from 31 Dec 2026" (and how often, past once), or "" when the target never moved."""
    if not has_moved(slippage):
        return ""
    times = f" ({slippage.times_moved} times)" if slippage.times_moved > 1 else ""
    return f", moved from {day_words(slippage.original_target_date)}{times}"


def withdrawn_words(slippage) -> str:
    """ ", withdrawn from 31 Dec 2026" when a target was taken away, or ""."""
    if slippage.target_date is None and slippage.original_target_date:
        return f", withdrawn from {day_words(slippage.original_target_date)}"
    return ""


def written_beside(action, slippage) -> str:
    """The date as written in the plan, worth showing beside the target: only while it is still the target in force
    (and says more than the date itself)."""
    if action.cadence:
        cadence = action.get_cadence_display()
        return action.target_text if action.target_text and action.target_text.lower() != cadence.lower() else ""
    if slippage.target_date is None or has_moved(slippage):
        return ""
    return action.target_text if action.target_text and action.target_text != slippage.target_date.isoformat() else ""


def target_words(action, slippage=None) -> str:
    """The target as plain words, for a spreadsheet cell or a reader of JSON: what the tag shows, without markup."""
    slippage = slippage or action.slippage()
    if action.cadence:
        written = written_beside(action, slippage)
        return f"{action.get_cadence_display()} ({written})" if written else action.get_cadence_display()
    if slippage.target_date is None:
        if slippage.original_target_date:
            return NO_TARGET + withdrawn_words(slippage)
        return action.target_text or NO_TARGET
    written = written_beside(action, slippage)
    shown = day_words(slippage.target_date) + moved_words(slippage)
    return f"{shown} ({written})" if written else shown
