"""The plans domain: plans, areas, people, sponsors, actions, milestones, updates, target date changes and imports."""

from .action import Action, ActionQuerySet, LoggedChange, Milestone, Slippage
from .history import ActionUpdate, ActionUpdateQuerySet, TargetDateChange
from .imports import PlanImport
from .notifications import DigestSent
from .people import Person, PersonQuerySet
from .plan import Area, Plan, PlanQuerySet, Sponsor, SponsorQuerySet, Theme

__all__ = [
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "ActionUpdateQuerySet",
    "Area",
    "DigestSent",
    "LoggedChange",
    "Milestone",
    "Plan",
    "PlanImport",
    "Person",
    "PersonQuerySet",
    "PlanQuerySet",
    "Slippage",
    "Sponsor",
    "SponsorQuerySet",
    "TargetDateChange",
    "Theme",
]
