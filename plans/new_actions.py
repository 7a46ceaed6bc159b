"""Adding an action to a plan by hand (a board's action arising, for one): the one way outside the import.

A sibling of plans/services.py: the action is created here with its audit record (who, when, why), so that its
history starts with how it came to be; its state changes after that only through plans.services.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from .models import Action, Area, Person, Plan
from .rag import Status
from .services import refuse_if_closed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

NOT_ALLOWED_TO_ADD_ACTION = "Only an admin may add an action to a plan."
AREA_OF_ANOTHER_PLAN = "This area belongs to another plan."
ACTION_NEEDS_TITLE = "Say what the action is."
ACTION_REF_TAKEN = "The plan already has an action {ref}."
ADD_ACTION_PERMISSION = "plans.add_action"
_DOTTED = re.compile(r"^(?P<stem>.*\.)(?P<last>\d+)$")


def next_action_ref(plan: Plan, area: Area) -> str:
    """The reference the next action of `area` takes: "3.4" after "3.3" in a plan numbered by area, else "86".

    Never one the plan has used before (its action's history remembers removed actions).
    """
    area_refs = list(Action.objects.filter(area=area).values_list("ref", flat=True))
    dotted = [match for ref in area_refs if (match := _DOTTED.match(ref))]
    # A reference once used in the plan is never given again, even after its action was removed: the board's
    # papers and a sign-off's snapshot name actions by reference.
    taken = set(Action.objects.filter(plan=plan).values_list("ref", flat=True))
    taken |= set(Action.history.filter(plan_id=plan.pk).values_list("ref", flat=True).distinct())
    if dotted and len(dotted) == len(area_refs) and len({match["stem"] for match in dotted}) == 1:
        stem, number = dotted[0]["stem"], max(int(match["last"]) for match in dotted) + 1
    else:
        stem, number = "", max((int(ref) for ref in taken if ref.isdigit()), default=0) + 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    area: Area,
    title: str,
    created_by: AbstractBaseUser | None,
    target_date: dt.date | None = None,
    leads: Iterable[Person] = (),
    description: str = "",
    ref: str = "",
    reason: str = "",
) -> Action:
    """A new action at the end of `area`, not started, with its creation in the action's history.

    `reason` says where it came from ("Action arising from the Improvement Board, 12 November 2026"); the change
    log shows it beside who added it.
    """
    refuse_if_closed(plan)
    if created_by is not None and not created_by.has_perm(ADD_ACTION_PERMISSION):
        raise PermissionDenied(NOT_ALLOWED_TO_ADD_ACTION)
    if area.plan_id != plan.pk:
        raise ValidationError({"area": AREA_OF_ANOTHER_PLAN})
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": ACTION_NEEDS_TITLE})
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one new reference at a time per plan
    ref = ref.strip() or next_action_ref(plan, area)
    if Action.objects.filter(plan=plan, ref=ref).exists():
        raise ValidationError({"ref": ACTION_REF_TAKEN.format(ref=ref)})
    leads = list(leads)
    position = (Action.objects.filter(plan=plan).aggregate(last=Max("position"))["last"] or 0) + 1
    action = Action(
        plan=plan,
        area=area,
        ref=ref,
        position=position,
        title=title[:500],
        description=description,
        target_date=target_date,
        lead=" / ".join(person.name for person in leads)[:200],
        status=Status.NOT_STARTED,
    )
    action.full_clean(exclude=["leads", "sponsors"])
    action._history_user = created_by
    action._change_reason = reason[:100]
    action.save()
    action.leads.set(leads)
    return action
