"""Risks: only the services change a score, and each change is kept in the score history; the register's
reading on a date, its flags and the heat map."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import Risk, RiskAssessment
from plans.risks.heatmap import risk_heat_map
from plans.risks.register import Band, band_for, heat_counts, risk_register
from plans.risks.services import risk_assess, risk_create, risk_mitigations_set
from tests.factories import ActionFactory
from tests.plans.conftest import TODAY, at, days


@pytest.fixture
def register(timeline, admin_user):
    plan, actions = timeline
    staffing = risk_create(plan=plan, ref="R1", title="Social workers cannot be recruited", likelihood=5, impact=5,
                           owner="ADCSC", target_score=8, review_date=days(30), author=admin_user, at=at(days(-60)),
                           mitigations=[actions["A"], actions["C"]])  # fmt: skip
    systems = risk_create(plan=plan, ref="R2", title="Case system delayed", likelihood=2, impact=3,
                          review_date=days(-1), at=at(days(-60)), mitigations=[actions["C"]])  # fmt: skip
    return plan, actions, staffing, systems


def test_a_new_risk_starts_its_score_history(register, admin_user):
    _plan, _actions, staffing, _systems = register
    [first] = staffing.assessments.all()
    assert (first.likelihood, first.impact, first.score, first.status) == (5, 5, 25, "open")
    assert first.author == admin_user


def test_a_reassessment_is_recorded_only_when_the_score_or_status_changes(register, admin_user):
    _plan, _actions, staffing, _systems = register

    assert risk_assess(risk=staffing, likelihood=5, impact=5, status="open") is None
    recorded = risk_assess(risk=staffing, likelihood=4, impact=5, status="open", author=admin_user, note="Pay rise")

    staffing.refresh_from_db()
    assert staffing.score == 20 and recorded.score == 20 and recorded.note == "Pay rise"
    assert [a.score for a in staffing.assessments.all()] == [20, 25]


def test_a_score_outside_one_to_five_is_refused(register):
    _plan, _actions, staffing, _systems = register
    with pytest.raises(ValidationError):
        risk_assess(risk=staffing, likelihood=6, impact=5, status="open")
    assert RiskAssessment.objects.filter(risk=staffing).count() == 1


def test_mitigating_actions_come_from_the_risks_own_plan(register):
    _plan, _actions, staffing, _systems = register
    with pytest.raises(ValidationError, match="belongs to another plan"):
        risk_mitigations_set(risk=staffing, actions=[ActionFactory(ref="other")])


def test_the_register_flags_red_or_amber_mitigations_and_overdue_reviews(register):
    _plan, actions, staffing, systems = register
    readings = {reading.risk.ref: reading for reading in risk_register(staffing.plan, as_of=TODAY)}

    r1, r2 = readings["R1"], readings["R2"]
    assert [m.action.ref for m in r1.failing_mitigations] == ["A"]  # A is Amber; C is Blue
    assert not r1.review_overdue and r1.needs_challenge and r1.above_target
    assert r2.failing_mitigations == [] and r2.review_overdue and r2.needs_challenge


def test_the_register_on_a_past_date_reads_the_score_history(register, admin_user):
    plan, _actions, staffing, _systems = register
    RiskAssessment.objects.filter(risk=staffing).update(assessed_at=at(days(-60)))
    risk_assess(risk=staffing, likelihood=3, impact=5, status="open", at=at(days(-10)))

    then = {r.risk.ref: r for r in risk_register(plan, as_of=days(-30))}
    now = {r.risk.ref: r for r in risk_register(plan, as_of=TODAY)}
    before = risk_register(plan, as_of=days(-90))

    assert then["R1"].score == 25 and now["R1"].score == 15
    assert before == []  # neither risk was known yet


@pytest.mark.parametrize(("score", "band"), [(1, Band.LOW), (4, Band.LOW), (5, Band.MEDIUM), (12, Band.MEDIUM),
                                             (15, Band.HIGH), (25, Band.HIGH)])  # fmt: skip
def test_bands(score, band):
    assert band_for(score) == band


def test_the_heat_map_counts_open_risks_with_words_in_each_cell(register):
    plan, _actions, staffing, systems = register
    risk_create(plan=plan, ref="R3", title="Closed <b>risk</b>", likelihood=5, impact=5, status="closed")
    readings = risk_register(plan, as_of=TODAY)

    cells = heat_counts(readings)
    svg = risk_heat_map(readings, title="Open risks & more")

    assert [r.risk.ref for r in cells[(5, 5)]] == ["R1"]  # R3 is closed: off the map
    assert "Likelihood 5 (Almost certain), impact 5 (Severe): score 25, High; 1 risk: R1" in svg
    assert "Likelihood 2 (Unlikely), impact 3 (Moderate): score 6, Medium; 1 risk: R2" in svg
    assert "Likelihood 1 (Rare), impact 1 (Negligible): score 1, Low; 0 risks" in svg
    assert len(re.findall(r"<g role=\"img\"", svg)) == 25
    assert 'aria-label="Open risks &amp; more"' in svg
    assert "<script" not in svg and "<b>" not in svg


def test_the_model_refuses_a_likelihood_outside_one_to_five_in_the_database(register):
    from django.db import IntegrityError, transaction

    _plan, _actions, staffing, _systems = register
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=staffing.pk).update(likelihood=0)
    assert timezone.localdate() >= TODAY - dt.timedelta(days=1)
