"""Updates and target date changes: the rules a write must keep, and the history it leaves."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import Action, TargetDateChange
from plans.rag import RAG, Status
from plans.services import (
    AT_RISK_NEEDS_REASON,
    TARGET_CHANGE_ALREADY_PENDING,
    StaleActionError,
    action_update,
    target_date_change_decide,
    target_date_change_request,
)
from tests.factories import ActionFactory, MilestoneFactory

LONDON = ZoneInfo("Europe/London")


def at(year, month, day):
    return dt.datetime(year, month, day, 12, tzinfo=LONDON)


@pytest.fixture
def action(manager_sponsor):
    return ActionFactory(target_date=dt.date(2030, 12, 31), sponsors=[manager_sponsor])


def test_an_update_sets_the_current_state_and_records_the_colour_it_gave(action, manager):
    update = action_update(action=action, author=manager, status=Status.IN_PROGRESS, commentary="Started")
    action.refresh_from_db()
    assert (action.status, action.version, action.last_updated_at) == (Status.IN_PROGRESS, 2, update.created_at)
    assert update.rag == RAG.GREEN
    assert action.rag() == RAG.GREEN


def test_at_risk_needs_a_reason(action, manager):
    with pytest.raises(ValidationError) as error:
        action_update(action=action, author=manager, status=Status.IN_PROGRESS, at_risk=True, commentary="x")
    assert error.value.message_dict == {"at_risk_reason": [AT_RISK_NEEDS_REASON]}
    assert action.updates.count() == 0


@pytest.mark.parametrize(
    ("status", "at_risk"),
    [(Status.IN_PROGRESS, True), (Status.COMPLETED, False)],
)
def test_commentary_is_required_when_amber_or_completing(action, manager, status, at_risk):
    with pytest.raises(ValidationError) as error:
        action_update(action=action, author=manager, status=status, at_risk=at_risk, at_risk_reason="Short of staff")
    assert "commentary" in error.value.message_dict


def test_commentary_is_required_when_red(manager_sponsor, manager):
    overdue = ActionFactory(target_date=dt.date(2020, 1, 31), sponsors=[manager_sponsor])
    with pytest.raises(ValidationError):
        action_update(action=overdue, author=manager, status=Status.IN_PROGRESS)


def test_completing_records_the_day_and_reopening_clears_it(action, manager):
    action_update(action=action, author=manager, status=Status.COMPLETED, commentary="Done", at=at(2025, 5, 2))
    action.refresh_from_db()
    assert (action.completed_on, action.rag()) == (dt.date(2025, 5, 2), RAG.BLUE)
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, commentary="Reopened")
    action.refresh_from_db()
    assert action.completed_on is None


def test_ticking_a_milestone_done_records_its_day(action, manager):
    milestone = MilestoneFactory(action=action, target_date=dt.date(2020, 1, 1))
    action_update(
        action=action,
        author=manager,
        status=Status.IN_PROGRESS,
        milestones_done=[milestone],
        commentary="Milestone met",
        at=at(2025, 3, 1),
    )
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2025, 3, 1)


def test_a_second_save_from_a_stale_copy_is_refused_and_writes_nothing(action, manager, admin_user):
    opened_version = action.version
    action_update(
        action=action,
        author=admin_user,
        status=Status.IN_PROGRESS,
        commentary="Admin got there first",
        expected_version=opened_version,
    )
    stale_copy = Action.objects.get(pk=action.pk)
    with pytest.raises(StaleActionError) as error:
        action_update(
            action=stale_copy,
            author=manager,
            status=Status.COMPLETED,
            commentary="Mine",
            expected_version=opened_version,
        )
    assert error.value.action.version == opened_version + 1
    assert list(action.updates.values_list("commentary", flat=True)) == ["Admin got there first"]


def test_a_target_moves_only_when_approved_and_slippage_is_derived(action, manager, admin_user):
    first = target_date_change_request(
        action=action,
        requested_by=manager,
        new_target_date=dt.date(2031, 3, 31),
        reason="Partner delay",
        at=at(2025, 1, 10),
    )
    action.refresh_from_db()
    assert action.target_date == dt.date(2030, 12, 31)
    target_date_change_decide(change=first, decided_by=admin_user, approve=True, at=at(2025, 1, 12))
    second = target_date_change_request(
        action=action,
        requested_by=manager,
        new_target_date=dt.date(2031, 6, 30),
        reason="Recruitment",
        at=at(2025, 2, 1),
    )
    target_date_change_decide(change=second, decided_by=admin_user, approve=True, at=at(2025, 2, 3))
    rejected = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2032, 1, 31), reason="More time", at=at(2025, 3, 1)
    )
    target_date_change_decide(change=rejected, decided_by=admin_user, approve=False, at=at(2025, 3, 2))

    action = Action.objects.with_history().get(pk=action.pk)
    slippage = action.slippage()
    assert action.target_date == dt.date(2031, 6, 30)
    assert (slippage.original_target_date, slippage.times_moved, slippage.days) == (dt.date(2030, 12, 31), 2, 181)
    assert action.target_date_as_of(dt.date(2025, 1, 11)) == dt.date(2030, 12, 31)
    assert action.target_date_as_of(dt.date(2025, 1, 12)) == dt.date(2031, 3, 31)
    assert TargetDateChange.objects.filter(decision="rejected").count() == 1


def test_a_decided_request_cannot_be_decided_again(action, manager, admin_user):
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 1, 31), reason="Delay"
    )
    target_date_change_decide(change=change, decided_by=admin_user, approve=False)
    with pytest.raises(ValidationError):
        target_date_change_decide(change=change, decided_by=admin_user, approve=True)


def test_the_colour_on_a_past_date_is_rebuilt_from_history(manager_sponsor, manager, admin_user):
    action = ActionFactory(target_date=dt.date(2025, 6, 30), sponsors=[manager_sponsor])
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, commentary="Go", at=at(2025, 1, 10))
    action_update(
        action=action,
        author=manager,
        status=Status.IN_PROGRESS,
        at_risk=True,
        at_risk_reason="Vacancies",
        commentary="Slipping",
        at=at(2025, 3, 1),
    )
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2025, 9, 30), reason="Vacancies", at=at(2025, 4, 1)
    )
    target_date_change_decide(change=change, decided_by=admin_user, approve=True, at=at(2025, 4, 2))
    action_update(action=action, author=manager, status=Status.COMPLETED, commentary="Done", at=at(2025, 8, 15))

    action = Action.objects.with_history().get(pk=action.pk)
    timeline = {
        dt.date(2025, 1, 1): RAG.GREY,  # nothing recorded yet: not started
        dt.date(2025, 1, 10): RAG.GREEN,
        dt.date(2025, 3, 1): RAG.AMBER,
        dt.date(2025, 7, 1): RAG.AMBER,  # the target had moved to September, so not yet overdue
        dt.date(2025, 8, 15): RAG.BLUE,
    }
    assert {day: action.rag(day) for day in timeline} == timeline
    # The history, read as of today, agrees with the current state the pages use.
    assert action.state_as_of(dt.date(2000, 1, 1)).status == Status.NOT_STARTED
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert action.state_as_of(yesterday).status == action.current_state().status == Status.COMPLETED


def test_completing_clears_the_at_risk_flag(action, manager):
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, at_risk=True, at_risk_reason="Vacancies",
                  commentary="Slipping")  # fmt: skip
    action_update(action=action, author=manager, status=Status.COMPLETED, at_risk=True, at_risk_reason="Vacancies",
                  commentary="Delivered")  # fmt: skip
    action.refresh_from_db()
    assert (action.at_risk, action.at_risk_reason, action.rag()) == (False, "", RAG.BLUE)


def test_nobody_but_an_admin_approves_their_own_request(action, manager, admin_user):
    change = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 1, 31), reason="Delay"
    )
    assert not change.can_be_decided_by(manager)
    assert change.can_be_decided_by(admin_user)


def test_a_request_made_from_an_old_target_cannot_be_approved(action, manager, admin_user):
    first = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 3, 31), reason="A"
    )
    second = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 2, 28), reason="B"
    )
    target_date_change_decide(change=second, decided_by=admin_user, approve=True)
    with pytest.raises(ValidationError):
        target_date_change_decide(change=first, decided_by=admin_user, approve=True)
    action.refresh_from_db()
    assert action.target_date == dt.date(2031, 2, 28)


def test_an_update_recorded_after_the_fact_does_not_overwrite_a_newer_one(action, manager):
    action_update(action=action, author=manager, status=Status.COMPLETED, commentary="Done", at=at(2025, 6, 1))
    action_update(action=action, author=manager, status=Status.IN_PROGRESS, commentary="Earlier", at=at(2025, 3, 1))
    action.refresh_from_db()
    assert action.status == Status.COMPLETED
    assert action.rag(dt.date(2025, 4, 1)) == RAG.GREEN


def test_the_same_request_while_it_is_pending_is_refused(action, manager, other_manager, admin_user):
    first = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 3, 31), reason="Waiting for IT"
    )
    for person in (manager, admin_user):  # a double click, or someone else asking the same
        with pytest.raises(ValidationError) as error:
            target_date_change_request(
                action=action, requested_by=person, new_target_date=dt.date(2031, 3, 31), reason="Again"
            )
        assert error.value.message_dict == {
            "new_target_date": [TARGET_CHANGE_ALREADY_PENDING.format(date=dt.date(2031, 3, 31))]
        }
    assert list(action.target_changes.all()) == [first]

    # Another date is another question; once the first is decided, it may be asked again.
    other = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 6, 30), reason="Or later"
    )
    target_date_change_decide(change=first, decided_by=admin_user, approve=False)
    again = target_date_change_request(
        action=action, requested_by=manager, new_target_date=dt.date(2031, 3, 31), reason="Asked again, with a plan"
    )
    assert (other.decision, again.decision) == (TargetDateChange.Decision.PENDING,) * 2
