"""The board's reading of a plan's risks on a date: score as assessed then, band, and what needs challenge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from common.colours import RAG_COLOURS, Colour

from ..models import Action, Plan, Risk, RiskAssessment, RiskStatus
from ..rag import RAG
from ..reading import ActionReading, read_action


class Band(models.TextChoices):
    """How serious a score is, in the words of a council's risk matrix; drawn in the RAG colours."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"

    @property
    def colour(self) -> Colour:
        return RAG_COLOURS[BAND_RAG[self]]


BAND_RAG = {Band.HIGH: RAG.RED, Band.MEDIUM: RAG.AMBER, Band.LOW: RAG.GREEN}
BAND_MEANINGS = {Band.HIGH: "15–25", Band.MEDIUM: "5–12", Band.LOW: "1–4"}


LIKELIHOOD_WORDS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_WORDS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


def band_for(score: int) -> Band:
    if score >= 15:
        return Band.HIGH
    if score >= 5:
        return Band.MEDIUM
    return Band.LOW


@dataclass(frozen=True)
class RiskReading:
    risk: Risk
    as_of: dt.date
    likelihood: int
    impact: int
    status: str
    mitigations: tuple[ActionReading, ...]
    review_overdue: bool

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band_for(self.score)

    @property
    def band_rag(self) -> RAG:
        """The RAG colour the band is drawn in (its word is the band's own)."""
        return BAND_RAG[self.band]

    @property
    def status_label(self) -> str:
        return RiskStatus(self.status).label

    @property
    def failing_mitigations(self) -> list[ActionReading]:
        """Mitigating actions that are Red or Amber: the risk is less covered than the register says."""
        return [reading for reading in self.mitigations if reading.rag in (RAG.RED, RAG.AMBER)]

    @property
    def above_target(self) -> bool:
        return self.risk.target_score is not None and self.score > self.risk.target_score

    @property
    def needs_challenge(self) -> bool:
        return self.status != RiskStatus.CLOSED and bool(self.failing_mitigations or self.review_overdue)


def _as_assessed(risk: Risk, as_of: dt.date) -> tuple[int, int, str] | None:
    """(likelihood, impact, status) from the latest assessment known on `as_of`; None if the risk was not yet known."""
    if as_of >= timezone.localdate():
        return risk.likelihood, risk.impact, risk.status
    known = [a for a in risk.prefetched_assessments if timezone.localdate(a.assessed_at) <= as_of]
    if not known:
        return None
    latest = max(known, key=lambda assessment: (assessment.assessed_at, assessment.pk))
    return latest.likelihood, latest.impact, latest.status


def risk_register(plan: Plan, *, as_of: dt.date) -> list[RiskReading]:
    """Every risk of `plan` known on `as_of`, as assessed then, with its mitigating actions read on that date."""
    assessments = models.Prefetch(
        "assessments", queryset=RiskAssessment.objects.order_by(), to_attr="prefetched_assessments"
    )
    risks = list(plan.risks.prefetch_related(assessments))
    if not risks:
        return []
    links = list(Risk.mitigations.through.objects.filter(risk__plan=plan).values_list("risk_id", "action_id"))
    actions = Action.objects.filter(pk__in={action_id for _risk, action_id in links})
    mitigation_readings = {
        action.pk: read_action(action, as_of)
        for action in actions.select_related("area").with_milestones().with_updates_known_on(as_of)
    }
    mitigations_of: dict[int, list[ActionReading]] = {}
    for risk_id, action_id in links:
        mitigations_of.setdefault(risk_id, []).append(mitigation_readings[action_id])
    readings = []
    for risk in risks:
        assessed = _as_assessed(risk, as_of)
        if assessed is None:
            continue
        likelihood, impact, status = assessed
        closed = status == RiskStatus.CLOSED
        readings.append(
            RiskReading(
                risk=risk,
                as_of=as_of,
                likelihood=likelihood,
                impact=impact,
                status=status,
                mitigations=tuple(sorted(mitigations_of.get(risk.pk, []), key=lambda r: r.action.position)),
                review_overdue=not closed and risk.review_date is not None and risk.review_date < as_of,
            )
        )
    return readings


def heat_counts(readings: list[RiskReading]) -> dict[tuple[int, int], list[RiskReading]]:
    """{(likelihood, impact): the open risks scored there}; closed risks leave the map."""
    cells: dict[tuple[int, int], list[RiskReading]] = {}
    for reading in readings:
        if reading.status != RiskStatus.CLOSED:
            cells.setdefault((reading.likelihood, reading.impact), []).append(reading)
    return cells
