"""Every free text a manager types has a limit with a message; the pack bounds what one action prints.

The probe of issue 21: 1 MB in a commentary and an at-risk reason made the next pack 1,988 pages.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from plans.models import ActionUpdate
from plans.rag import Status
from plans.services import (
    COMMENTARY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_TOO_LONG,
    action_update,
    target_date_change_request,
)
from tests.reports.conftest import at, days, pdf_pages

pytestmark = pytest.mark.django_db
MEGABYTE = "Progress was made this month. " * 35_000


def test_the_service_refuses_a_commentary_or_reason_past_its_limit(small_plan, admin_user):
    _plan, actions = small_plan
    action = actions["on_track"]
    with pytest.raises(ValidationError) as refused:
        action_update(
            action=action,
            author=admin_user,
            status=Status.IN_PROGRESS,
            at_risk=True,
            at_risk_reason="r" * (REASON_MAX_LENGTH + 1),
            commentary="c" * (COMMENTARY_MAX_LENGTH + 1),
        )
    assert refused.value.message_dict == {
        "at_risk_reason": [TEXT_TOO_LONG.format(limit=REASON_MAX_LENGTH, length=REASON_MAX_LENGTH + 1)],
        "commentary": [TEXT_TOO_LONG.format(limit=COMMENTARY_MAX_LENGTH, length=COMMENTARY_MAX_LENGTH + 1)],
    }
    with pytest.raises(ValidationError, match="Keep this to 1,000 characters"):
        target_date_change_request(
            action=action, requested_by=admin_user, new_target_date=days(200), reason="x" * (REASON_MAX_LENGTH + 1)
        )


def test_the_update_form_says_so_and_records_nothing(client, small_plan, admin_user):
    plan, actions = small_plan
    action = actions["on_track"]
    client.force_login(admin_user)
    before = ActionUpdate.objects.filter(action=action).count()
    response = client.post(
        reverse("plans:action_update", args=[plan.slug, action.ref]),
        {"status": Status.IN_PROGRESS, "commentary": "c" * (COMMENTARY_MAX_LENGTH + 1), "version": action.version},
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.text
    assert 'maxlength="5000"' in response.text
    assert ActionUpdate.objects.filter(action=action).count() == before


def test_the_pack_prints_a_bounded_part_of_a_megabyte_of_text(small_plan, admin_user, tmp_path):
    plan, actions = small_plan
    # Written before the limit existed (straight to the history, as an old record would be).
    action = actions["at_risk"]
    ActionUpdate.objects.create(
        action=action, author=admin_user, created_at=at(days(-1)), status=Status.IN_PROGRESS, at_risk=True,
        at_risk_reason=MEGABYTE, rag="amber", commentary=MEGABYTE,
    )  # fmt: skip
    action.at_risk_reason = MEGABYTE
    action.save(update_fields=["at_risk_reason"])

    output = tmp_path / "pack.pdf"
    call_command("board_pack", plan.slug, "-o", str(output), stdout=io.StringIO())
    pages = pdf_pages(output.read_bytes())

    assert len(pages) < 20
    assert "the full text is on the action’s page" in " ".join(" ".join(pages).split())
