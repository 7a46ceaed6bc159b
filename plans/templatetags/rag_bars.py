"""`{{ count|share_of:counts }}`: a part's share of a RAG bar, as the grow-N class app.css defines for 1 to 100."""

from django import template

register = template.Library()


@register.filter
def share_of(count, counts) -> int:
    # The Content Security Policy refuses style attributes, so a bar's parts are sized by a class, not by style=.
    total = sum(counts.values())
    return max(1, round(100 * count / total)) if total else 1
