"""export_plan: the whole plan as JSON in the documented shape."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from plans.rag import Status
from plans.services import action_update
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
    assert data["plan"] == {"slug": "p1", "title": "Plan one", "status": "active", "description": ""}
    [area] = data["areas"]
    assert (area["title"], area["theme"]) == ("Workforce", None)
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
