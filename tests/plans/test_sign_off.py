"""A plan signed off: the version agreed is kept, and the plan page and export say what changed since."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import Action, Plan, PlanSignOff
from plans.new_actions import action_create, next_action_ref
from plans.services import target_date_record
from plans.signoff import changes_since, plan_sign_off
from tests.factories import ActionFactory, AreaFactory, PersonFactory, PlanFactory

TODAY = timezone.localdate()


@pytest.fixture
def signed_off(db, admin_user):
    """A plan of three actions signed off a month ago, then changed: one added, one removed, one retitled and moved."""
    area = AreaFactory(title="Front door", plan__slug="signed", plan__title="Signed plan")
    keep = ActionFactory(area=area, ref="1", title="Keep", target_date=dt.date(2030, 1, 31))
    change = ActionFactory(area=area, ref="2", title="Old words", target_date=dt.date(2030, 2, 28))
    gone = ActionFactory(area=area, ref="3", title="Gone")
    sign_off = plan_sign_off(
        plan=area.plan, signed_off_by="Improvement Board", signed_off_on=TODAY - dt.timedelta(days=30),
        recorded_by=admin_user,
    )  # fmt: skip
    gone.delete()
    Action.objects.filter(pk=change.pk).update(title="New words")
    target_date_record(
        action=change, new_target_date=dt.date(2030, 6, 30), reason="Board agreed", decided_by=admin_user, at=None
    )
    action_create(plan=area.plan, area=area, title="Arising", created_by=admin_user)
    return sign_off, keep


def test_changes_since_names_what_was_added_removed_retitled_and_moved(signed_off):
    sign_off, _keep = signed_off
    changes = changes_since(sign_off)
    assert changes.as_dict() == {
        "added": [{"ref": "4", "title": "Arising"}],
        "removed": [{"ref": "3", "title": "Gone"}],
        "retitled": [{"ref": "2", "was": "Old words", "now": "New words"}],
        "target_moved": [{"ref": "2", "title": "New words", "was": "2030-02-28", "now": "2030-06-30"}],
    }


def test_an_unchanged_plan_has_no_changes_since(db, admin_user):
    area = AreaFactory()
    ActionFactory(area=area)
    sign_off = plan_sign_off(plan=area.plan, signed_off_by="Cabinet", signed_off_on=TODAY, recorded_by=admin_user)
    assert not changes_since(sign_off)


def test_export_plan_gains_the_signed_off_block(signed_off):
    out = io.StringIO()
    call_command("export_plan", "signed", "--format", "json", stdout=out, stderr=io.StringIO())
    block = json.loads(out.getvalue())["signed_off"]
    assert (block["by"], block["on"], block["recorded_by"]) == (
        "Improvement Board", (TODAY - dt.timedelta(days=30)).isoformat(), "admin-user"
    )  # fmt: skip
    assert [action["ref"] for action in block["actions"]] == ["1", "2", "3"]
    assert block["changed_since"]["added"] == [{"ref": "4", "title": "Arising"}]
    assert block["changed_since"]["removed"] == [{"ref": "3", "title": "Gone"}]


def test_export_of_a_plan_never_signed_off_says_none(db):
    ActionFactory(area__plan__slug="never")
    out = io.StringIO()
    call_command("export_plan", "never", "--format", "json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["signed_off"] is None


def test_the_plan_page_says_who_signed_it_off_and_what_changed(client, viewer, signed_off):
    client.force_login(viewer)
    page = client.get(reverse("plans:plan_detail", args=["signed"])).content.decode()
    assert f"Signed off by Improvement Board on {TODAY - dt.timedelta(days=30):%-d %B %Y}" in page
    assert "1 added, 1 removed, 1 retitled, 1 target moved" in page
    assert "“Old words” is now “New words”" in page


@pytest.mark.parametrize("who", ["manager", "board_member", "viewer"])
def test_only_an_admin_records_a_sign_off(request, db, who):
    plan = PlanFactory()
    with pytest.raises(PermissionDenied):
        plan_sign_off(plan=plan, signed_off_by="Board", signed_off_on=TODAY, recorded_by=request.getfixturevalue(who))
    assert not PlanSignOff.objects.exists()


def test_a_sign_off_needs_a_body_and_a_date_not_to_come(db, admin_user):
    plan = PlanFactory()
    with pytest.raises(ValidationError, match="Say which board"):
        plan_sign_off(plan=plan, signed_off_by=" ", signed_off_on=TODAY, recorded_by=admin_user)
    with pytest.raises(ValidationError, match="not happened yet"):
        plan_sign_off(plan=plan, signed_off_by="Board", signed_off_on=TODAY + dt.timedelta(days=1),
                      recorded_by=admin_user)  # fmt: skip


@pytest.mark.parametrize(("refs", "expected"), [(["3.1", "3.2"], "3.3"), ([], "8"), (["7"], "8"), (["2.9", "5"], "8")])
def test_the_next_reference_follows_the_area_or_the_plan(db, refs, expected):
    plan = PlanFactory()
    area, other = AreaFactory(plan=plan), AreaFactory(plan=plan)
    ActionFactory(area=other, ref="7")
    for ref in refs:
        if ref != "7":
            ActionFactory(area=area, ref=ref)
    assert next_action_ref(plan, area) == expected


def test_a_new_action_is_refused_on_a_closed_plan_and_for_a_manager(db, admin_user, manager):
    area = AreaFactory()
    with pytest.raises(PermissionDenied):
        action_create(plan=area.plan, area=area, title="Mine", created_by=manager)
    Plan.objects.filter(pk=area.plan_id).update(status=Plan.Status.CLOSED)
    area.plan.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        action_create(plan=area.plan, area=area, title="Late", created_by=admin_user)
    assert not Action.objects.exists()


def test_a_new_action_takes_its_leads_and_keeps_them_in_the_lead_cell(db, admin_user):
    area = AreaFactory()
    lead = PersonFactory(name="Jo Bloggs")
    action = action_create(plan=area.plan, area=area, title="  New   work ", created_by=admin_user, leads=[lead],
                           target_date=dt.date(2031, 1, 31))  # fmt: skip
    assert (action.title, action.lead, list(action.leads.all())) == ("New work", "Jo Bloggs", [lead])
    assert (action.target_date, action.target_text) == (dt.date(2031, 1, 31), "")  # nothing was written in a plan


@pytest.mark.parametrize("actions", [10, 300])
def test_the_plan_page_of_a_signed_off_plan_costs_the_same_however_many_actions(
    client, viewer, admin_user, django_assert_max_num_queries, actions
):
    area = AreaFactory(plan__slug="sized")
    for number in range(actions):
        ActionFactory(area=area, ref=str(number + 1))
    plan_sign_off(plan=area.plan, signed_off_by="Board", signed_off_on=TODAY, recorded_by=admin_user)
    Action.objects.filter(ref="1").update(title="Retitled")
    client.force_login(viewer)
    # The plan page's own queries (tests/plans/test_pages.py) and one for the actions compared with the sign-off.
    with django_assert_max_num_queries(17):
        page = client.get(reverse("plans:plan_detail", args=["sized"]))
    assert "1 retitled" in page.content.decode()
