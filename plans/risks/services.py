"""Writes to the risk register and to actions' dependencies: the only code that changes a risk's score.

A risk's likelihood, impact and status change only through `risk_assess`, which records the assessment that
the score history (and the register on a past date) is read from, as plans.services does for actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Action, Dependency, Plan, Risk, RiskAssessment, RiskStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MITIGATION_IN_ANOTHER_PLAN = "Action {ref} belongs to another plan: a risk is mitigated by actions of its own plan."
PREREQUISITE_IS_ITSELF = "An action cannot depend on itself."
PREREQUISITE_IN_ANOTHER_PLAN = "Action {ref} belongs to another plan: dependencies link actions of one plan."
PREREQUISITE_LOOP = "Action {prerequisite} already depends on {action}, directly or through others: that is a loop."

# The fields of a risk that describe it; its score and status are the assessment's.
DETAILS = ("title", "description", "cause", "effect", "owner", "target_score", "review_date", "position")


@transaction.atomic
def risk_create(
    *,
    plan: Plan,
    ref: str,
    title: str,
    likelihood: int,
    impact: int,
    status: str = RiskStatus.OPEN,
    author: AbstractBaseUser | None = None,
    at: dt.datetime | None = None,
    note: str = "",
    source: str = "",
    mitigations: Iterable[Action] = (),
    **details: object,
) -> Risk:
    """A new risk with its first assessment; `details` are the other fields of Risk (DETAILS)."""
    risk = Risk(plan=plan, ref=ref, title=title, likelihood=likelihood, impact=impact, status=status, **details)
    risk.full_clean()
    risk.save()
    risk_assess_first(risk=risk, author=author, at=at, note=note, source=source)
    risk_mitigations_set(risk=risk, actions=mitigations)
    return risk


@transaction.atomic
def risk_assess_first(
    *,
    risk: Risk,
    author: AbstractBaseUser | None = None,
    at: dt.datetime | None = None,
    note: str = "",
    source: str = "",
) -> RiskAssessment:
    """The first entry of a risk's score history, for a risk just saved (risk_create, or the admin's add form)."""
    return _record(risk, author=author, at=at, note=note or "Added to the register.", source=source)


@transaction.atomic
def risk_assess(
    *,
    risk: Risk,
    likelihood: int,
    impact: int,
    status: str,
    author: AbstractBaseUser | None = None,
    at: dt.datetime | None = None,
    note: str = "",
    source: str = "",
) -> RiskAssessment | None:
    """Change a risk's likelihood, impact or status and record it in its score history; None when nothing changed."""
    if (risk.likelihood, risk.impact, risk.status) == (likelihood, impact, status):
        return None
    risk.likelihood, risk.impact, risk.status = likelihood, impact, status
    risk.full_clean()
    risk.save(update_fields=["likelihood", "impact", "status"])
    return _record(risk, author=author, at=at, note=note, source=source)


def _record(risk: Risk, *, author, at, note, source) -> RiskAssessment:
    assessment = RiskAssessment(
        risk=risk,
        author=author,
        assessed_at=at or timezone.now(),
        likelihood=risk.likelihood,
        impact=risk.impact,
        status=risk.status,
        note=note.strip(),
        source=source[:300],
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def risk_details_update(*, risk: Risk, **details: object) -> bool:
    """Change what describes a risk (DETAILS, not its score); True when something changed."""
    changed = [name for name, value in details.items() if getattr(risk, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(risk, name, details[name])
    risk.full_clean()
    risk.save(update_fields=changed)
    return True


@transaction.atomic
def risk_mitigations_set(*, risk: Risk, actions: Iterable[Action]) -> bool:
    """The actions that mitigate `risk`, all of its plan; True when the set changed."""
    actions = list(actions)
    for action in actions:
        if action.plan_id != risk.plan_id:
            raise ValidationError({"mitigations": MITIGATION_IN_ANOTHER_PLAN.format(ref=action.ref)})
    wanted = {action.pk for action in actions}
    if wanted == set(risk.mitigations.values_list("pk", flat=True)):
        return False
    risk.mitigations.set(actions)
    return True


def action_prerequisite_check(*, action: Action, prerequisite: Action) -> None:
    """Raise ValidationError unless `action` may depend on `prerequisite`: same plan, not itself, no loop."""
    if action.pk == prerequisite.pk:
        raise ValidationError({"prerequisite": PREREQUISITE_IS_ITSELF})
    if action.plan_id != prerequisite.plan_id:
        raise ValidationError({"prerequisite": PREREQUISITE_IN_ANOTHER_PLAN.format(ref=prerequisite.ref)})
    links = {}
    for dependent, needed in Dependency.objects.filter(action__plan_id=action.plan_id).values_list(
        "action_id", "prerequisite_id"
    ):
        links.setdefault(dependent, set()).add(needed)
    # A loop would form if `action` is already among what `prerequisite` needs, however far down.
    seen, waiting = set(), [prerequisite.pk]
    while waiting:
        current = waiting.pop()
        if current == action.pk:
            raise ValidationError(
                {"prerequisite": PREREQUISITE_LOOP.format(prerequisite=prerequisite.ref, action=action.ref)}
            )
        if current not in seen:
            seen.add(current)
            waiting.extend(links.get(current, ()))


@transaction.atomic
def action_prerequisite_add(*, action: Action, prerequisite: Action) -> Dependency:
    """`action` depends on `prerequisite`: same plan, no loops."""
    action_prerequisite_check(action=action, prerequisite=prerequisite)
    dependency, _created = Dependency.objects.get_or_create(action=action, prerequisite=prerequisite)
    return dependency


@transaction.atomic
def action_prerequisite_remove(*, action: Action, prerequisite: Action) -> bool:
    deleted, _ = Dependency.objects.filter(action=action, prerequisite=prerequisite).delete()
    return bool(deleted)
