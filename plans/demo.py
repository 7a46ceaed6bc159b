"""The demo: the seed plan from fixtures/, demo users for each role and some update history."""

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import roles
from .demo_risks import demo_risks_load
from .importing.cells import split_action_ref, split_lettered_items, split_sponsors
from .importing.dates import parse_plan_date
from .importing.values import NOT_STARTED, read_status
from .models import Action, Area, Person, Plan, Sponsor
from .rag import Status, reported_rag_from_text
from .services import action_update, milestone_add, target_date_change_decide, target_date_change_request

SEED_PLAN = Path(settings.BASE_DIR) / "fixtures" / "csc_improvement_plan.json"
DEMO_PASSWORD = "demo"
DEMO_USERS = [
    # username, role, full name
    ("admin", roles.ADMIN, "Pat Admin"),
    ("manager", roles.MANAGER, "Morgan Manager"),
    ("board", roles.BOARD_MEMBER, "Bailey Board"),
    ("viewer", roles.VIEWER, "Vic Viewer"),
]
# The demo manager is the sponsor who holds most of the seed plan's actions.
MANAGER_SPONSOR = "ADCSC"
# Made-up leads (the seed plan names none): heads of service, and partner agencies' officers as co-leads.
DEMO_LEADS = [
    # name, job title, organisation
    ("Alex Okafor", "Head of Service, Quality Assurance", "The council"),
    ("Priya Shah", "Head of Finance, Children and Young People", "The council"),
    ("Tom Whitfield", "Head of Business Systems", "The council"),
    ("Grace Mensah", "Head of Commissioning", "The council"),
    ("Hannah Clarke", "Principal Social Worker", "The council"),
    ("Dev Patel", "Head of Early Help", "The council"),
    ("Ruth Adeyemi", "Head of Service, Front Door", "The council"),
    ("Chris Byrne", "Head of Service, Children in Care", "The council"),
]
PARTNER_LEADS = {
    # Areas the council delivers with a partner agency: its officer co-leads every action of the area.
    "MASH": ("DI Sam Reid", "Detective Inspector, Public Protection", "Metropolitan Police"),
    "Early Help": ("Jo Evans", "Designated Nurse, Safeguarding", "NHS integrated care board"),
    "Contextual Safeguarding": ("DI Sam Reid", "Detective Inspector, Public Protection", "Metropolitan Police"),
}


@dataclass
class DemoResult:
    plan: Plan
    years_shifted: int
    loaded: bool
    warnings: list = field(default_factory=list)


def years_to_make_live(seed, today):
    """The whole number of years that brings the seed plan's median target date to today or just after.

    Half the targets then fall due in the coming months and the earliest are past: the mix of
    colours a live plan shows. The median ignores a stray typo such as "Nov 19" in a 2018 plan.
    """
    targets = sorted(
        parsed.date
        for area in seed["areas"]
        for action in area["actions"]
        if (parsed := parse_plan_date(action["target"])).date
    )
    median = targets[len(targets) // 2]
    years = today.year - median.year
    while _shift(median, years) < today:
        years += 1
    while _shift(median, years - 1) >= today:
        years -= 1
    return years


def _shift(date, years):
    if date is None:
        return None
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def _shift_text(text, years):
    """ "Dec 18" read with the same shift as its date becomes "Dec 26"."""
    if not years:
        return text
    text = re.sub(r"\b(19|20)(\d{2})\b", lambda m: str(int(m.group(0)) + years), text)
    return re.sub(
        r"(?<=[A-Za-z])(\.?\s*)(\d{2})\b(?!\s*/)",
        lambda m: f"{m.group(1)}{(int(m.group(2)) + years) % 100:02d}",
        text,
    )


def load_seed():
    return json.loads(SEED_PLAN.read_text(encoding="utf-8"))


@transaction.atomic
def demo_load(*, current=False, reset=False, today=None):
    """Load the demo plan and users. Running it again changes nothing unless `reset` is given."""
    today = today or timezone.localdate()
    seed = load_seed()
    _load_users()
    existing = Plan.objects.filter(slug=seed["plan"]["slug"]).first()
    if existing and not reset:
        return DemoResult(plan=existing, years_shifted=0, loaded=False)
    if existing:
        # Issued board packs are records that protect their plan; resetting the demo starts its story again.
        for pack in existing.board_packs.all():
            pack.pdf.delete(save=False)
        existing.board_packs.all().delete()
        existing.actions.all().delete()
        existing.delete()
    years_live = years_to_make_live(seed, today)
    years = years_live if current else 0
    plan, warnings = _load_plan(seed, years)
    # History runs up to the day the plan is "live": today once shifted, the same day in the seed's years otherwise.
    _make_history(plan, until=_shift(today, years - years_live))
    _make_milestones(plan, until=_shift(today, years - years_live))
    demo_risks_load(plan=plan, until=_shift(today, years - years_live))
    return DemoResult(plan=plan, years_shifted=years, loaded=True, warnings=warnings)


def _load_users():
    User = get_user_model()
    for username, role, full_name in DEMO_USERS:
        first_name, last_name = full_name.split()
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@example.org"
        user.is_staff = user.is_superuser = role == roles.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])


