"""People who lead or sponsor actions, from the council or a partner agency, with or without an account."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


# Lead cells naming several people: "Jo Bloggs / Sam Smith", "Jo Bloggs; Sam Smith", "Jo Bloggs & Sam Smith".
LEAD_SEPARATORS = re.compile(r"\s*(?:/|;|&|\n)\s*")


def split_leads(text: str) -> list[str]:
    """The names a lead cell gives, in order, each once, spaces tidied."""
    names = [" ".join(name.split()) for name in LEAD_SEPARATORS.split(text.strip())]
    return list(dict.fromkeys(name[:200] for name in names if name))


class PersonQuerySet(models.QuerySet):
    def named(self, name: str) -> Self:
        """People whose name is `name`, whatever the case and spacing: two may share one, so callers decide."""
        return self.filter(name__iexact=" ".join(name.split()))

    def of_user(self, user: AbstractBaseUser) -> Self:
        return self.filter(user=user) if user.is_authenticated else self.none()


class Person(models.Model):
    """A lead or a sponsor. Plans name people in words; an admin links the person to an account when they have one."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True, help_text='For example "Head of Service, Assessment".')
    organisation = models.CharField(
        max_length=200, blank=True, help_text="The council, or a partner agency: police, health, schools."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="account",
    )
    # Opt-outs for emails other than decisions on their own requests, which always reach the person asking.
    email_requests = models.BooleanField("target date requests to decide", default=True)
    email_packs = models.BooleanField("issued board packs", default=True)
    email_digest = models.BooleanField("weekly digest of my actions", default=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [Lower("name"), "pk"]
        verbose_name_plural = "people"
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="person_has_a_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        """Where their emails go: the person's own address, else their account's."""
        return self.email or (self.user.email if self.user_id else "")

    @property
    def described(self) -> str:
        """ "Jo Bloggs, Head of Service (Met Police)": enough to tell two people of one name apart."""
        details = ", ".join(part for part in (self.job_title,) if part)
        text = f"{self.name}, {details}" if details else self.name
        return f"{text} ({self.organisation})" if self.organisation else text
