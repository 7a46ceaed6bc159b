"""Board packs protect their plan, except from a reset of the demo, which starts the demo's story again."""

import pytest
from django.db.models import ProtectedError

from plans.demo import demo_load
from reports import services
from reports.models import BoardPack
from tests.reports.conftest import days


def test_a_plan_with_packs_cannot_be_deleted(small_plan):
    plan, _actions = small_plan
    services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))

    with pytest.raises(ProtectedError):
        plan.delete()


def test_resetting_the_demo_removes_its_packs_and_their_files(db, admin_user):
    plan = demo_load().plan
    # One area's summary: a real issued pack with its file, without laying out the whole demo plan (35 pages).
    draft = services.board_pack_create(
        plan=plan, as_of=days(0), meeting_date=days(7), areas=[plan.areas.first()], sections=["summary"]
    )
    pack = services.board_pack_issue(pack=draft, issued_by=admin_user)
    stored = pack.pdf.name

    demo_load(reset=True)

    assert not BoardPack.objects.exists()
    assert not pack.pdf.storage.exists(stored)
