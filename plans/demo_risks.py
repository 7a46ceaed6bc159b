"""The demo plan's risk register and dependencies, of the kind the seed plans and reports name."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Plan
from .risks.services import action_prerequisite_add, risk_assess, risk_create

# (action, the actions it waits for), by the seed plan's refs.
DEPENDENCIES = [
    ("12", ["14"]),  # the case recording system's re-design needs corporate ICT to prioritise CSC
    ("32", ["30", "12"]),  # systems aligned to Signs of Safety need the implementation plan and the re-design
    ("31", ["30", "29"]),  # training needs the plan and the Principal Social Worker who leads it
    ("22", ["21"]),  # the recruitment campaign needs competitive pay
    ("23", ["20"]),  # a permanent leadership team needs the structure set
    ("36", ["35"]),  # the performance framework needs its reporting requirements
    ("38", ["37"]),  # quarterly learning needs the monthly audit programme
    ("44", ["42"]),  # the Early Help needs analysis uses the peer review's findings
    ("15", ["17"]),  # the commissioning approach follows the refreshed Sufficiency Strategy
]

# ref, title, cause, effect, owner, (likelihood, impact) first, now, target score, status, review in days, actions
RISKS = [
    ("R1", "Social workers cannot be recruited or kept",
     "Pay below neighbouring boroughs; reliance on agency staff; heavy caseloads.",
     "Caseloads stay high, children's plans drift and practice does not improve.",
     "ADCSC", (5, 5), (4, 5), 8, "open", -12, ["20", "21", "22", "25"]),
    ("R2", "Case recording system re-design delayed by corporate ICT",
     "Corporate IT infrastructure work is not prioritised for children's social care.",
     "Forms stay misaligned with Signs of Safety; performance data remains unreliable.",
     "EDCYP", (3, 4), (4, 4), 6, "open", 20, ["12", "14", "32"]),
    ("R3", "Placement spending exceeds the budget",
     "Rising numbers of children looked after; few local foster placements; costly residential care.",
     "Overspend forces cuts elsewhere in the service.",
     "HFS", (3, 4), (4, 4), 8, "open", 35, ["7", "8", "16", "17"]),
    ("R4", "Partners withdraw from the multi-agency safeguarding hub",
     "New safeguarding arrangements across three boroughs; police and health staffing pressures.",
     "Contacts are not triaged jointly; decisions at the front door are slower.",
     "EDCYP", (2, 4), (2, 4), 4, "open", 60, ["6", "52", "53"]),
    ("R5", "Quality of practice does not improve fast enough before re-inspection",
     "The level of risk in the service was judged unacceptably high; audit shows too little good practice.",
     "Ofsted judges services inadequate again; intervention by the Department for Education.",
     "ADCSC", (4, 5), (3, 5), 10, "open", -3, ["37", "48", "49"]),
    ("R6", "Signs of Safety is not taken up by partners",
     "Partners' training budgets are committed elsewhere.", "Families meet different practice models.",
     "ADCSC", (3, 3), (1, 3), 3, "closed", 90, ["30", "33"]),
]  # fmt: skip


def demo_risks_load(*, plan: Plan, until: dt.date) -> int:
    """Add the demo's dependencies and risks to `plan`, each risk assessed twice; returns the risks added."""
    admin = get_user_model().objects.get(username="admin")
    actions = {action.ref: action for action in plan.actions.all()}
    for ref, prerequisites in DEPENDENCIES:
        for prerequisite in prerequisites:
            if ref in actions and prerequisite in actions:
                action_prerequisite_add(action=actions[ref], prerequisite=actions[prerequisite])
    first, later = (_at(until - dt.timedelta(days=days)) for days in (75, 20))
    for position, (ref, title, cause, effect, owner, was, now, target, status, review, refs) in enumerate(RISKS, 1):
        risk = risk_create(plan=plan, ref=ref, title=title, cause=cause, effect=effect, owner=owner,
                           likelihood=was[0], impact=was[1], target_score=target, position=position,
                           review_date=until + dt.timedelta(days=review), author=admin, at=first,
                           mitigations=[actions[r] for r in refs if r in actions])  # fmt: skip
        risk_assess(risk=risk, likelihood=now[0], impact=now[1], status=status, author=admin, at=later,
                    note="Reviewed at the improvement board.")  # fmt: skip
    return len(RISKS)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
