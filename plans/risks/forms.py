"""The reassessment form on a risk's page: likelihood, impact, status and why, written through risk_assess."""

from django import forms

from ..models import RiskStatus
from .register import IMPACT_WORDS, LIKELIHOOD_WORDS

NOTHING_CHANGED = "The likelihood, impact and status are as they were: change one of them, or leave the page."


class RiskAssessForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        coerce=int, choices=[(n, f"{n} – {word}") for n, word in LIKELIHOOD_WORDS.items()]
    )
    impact = forms.TypedChoiceField(coerce=int, choices=[(n, f"{n} – {word}") for n, word in IMPACT_WORDS.items()])
    status = forms.ChoiceField(choices=RiskStatus.choices)
    note = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
