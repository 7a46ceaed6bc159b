"""Who is told what by email when something happens to a plan: target date requests and their decisions.

The services that make the event call these through transaction.on_commit, so nothing is sent for a change
that was rolled back, and an email that cannot be sent is logged without undoing the change (robust=True).
A person's opt-outs (Person.email_*) are honoured for everything but a decision on their own request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from common.mail import email_send
from common.roles import BOARD_MEMBER

from .models import Person, Plan, TargetDateChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str


def recipients(users: Iterable[AbstractBaseUser], *, choice: str | None) -> list[Recipient]:
    """The users with an address who have not opted out of `choice` (a Person.email_* field; None: no opt-out)."""
    users = [user for user in users if user.is_active]
    people = {person.user_id: person for person in Person.objects.filter(user__in=users)}
    found = {}
    for user in users:
        person = people.get(user.pk)
        if person is not None and choice is not None and not getattr(person, choice):
            continue
        address = (person.address if person else "") or user.email
        if address:
            found[address.lower()] = Recipient(name=person.name if person else user.get_full_name(), address=address)
    return sorted(found.values(), key=lambda recipient: recipient.address)


def deciders_of(change: TargetDateChange) -> list[AbstractBaseUser]:
    """Everyone who may decide the request (TargetDateChange.can_be_decided_by), but the person who asked."""
    User = get_user_model()
    # Permissions live in the database whichever backend signed a person in (axes and OIDC add none of their own).
    admins = User.objects.with_perm(
        "plans.change_action", is_active=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    sponsors = User.objects.filter(person__sponsor_posts__actions=change.action, is_active=True)
    candidates = {user.pk: user for user in [*admins, *sponsors] if user.pk != change.requested_by_id}
    return [user for user in candidates.values() if change.can_be_decided_by(user)]


def board_of(plan: Plan) -> list[AbstractBaseUser]:
    """The plan's board: active readers of the plan with the board role."""
    members = get_user_model().objects.filter(groups__name=BOARD_MEMBER, is_active=True).distinct()
    return [member for member in members if member.has_perm("plans.view_plan")]


def send_all(people: list[Recipient], *, subject: str, template: str, context: dict) -> int:
    sent = 0
    for recipient in people:
        email_send(to=recipient.address, subject=subject, template=template, context={**context, "to": recipient})
        sent += 1
    return sent


def target_date_requested(change_id: int) -> int:
    """Tell those who may decide a new request; returns how many were told."""
    change = TargetDateChange.objects.select_related("action__plan", "requested_by").get(pk=change_id)
    if change.decision != TargetDateChange.Decision.PENDING:
        return 0
    action = change.action
    return send_all(
        recipients(deciders_of(change), choice="email_requests"),
        subject=f"Decide: a new target date for action {action.ref}, {action.plan.title}",
        template="plans/email/target_date_requested",
        context={"change": change, "action": action},
    )


def target_date_decided(change_id: int) -> int:
    """Tell the person who asked how their request was decided (no opt-out: they asked)."""
    change = TargetDateChange.objects.select_related("action__plan", "requested_by", "decided_by").get(pk=change_id)
    if change.requested_by is None or change.requested_by_id == change.decided_by_id:
        return 0
    action = change.action
    return send_all(
        recipients([change.requested_by], choice=None),
        subject=f"{change.get_decision_display()}: the new target date for action {action.ref}, {action.plan.title}",
        template="plans/email/target_date_decided",
        context={"change": change, "action": action},
    )


def after_commit(notify, *args) -> None:
    """Run `notify(*args)` once the transaction commits; a failure to send is logged, the change stays."""
    transaction.on_commit(lambda: notify(*args), robust=True)