def _sponsors_for(text, legend_abbreviations):
    sponsors = []
    for name in split_sponsors(text, legend_abbreviations):
        sponsor = Sponsor.objects.matching(name).first()
        if sponsor is None:
            is_abbreviation = re.fullmatch(r"[A-Z]{2,8}", name) is not None
            sponsor = Sponsor.objects.create(
                abbreviation=name if is_abbreviation else "", role="" if is_abbreviation else name
            )
        sponsors.append(sponsor)
    return sponsors


def _demo_person(name, job_title, organisation):
    slug = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
    person, _ = Person.objects.get_or_create(
        name=name, defaults={"job_title": job_title, "organisation": organisation, "email": f"{slug}@example.org"}
    )
    return person


def _load_plan(seed, years):
    legend = seed["legend"]
    for entry in legend["sponsors"]:
        Sponsor.objects.update_or_create(abbreviation=entry["abbreviation"], defaults={"role": entry["role"]})
    abbreviations = [entry["abbreviation"] for entry in legend["sponsors"]]
    manager = get_user_model().objects.get(username="manager")
    manager_person, _ = Person.objects.update_or_create(
        user=manager,
        defaults={"name": manager.get_full_name(), "email": manager.email, "job_title": "Assistant Director CSC",
                  "organisation": "The council"},
    )  # fmt: skip
    Sponsor.objects.filter(person=manager_person).update(person=None)
    Sponsor.objects.filter(abbreviation=MANAGER_SPONSOR).update(person=manager_person)
    leads = [_demo_person(*lead) for lead in DEMO_LEADS]

    plan = Plan.objects.create(status=Plan.Status.ACTIVE, **seed["plan"])
    warnings = []
    position = 0
    for area_position, area_seed in enumerate(seed["areas"], start=1):
        area = Area.objects.create(
            plan=plan, title=area_seed["title"], outcome=area_seed["outcome"], position=area_position
        )
        for cells in area_seed["actions"]:
            position += 1
            ref, text = split_action_ref(cells["text"])
            intro, items = split_lettered_items(text)
            start = parse_plan_date(cells["start"], period_end=False)
            target = parse_plan_date(cells["target"])
            # The seed's status is recorded through the update service with the history (_make_history).
            action = Action.objects.create(
                plan=plan,
                area=area,
                ref=ref,
                position=position,
                title=intro.split("\n")[0][:500],
                description=intro,
                sub_items=[{"letter": letter, "text": item} for letter, item in items],
                start_date=_shift(start.date, years),
                start_text=_shift_text(start.text, years),
                target_date=_shift(target.date, years),
                target_text=_shift_text(target.text, years),
                sponsor_text=cells["sponsor"],
                status_text=cells["status"],
            )
            action.sponsors.set(_sponsors_for(cells["sponsor"], abbreviations))
            warnings += _dates_to_check(action, start, target)
            # Every action has a lead; the manager leads the areas of direct practice with children.
            area_lead = manager_person if area_position >= 13 and area_position % 3 == 0 else leads[area_position % 8]
            partner = [_demo_person(*PARTNER_LEADS[area.title])] if area.title in PARTNER_LEADS else []
            action.leads.set([area_lead, *partner])
            action.lead = " / ".join(person.name for person in action.leads.all())
            action.save(update_fields=["lead"])
    return plan, warnings


def _dates_to_check(action, start, target):
    """What an admin should check about an action's dates, and where to correct them: the seed is a real plan."""
    where = (
        f"compare it with the plan's own document and correct the date in the admin "
        f"(/admin/plans/action/{action.pk}/change/); the action's page is {action.get_absolute_url()}"
    )
    warnings = [
        f"Action {action.ref}: {parsed.problem}. Read the date as written, {where}."
        for parsed in (start, target)
        if parsed.problem
    ]
    if start.date and target.date and start.date > target.date:
        warnings.append(
            f'Action {action.ref}: starts "{action.start_text}", after its target "{action.target_text}". '
            f"One of the two dates is wrong in the plan: {where}."
        )
    return warnings


