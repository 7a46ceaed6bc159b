"""Writes to people: an admin's edits (details, account link, email choices) and merging two records of one person."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import Person, Sponsor

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

NOT_ALLOWED_TO_CHANGE_PEOPLE = "Only an admin may change or merge people."
MERGE_WITH_ITSELF = "Choose another person to merge: a person cannot be merged with themselves."
MERGE_TWO_ACCOUNTS = (
    "{keep} and {duplicate} each have their own account ({keep_account}, {duplicate_account}): they are two people. "
    "Unlink one account first if they really are one person."
)
ACCOUNT_TAKEN = "The account {account} is already linked to {person}."
PREFERENCE_FIELDS = ["email_requests", "email_packs", "email_digest"]
DETAIL_FIELDS = ["name", "email", "job_title", "organisation", "user", *PREFERENCE_FIELDS]


def _check_admin(user: AbstractBaseUser | None) -> None:
    if user is not None and not user.has_perm("plans.change_person"):
        raise PermissionDenied(NOT_ALLOWED_TO_CHANGE_PEOPLE)


@transaction.atomic
def person_update(*, person: Person, changed_by: AbstractBaseUser | None, **values: object) -> Person:
    """Change a person's details, account link or email choices (keyword per field); the history keeps the old."""
    _check_admin(changed_by)
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not a person's detail: {', '.join(sorted(unknown))}")
    account = values.get("user", person.user)
    if account is not None:
        holder = Person.objects.filter(user=account).exclude(pk=person.pk).first()
        if holder is not None:
            raise ValidationError({"user": ACCOUNT_TAKEN.format(account=account.get_username(), person=holder)})
    for name, value in values.items():
        setattr(person, name, value)
    person._history_user = changed_by
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_preferences_update(*, person: Person, **choices: bool) -> Person:
    """A person's own email choices (the preferences page): only the opt-outs, nothing else about them."""
    unknown = set(choices) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"Not an email choice: {', '.join(sorted(unknown))}")
    for name, value in choices.items():
        setattr(person, name, bool(value))
    person._history_user = person.user
    person.save(update_fields=list(choices))
    return person


def person_for_account(user: AbstractBaseUser) -> Person:
    """The person an account belongs to; made from the account the first time it is asked (its email choices)."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            user=user, name=user.get_full_name() or user.get_username(), email=getattr(user, "email", "")
        )
    return person


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, merged_by: AbstractBaseUser | None) -> Person:
    """Make `duplicate` part of `keep`: its actions, sponsor posts and account move over, then it is deleted.

    Every action's history records the change of lead (who merged, when); the duplicate's own history stays,
    so old entries still name it. Blank details of `keep` are filled from the duplicate; two accounts refuse.
    """
    _check_admin(merged_by)
    keep = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=keep.pk)
    duplicate = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=duplicate.pk)
    if keep.pk == duplicate.pk:
        raise ValidationError(MERGE_WITH_ITSELF)
    if keep.user_id and duplicate.user_id:
        raise ValidationError(
            MERGE_TWO_ACCOUNTS.format(
                keep=keep,
                duplicate=duplicate,
                keep_account=keep.user.get_username(),
                duplicate_account=duplicate.user.get_username(),
            )
        )
    for action in duplicate.led_actions.all():
        # One at a time, through the relation: django-simple-history records each action's change of lead.
        action._history_user = merged_by
        action.leads.add(keep)
        action.leads.remove(duplicate)
    Sponsor.objects.filter(person=duplicate).update(person=keep)
    account = duplicate.user
    for name in ("email", "job_title", "organisation"):
        if not getattr(keep, name):
            setattr(keep, name, getattr(duplicate, name))
    for name in PREFERENCE_FIELDS:
        # An opt-out made on either record is kept: the person said it once.
        setattr(keep, name, getattr(keep, name) and getattr(duplicate, name))
    duplicate._history_user = merged_by
    duplicate.delete()
    if account is not None:
        keep.user = account
    keep._history_user = merged_by
    keep.save()
    return keep


def people_alike(person: Person, people: list[Person]) -> list[Person]:
    """Others whose names look like `person`'s ("Jo Blogs", "jo bloggs"): candidates to merge, most alike first."""
    scored = [
        (difflib.SequenceMatcher(None, person.name.lower(), other.name.lower()).ratio(), other)
        for other in people
        if other.pk != person.pk
    ]
    return [other for score, other in sorted(scored, key=lambda pair: -pair[0]) if score >= 0.8]
