"""`{% error_summary form ... %}`: one error summary for every form, which takes the focus after a failed submit.

Each mistake is listed with a link to its field (WCAG 3.3.1; the GOV.UK pattern), so a keyboard or screen reader
user hears what went wrong and reaches the field in one step instead of searching the page for red text.
"""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Mistake:
    message: str
    field_id: str = ""


def _field_id(bound_field):
    # A radio or checkbox group has no single id to label ("" by Django's design): its first choice stands for it.
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


def _mistakes_of_form(form):
    # A form in a grid or a list names what it is about (an indicator, an area); a lone form needs no prefix.
    about = getattr(form, "error_summary_name", "")
    prefix = f"{about}: " if about else ""
    found = [Mistake(f"{prefix}{error}") for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            label = bound_field.label if not about or about not in str(bound_field.label) else ""
            text = f"{prefix}{label}: {error}" if label else f"{prefix}{error}"
            found.append(Mistake(text, _field_id(bound_field)))
    return found


def mistakes(*forms_or_formsets, message="", field=""):
    found = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, list | tuple):
            found += mistakes(*item)
        elif isinstance(item, forms.BaseFormSet):
            found += [Mistake(str(error)) for error in item.non_form_errors()]
            for form in item:
                found += _mistakes_of_form(form)
        else:
            found += _mistakes_of_form(item)
    if message:
        found.append(Mistake(str(message), field))
    return found


@register.inclusion_tag("common/partials/error_summary.html", takes_context=True)
def error_summary(context, *forms_or_formsets, message="", field="", title="There is a problem"):
    """Forms and formsets whose errors to list; or a `message` about the input whose id is `field`."""
    request = context.get("request")
    return {
        "mistakes": mistakes(*forms_or_formsets, message=message, field=field),
        "title": title,
        # A whole page focuses the summary by `autofocus`; a part swapped in by htmx by static/js/error_summary.js,
        # once it has settled (both at once would pull the focus back while the user is already typing).
        "swapped_in": bool(getattr(request, "htmx", False)),
    }
