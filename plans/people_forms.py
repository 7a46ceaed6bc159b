"""Forms for the People pages and a person's own email choices."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Person
from .people import PREFERENCE_FIELDS


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "job_title", "organisation", "email", "user", *PREFERENCE_FIELDS]
        help_texts = {"user": "Link the account they sign in with: they can then update the actions they lead."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accounts not yet linked to anyone else: one account is one person.
        free = Q(person__isnull=True) | Q(person=self.instance.pk) if self.instance.pk else Q(person__isnull=True)
        self.fields["user"].queryset = get_user_model().objects.filter(free, is_active=True).order_by("username")
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_username()} ({user.get_full_name()})" if user.get_full_name() else user.get_username()
        )


class PersonMergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label="The duplicate to merge into this person",
        queryset=Person.objects.none(),
        help_text="Its actions, sponsor posts and account move to this person; then the duplicate is deleted.",
    )

    def __init__(self, *args, keep: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Person.objects.exclude(pk=keep.pk).select_related("user")
        self.fields["duplicate"].label_from_instance = lambda person: person.described


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PREFERENCE_FIELDS
