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
from .models import Action, Area, Plan, Sponsor
from .rag import Status, reported_rag_from_text
from .services import action_update, target_date_change_decide, target_date_change_request

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


def _load_plan(seed, years):
    legend = seed["legend"]
    for entry in legend["sponsors"]:
        Sponsor.objects.update_or_create(abbreviation=entry["abbreviation"], defaults={"role": entry["role"]})
    abbreviations = [entry["abbreviation"] for entry in legend["sponsors"]]
    manager = get_user_model().objects.get(username="manager")
    Sponsor.objects.filter(user=manager).update(user=None)
    Sponsor.objects.filter(abbreviation=MANAGER_SPONSOR).update(user=manager)

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
            for parsed in (start, target):
                if parsed.problem:
                    warnings.append(f"Action {ref}: {parsed.problem}")
            if start.date and target.date and start.date > target.date:
                warnings.append(f'Action {ref}: starts "{start.text}", after its target "{target.text}"')
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
    return plan, warnings


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


def _month_end(date):
    next_month = date.replace(day=28) + dt.timedelta(days=4)
    return next_month - dt.timedelta(days=next_month.day)
