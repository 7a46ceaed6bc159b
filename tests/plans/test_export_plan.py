"""export_plan: the whole plan as JSON in the documented shape."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from plans.models import Theme
from plans.rag import Cadence, Status
from plans.services import action_update, target_date_change_decide, target_date_change_request
from tests.factories import ActionFactory, AreaFactory, MilestoneFactory, SponsorFactory


def export(*args):
    out = io.StringIO()
    call_command("export_plan", *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def action(db, admin_user):
    area = AreaFactory(title="Workforce", plan__slug="p1", plan__title="Plan one")
    action = ActionFactory(
        area=area,
        ref="1.1",
        title="Recruit",
        target_date=dt.date(2018, 12, 31),
        target_text="Dec 18",
        sponsors=[SponsorFactory(abbreviation="ADCSC")],
    )
    MilestoneFactory(action=action, title="Advertise", target_date=dt.date(2018, 10, 31), target_text="Oct 18")
    action_update(
        action=action,
        author=admin_user,
        status=Status.IN_PROGRESS,
        commentary="Started",
        at=dt.datetime(2018, 9, 1, 10, tzinfo=dt.UTC),
    )
    return action


def test_it_writes_the_documented_shape(action):
    data = export("p1", "--as-of", "2018-09-15")
    assert data["plan"] == {"slug": "p1", "title": "Plan one", "status": "active", "description": "", "themes": []}
    assert data["themes"] == []
    [area] = data["areas"]
    assert (area["title"], area["theme"]) == ("Workforce", None)
    # Text as written, an empty string when the plan gives none.
    assert {key: area[key] for key in ("outcome", "objectives", "measured_by", "kpis")} == {
        "outcome": "",
        "objectives": "",
        "measured_by": "",
        "kpis": [],
    }
    [exported] = area["actions"]
    assert {
        k: exported[k]
        for k in ["ref", "title", "lead", "sponsors", "start_date", "target_date", "target_text", "status", "rag"]
    } == {
        "ref": "1.1",
        "title": "Recruit",
        "lead": "",
        "sponsors": ["ADCSC"],
        "start_date": None,
        "target_date": "2018-12-31",
        "target_text": "Dec 18",
        "status": "in_progress",
        "rag": "green",
    }
    assert exported["milestones"] == [
        {"title": "Advertise", "target_date": "2018-10-31", "target_text": "Oct 18", "done_on": None}
    ]
    [update] = exported["updates"]
    assert (update["by"], update["status"], update["rag"], update["commentary"]) == (
        "admin-user",
        "in_progress",
        "green",
        "Started",
    )
    assert update["at"].startswith("2018-09-01T11:00:00")


def test_rag_is_computed_as_of_the_given_date(action):
    assert export("p1", "--as-of", "2018-11-01")["areas"][0]["actions"][0]["rag"] == "amber"  # milestone late
    assert export("p1", "--as-of", "2019-01-01")["areas"][0]["actions"][0]["rag"] == "red"


def test_it_writes_to_a_file(action, tmp_path):
    call_command("export_plan", "p1", "-o", str(tmp_path / "plan.json"), stderr=io.StringIO())
    assert json.loads((tmp_path / "plan.json").read_text())["plan"]["slug"] == "p1"


def test_an_unknown_plan_or_a_bad_date_is_a_clear_error(action):
    with pytest.raises(CommandError, match='No plan with slug "nope" \\(plans: p1\\)'):
        export("nope")
    with pytest.raises(CommandError, match='--as-of: "31/12/2018" is not a date in the form YYYY-MM-DD'):
        export("p1", "--as-of", "31/12/2018")


def test_as_of_a_past_date_gives_the_status_target_and_colour_of_that_date(action, admin_user):
    change = target_date_change_request(
        action=action,
        requested_by=admin_user,
        new_target_date=dt.date(2019, 6, 30),
        reason="Recruitment paused",
        at=dt.datetime(2018, 10, 1, 9, tzinfo=dt.UTC),
    )
    target_date_change_decide(
        change=change, decided_by=admin_user, approve=True, at=dt.datetime(2018, 10, 2, tzinfo=dt.UTC)
    )
    action_update(
        action=action,
        author=admin_user,
        status=Status.COMPLETED,
        commentary="Team in post",
        reported_rag="blue",
        at=dt.datetime(2019, 2, 1, 10, tzinfo=dt.UTC),
    )

    def exported(as_of):
        return export("p1", "--as-of", as_of)["areas"][0]["actions"][0]

    before = exported("2018-09-15")
    assert (before["status"], before["target_date"], before["rag"], before["reported_rag"]) == (
        "in_progress",
        "2018-12-31",
        "green",
        None,
    )
    assert [update["commentary"] for update in before["updates"]] == ["Started"]
    after = exported("2019-03-01")
    assert (after["status"], after["target_date"], after["rag"], after["reported_rag"]) == (
        "completed",
        "2019-06-30",
        "blue",
        "blue",
    )
    assert [update["reported_rag"] for update in after["updates"]] == [None, "blue"]


def test_each_action_says_its_cadence(action):
    assert export("p1")["areas"][0]["actions"][0]["cadence"] is None
    action.cadence = Cadence.MONTHLY
    action.save()
    assert export("p1")["areas"][0]["actions"][0]["cadence"] == "monthly"


def test_as_of_a_past_date_says_when_it_was_completed_then_not_later(action, admin_user):
    for day, status in ((2, Status.COMPLETED), (10, Status.IN_PROGRESS), (20, Status.COMPLETED)):
        action_update(
            action=action, author=admin_user, status=status, commentary="x",
            at=dt.datetime(2018, 11, day, 10, tzinfo=dt.UTC),
        )  # fmt: skip
    assert export("p1", "--as-of", "2018-11-05")["areas"][0]["actions"][0]["completed_on"] == "2018-11-02"
    assert export("p1", "--as-of", "2018-11-12")["areas"][0]["actions"][0]["completed_on"] is None
    assert export("p1", "--as-of", "2018-11-25")["areas"][0]["actions"][0]["completed_on"] == "2018-11-20"


def test_areas_and_themes_carry_their_outcomes_and_measures_as_written(action):
    area = action.area
    theme = Theme.objects.create(
        plan=area.plan,
        title="Practice",
        outcome="Children get a consistently good service",
        measures_of_success="• 80% of audits good or better\n• Caseloads at 15",
    )
    area.theme = theme
    area.outcome = "A stable, permanent workforce"
    area.objectives = "Recruit permanent managers\nReduce agency staff"
    area.measured_by = "• 90% permanent staff\n• Turnover under 15%"
    area.save()
    data = export("p1")
    expected_themes = [
        {
            "title": "Practice",
            "outcome": "Children get a consistently good service",
            "measures_of_success": "• 80% of audits good or better\n• Caseloads at 15",
        }
    ]
    assert data["plan"]["themes"] == expected_themes
    assert data["themes"] == expected_themes
    [exported] = data["areas"]
    assert (exported["theme"], exported["outcome"], exported["objectives"], exported["measured_by"]) == (
        "Practice",
        "A stable, permanent workforce",
        "Recruit permanent managers\nReduce agency staff",
        "• 90% permanent staff\n• Turnover under 15%",
    )


def test_a_date_outside_the_sane_range_is_a_clear_error(action):
    with pytest.raises(CommandError, match="--as-of: 9999-12-31 is outside the dates the tracker works with"):
        export("p1", "--as-of", "9999-12-31")
