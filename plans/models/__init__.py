"""The plans domain: plans, areas, sponsors, actions, milestones, updates, target date changes, imports and risks."""

from .action import Action, ActionQuerySet, LoggedChange, Milestone, Slippage
from .history import ActionUpdate, ActionUpdateQuerySet, TargetDateChange
from .imports import PlanImport
from .plan import Area, Plan, PlanQuerySet, Sponsor, SponsorQuerySet, Theme
from .risk import Dependency, Risk, RiskAssessment, RiskImport, RiskStatus

__all__ = [
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "ActionUpdateQuerySet",
    "Area",
    "Dependency",
    "LoggedChange",
    "Milestone",
    "Plan",
    "PlanImport",
    "PlanQuerySet",
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
