"""The admin writes a risk's score through its service (the history gains an entry) and checks dependencies by the
service's rules, showing its refusal on the form."""

from django.urls import reverse

from plans.models import Dependency, Risk
from plans.risks.services import PREREQUISITE_LOOP, action_prerequisite_add
from tests.factories import ActionFactory, AreaFactory, PlanFactory


def _risk_form(plan, action, **changes):
    data = {"plan": plan.pk, "ref": "R1", "position": 0, "title": "Staffing", "likelihood": 3, "impact": 4,
            "status": "open", "mitigations": [action.pk],
            "assessments-TOTAL_FORMS": 0, "assessments-INITIAL_FORMS": 0}  # fmt: skip
    return data | changes


def test_a_risk_added_and_rescored_in_the_admin_keeps_its_score_history(admin_client, admin_user):
    plan = PlanFactory()
    action = ActionFactory(area=AreaFactory(plan=plan))

    added = admin_client.post(reverse("admin:plans_risk_add"), _risk_form(plan, action))
    assert added.status_code == 302
    risk = Risk.objects.get()
    assert [(a.score, a.author) for a in risk.assessments.all()] == [(12, admin_user)]

    change = reverse("admin:plans_risk_change", args=[risk.pk])
    data = _risk_form(plan, action, likelihood=5, **{"assessments-INITIAL_FORMS": 1, "assessments-TOTAL_FORMS": 1})
    data["assessments-0-id"] = risk.assessments.get().pk
    data["assessments-0-risk"] = risk.pk
    assert admin_client.post(change, data).status_code == 302
    assert [a.score for a in risk.assessments.all()] == [20, 12]


def test_the_admin_refuses_mitigations_from_another_plan(admin_client):
    plan = PlanFactory()
    other = ActionFactory(ref="elsewhere")
    response = admin_client.post(reverse("admin:plans_risk_add"), _risk_form(plan, other))
    assert response.status_code == 200 and "belongs to another plan" in response.content.decode()
    assert not Risk.objects.exists()


def test_the_admin_refuses_a_dependency_loop_on_the_form(admin_client):
    area = AreaFactory()
    first, second = ActionFactory(area=area, ref="1"), ActionFactory(area=area, ref="2")
    action_prerequisite_add(action=second, prerequisite=first)

    response = admin_client.post(reverse("admin:plans_dependency_add"), {"action": first.pk, "prerequisite": second.pk})

    assert response.status_code == 200
    assert PREREQUISITE_LOOP.format(prerequisite="2", action="1") in response.content.decode()
    assert Dependency.objects.count() == 1
