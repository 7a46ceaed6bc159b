"""The plans domain: plans, areas, people, sponsors, actions, milestones, updates, target date changes, imports,
risks and sign-offs."""

from .action import Action, ActionQuerySet, LoggedChange, Milestone, Slippage
from .history import ActionUpdate, ActionUpdateQuerySet, TargetDateChange
from .imports import PlanImport
from .notifications import DigestSent
from .people import Person, PersonQuerySet
from .plan import Area, Plan, PlanQuerySet, PlanStatusChange, Sponsor, SponsorQuerySet, Theme
from .risk import Dependency, Risk, RiskAssessment, RiskImport, RiskStatus
from .signoff import PlanSignOff, PlanSignOffQuerySet

__all__ = [
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "ActionUpdateQuerySet",
    "Area",
    "Dependency",
    "DigestSent",
    "LoggedChange",
    "Milestone",
    "Plan",
    "PlanImport",
    "PlanSignOff",
    "PlanSignOffQuerySet",
    "Person",
    "PersonQuerySet",
    "PlanQuerySet",
    "PlanStatusChange",
    "Risk",
    "RiskAssessment",
    "RiskImport",
    "RiskStatus",
    "Slippage",
    "Sponsor",
    "SponsorQuerySet",
    "TargetDateChange",
    "Theme",
]
