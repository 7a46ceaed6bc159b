"""The plans domain: plans, areas, people, sponsors, actions, milestones, updates, target date changes, imports
and risks."""

from .action import Action, ActionQuerySet, LoggedChange, Milestone, Slippage
from .history import ActionUpdate, ActionUpdateQuerySet, TargetDateChange
from .imports import PlanImport
from .notifications import DigestSent
from .people import Person, PersonQuerySet
from .plan import Area, Plan, PlanQuerySet, PlanStatusChange, Sponsor, SponsorQuerySet, Theme
from .risk import Dependency, Risk, RiskAssessment, RiskImport, RiskStatus

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