COMMENTARY = {
    "started": [
        "Work has started; project group meets fortnightly.",
        "Scoping complete and lead officer identified.",
        "Terms of reference agreed at SMT.",
    ],
    "progress": [
        "Good progress this month; draft shared with the sponsor for comment.",
        "Consultation with staff completed; feedback being analysed.",
        "On track. Next milestone is sign-off at the departmental leadership team.",
        "Recruitment to the two posts under way; interviews booked.",
    ],
    "risk": [
        "Dependent on ICT changes which have slipped; escalated to the Head of IT.",
        "Two key posts vacant; interim cover being sought.",
        "Partner sign-off delayed until the next joint board.",
    ],
    "done": [
        "Completed and signed off by the sponsor; evidence on the shared drive.",
        "Delivered. Impact will be tested in the next audit cycle.",
    ],
}


def _at(date, hour=10):
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))


def _make_history(plan, until):
    """A believable, repeatable history of updates up to `until`, the day the demo is seen."""
    manager = get_user_model().objects.get(username="manager")
    admin = get_user_model().objects.get(username="admin")
    for action in plan.actions.prefetch_related("sponsors").order_by("position"):
        chance = random.Random(f"{plan.slug}:{action.ref}")
        author = manager if action.can_be_updated_by(manager) else admin
        target = action.target_date
        # The seed's status column holds RAG words; read them as the importer does.
        seeded = read_status(action.status_text) or NOT_STARTED
        if seeded.status != Status.NOT_STARTED:
            # The seed gave a status: record it when the plan was written and again recently, so that
            # the dashboard as at the last board shows it too.
            for days_ago in (chance.randint(45, 60), chance.randint(2, 20)):
                action_update(
                    action=action,
                    author=author,
                    status=seeded.status,
                    at_risk=seeded.at_risk,
                    at_risk_reason=f'Marked "{action.status_text}" in the plan' if seeded.at_risk else "",
                    reported_rag=reported_rag_from_text(action.status_text) or "",
                    commentary=f'Status in the plan: "{action.status_text}". ' + chance.choice(COMMENTARY["progress"]),
                    at=_at(until - dt.timedelta(days=days_ago)),
                )
            continue
        if target is None or action.status_text:
            continue
        began = action.start_date or target - dt.timedelta(days=180)
        if began >= until or chance.random() < 0.15:
            continue
        first = min(began + dt.timedelta(days=chance.randint(0, 14)), until - dt.timedelta(days=40))
        action_update(
            action=action,
            author=author,
            status=Status.IN_PROGRESS,
            commentary=chance.choice(COMMENTARY["started"]),
            at=_at(first),
        )
        finishing_early = target < until + dt.timedelta(days=45) and chance.random() < 0.35
        if target < until or finishing_early:
            if finishing_early or chance.random() < 0.6:
                done = max(first + dt.timedelta(days=1), min(target, until) - dt.timedelta(days=chance.randint(0, 20)))
                action_update(
                    action=action,
                    author=author,
                    status=Status.COMPLETED,
                    commentary=chance.choice(COMMENTARY["done"]),
                    at=_at(done),
                )
            continue
        if chance.random() < 0.15:
            moved_at = _at(first + dt.timedelta(days=7))
            change = target_date_change_request(
                action=action,
                requested_by=author,
                new_target_date=_month_end(target + dt.timedelta(days=31 * chance.randint(1, 3))),
                reason="Dependent on a restructure that the board agreed to phase.",
                at=moved_at,
            )
            target_date_change_decide(change=change, decided_by=admin, approve=True, at=moved_at)
            action.refresh_from_db()
        latest = until - dt.timedelta(days=chance.randint(1, 50))
        if latest <= first:
            continue
        at_risk = chance.random() < 0.25
        action_update(
            action=action,
            author=author,
            status=Status.IN_PROGRESS,
            at_risk=at_risk,
            at_risk_reason=chance.choice(COMMENTARY["risk"]) if at_risk else "",
            commentary=chance.choice(COMMENTARY["risk" if at_risk else "progress"]),
            at=_at(latest),
        )


# Steps of the kind the plan's actions are delivered through, for the first few actions still in progress.
MILESTONE_STEPS = [
    "Draft agreed with the sponsor",
    "Consultation with staff and partners",
    "Sign-off at the leadership team",
]


def _make_milestones(plan, until, actions=6):
    """A few upcoming milestones spread between `until` and the target, so the dashboard lists some as due."""
    in_progress = plan.actions.filter(status=Status.IN_PROGRESS, target_date__gt=until + dt.timedelta(days=30))
    for action in in_progress.order_by("position")[:actions]:
        span = (action.target_date - until).days
        for step, title in enumerate(MILESTONE_STEPS, start=1):
            milestone_add(action=action, by=None, title=title, target_date=until + dt.timedelta(days=span * step // 4))


def _month_end(date):
    next_month = date.replace(day=28) + dt.timedelta(days=4)
    return next_month - dt.timedelta(days=next_month.day)
