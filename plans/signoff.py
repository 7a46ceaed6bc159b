"""Signing off a plan: the record of the version a board agreed, and what has changed in the plan since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .models import Action, Person, Plan, PlanSignOff

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

NOT_ALLOWED_TO_SIGN_OFF = "Only an admin may record that a board signed off the plan."
SIGN_OFF_NEEDS_BODY = "Say which board or body signed off the plan."
SIGN_OFF_IN_FUTURE = "A plan cannot be signed off at a meeting that has not happened yet."
SIGN_OFF_PERMISSION = "plans.add_plansignoff"


def _actions_of(plan: Plan):
    return (
        Action.objects.filter(plan=plan)
        .select_related("area")
        .prefetch_related(Prefetch("leads", queryset=Person.objects.only("name")))
        .order_by("position", "pk")
    )


def _action_as_signed(action: Action) -> dict:
    return {
        "ref": action.ref,
        "title": action.title,
        "area": str(action.area),
        "target_date": action.target_date.isoformat() if action.target_date else None,
        "leads": action.lead_names,
    }


def plan_snapshot(plan: Plan) -> dict:
    """The plan's areas and actions as they stand: what a sign-off keeps. Three queries whatever the size."""
    return {
        "areas": [{"number": area.number, "title": area.title} for area in plan.areas.all()],
        "actions": [_action_as_signed(action) for action in _actions_of(plan)],
    }


@transaction.atomic
def plan_sign_off(
    *,
    plan: Plan,
    signed_off_by: str,
    signed_off_on: dt.date,
    recorded_by: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> PlanSignOff:
    """Record that `signed_off_by` agreed the plan as it stands now, at its meeting on `signed_off_on`."""
    if recorded_by is not None and not recorded_by.has_perm(SIGN_OFF_PERMISSION):
        raise PermissionDenied(NOT_ALLOWED_TO_SIGN_OFF)
    signed_off_by = " ".join(signed_off_by.split())
    if not signed_off_by:
        raise ValidationError({"signed_off_by": SIGN_OFF_NEEDS_BODY})
    if signed_off_on > timezone.localdate():
        raise ValidationError({"signed_off_on": SIGN_OFF_IN_FUTURE})
    sign_off = PlanSignOff(
        plan=plan,
        signed_off_by=signed_off_by,
        signed_off_on=signed_off_on,
        recorded_by=recorded_by,
        recorded_at=at or timezone.now(),
        snapshot=plan_snapshot(plan),
    )
    sign_off.full_clean()
    sign_off.save()
    return sign_off


@dataclass(frozen=True)
class Retitled:
    ref: str
    was: str
    now: str


@dataclass(frozen=True)
class TargetMoved:
    ref: str
    title: str
    was: str | None  # ISO dates, as the snapshot keeps them
    now: str | None


@dataclass
class ChangesSinceSignOff:
    """How the plan differs from the version signed off: actions are matched by their reference."""

    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    retitled: list[Retitled] = field(default_factory=list)
    target_moved: list[TargetMoved] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.retitled or self.target_moved)

    def as_dict(self) -> dict:
        return {
            "added": [{"ref": a["ref"], "title": a["title"]} for a in self.added],
            "removed": [{"ref": a["ref"], "title": a["title"]} for a in self.removed],
            "retitled": [{"ref": r.ref, "was": r.was, "now": r.now} for r in self.retitled],
            "target_moved": [{"ref": t.ref, "title": t.title, "was": t.was, "now": t.now} for t in self.target_moved],
        }


def changes_since(sign_off: PlanSignOff) -> ChangesSinceSignOff:
    """What changed in the plan since `sign_off`: actions added, removed, retitled and targets moved."""
    signed = {action["ref"]: action for action in sign_off.snapshot.get("actions", [])}
    # Only what the comparison reads, as tuples: one query, and cheap for a plan of many thousand actions.
    rows = Action.objects.filter(plan_id=sign_off.plan_id).order_by("position", "pk")
    now = {
        ref: {"ref": ref, "title": title, "target_date": target.isoformat() if target else None}
        for ref, title, target in rows.values_list("ref", "title", "target_date")
    }
    changes = ChangesSinceSignOff(
        added=[action for ref, action in now.items() if ref not in signed],
        removed=[action for ref, action in signed.items() if ref not in now],
    )
    for ref, action in now.items():
        before = signed.get(ref)
        if before is None:
            continue
        if before["title"] != action["title"]:
            changes.retitled.append(Retitled(ref=ref, was=before["title"], now=action["title"]))
        if before["target_date"] != action["target_date"]:
            changes.target_moved.append(
                TargetMoved(ref=ref, title=action["title"], was=before["target_date"], now=action["target_date"])
            )
    return changes


def signed_off_as_dict(plan: Plan) -> dict | None:
    """The export's `signed_off` block: the version signed off last and what changed since; None if never."""
    sign_off = PlanSignOff.objects.latest_for(plan)
    if sign_off is None:
        return None
    return {
        "by": sign_off.signed_off_by,
        "on": sign_off.signed_off_on.isoformat(),
        "recorded_by": sign_off.recorded_by.get_username() if sign_off.recorded_by else None,
        "recorded_at": timezone.localtime(sign_off.recorded_at).isoformat(),
        "areas": sign_off.snapshot.get("areas", []),
        "actions": sign_off.snapshot.get("actions", []),
        "changed_since": changes_since(sign_off).as_dict(),
    }
