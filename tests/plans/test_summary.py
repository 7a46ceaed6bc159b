"""The board's summary of a plan: counts, exceptions, slippage and movement, worked out from history."""

from plans.models import ActionUpdate, TargetDateChange
from plans.rag import RAG, ActionState, Status, rag_for
from plans.summary import plan_summary
from tests.factories import ActionFactory, AreaFactory, PlanFactory, UserFactory
from tests.plans.conftest import TODAY, at, days, update


def test_movement_since_a_month_ago_comes_from_the_update_history(timeline):
    plan, _actions = timeline
    summary = plan_summary(plan, as_of=TODAY)
    moves = {move.action.ref: (move.before, move.after, move.direction) for move in summary.movement}
    assert moves == {
        "A": (RAG.GREEN, RAG.AMBER, "worse"),
        "B": (RAG.GREEN, RAG.RED, "worse"),
        "C": (RAG.GREEN, RAG.BLUE, "better"),
    }
    assert [reading.action.ref for reading in summary.recently_completed] == ["C"]


def test_movement_since_a_chosen_date(timeline):
    plan, _actions = timeline
    summary = plan_summary(plan, as_of=TODAY, since=days(-8))
    assert {move.action.ref for move in summary.movement} == {"B", "C"}


def test_movement_against_an_issued_pack_uses_what_the_pack_showed(timeline):
    plan, actions = timeline
    shown = {actions["A"].pk: RAG.AMBER, actions["B"].pk: RAG.AMBER, actions["C"].pk: RAG.BLUE}
    summary = plan_summary(plan, as_of=TODAY, previous_rags=shown)
    moves = {move.action.ref: (move.before, move.after, move.direction) for move in summary.movement}
    assert moves == {"B": (RAG.AMBER, RAG.RED, "worse"), "D": (None, RAG.GREY, "new")}


def test_slippage_shows_the_original_and_revised_target_and_how_often_it_moved(timeline):
    plan, _actions = timeline
    [reading] = plan_summary(plan, as_of=TODAY).slipped
    slippage = reading.slippage
    assert reading.action.ref == "B"
    assert (slippage.original_target_date, slippage.target_date, slippage.times_moved) == (days(-20), days(-5), 1)
    assert slippage.days == 15


def test_before_the_target_moved_there_was_no_slippage(timeline):
    plan, _actions = timeline
    assert plan_summary(plan, as_of=days(-30)).slipped == []


def test_the_exceptions_the_board_must_challenge(timeline):
    plan, _actions = timeline
    summary = plan_summary(plan, as_of=TODAY)
    assert [reading.action.ref for reading in summary.overdue] == ["B"]
    assert [reading.action.ref for reading in summary.at_risk] == ["A"]
    assert summary.at_risk[0].latest_update.at_risk_reason == "Recruitment delayed"
    assert [reading.action.ref for reading in summary.no_target] == ["D"]
    assert [reading.action.ref for reading in summary.stale] == ["B", "D"]
    assert [m.title for m in summary.milestones_due_within(30)] == ["Due in three weeks"]
    assert [m.title for m in summary.milestones_due_within(60)] == ["Due in three weeks", "Due in seven weeks"]


def test_counts_overall_and_by_area(timeline):
    plan, _actions = timeline
    summary = plan_summary(plan, as_of=TODAY)
    assert summary.counts == {RAG.RED: 1, RAG.AMBER: 1, RAG.GREEN: 0, RAG.GREY: 1, RAG.BLUE: 1}
    assert [(row.area.title, row.total) for row in summary.areas] == [("Front door", 3), ("Workforce", 1)]
    assert summary.areas[1].counts[RAG.GREY] == 1


def test_as_of_a_past_date_gives_the_colour_the_rule_gave_on_that_date(timeline):
    plan, actions = timeline
    as_of = days(-30)
    summary = plan_summary(plan, as_of=as_of)
    # Rebuilt by hand from the timeline: what was known 30 days ago.
    expected = {
        "A": rag_for_known(Status.IN_PROGRESS, days(100), as_of),
        "B": rag_for_known(Status.IN_PROGRESS, days(-20), as_of),
        "C": rag_for_known(Status.IN_PROGRESS, days(30), as_of),
        "D": rag_for_known(Status.NOT_STARTED, None, as_of),
    }
    assert {reading.action.ref: reading.rag for row in summary.areas for reading in row.readings} == expected
    assert expected == {"A": RAG.GREEN, "B": RAG.GREEN, "C": RAG.GREEN, "D": RAG.GREY}
    assert [reading.action.ref for reading in summary.stale] == ["D"]


def rag_for_known(status, target_date, as_of):
    return rag_for(ActionState(status=status, target_date=target_date), as_of)


def test_the_summary_reads_a_fixed_number_of_queries_however_long_the_history(db, django_assert_max_num_queries):
    plan = PlanFactory()
    area = AreaFactory(plan=plan)
    for number in range(20):
        action = ActionFactory(plan=plan, area=area, target_date=days(60))
        for months_ago in range(1, 1 + number):
            update(action, days(-30 * months_ago))
    with django_assert_max_num_queries(8):
        summary = plan_summary(plan, as_of=TODAY)
        assert summary.total == 20


def test_the_summary_names_who_wrote_each_update_and_decided_each_target_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries
):
    plan = PlanFactory()
    area = AreaFactory(plan=plan)
    chair, *writers = [UserFactory() for _ in range(6)]
    for number, writer in enumerate(writers):
        action = ActionFactory(plan=plan, area=area, ref=str(number), target_date=days(60))
        ActionUpdate.objects.create(action=action, author=writer, created_at=at(days(-1)), status=Status.IN_PROGRESS)
        TargetDateChange.objects.create(
            action=action, previous_target_date=days(30), new_target_date=days(60), reason="Moved", requested_by=writer,
            decided_by=chair, decision=TargetDateChange.Decision.APPROVED, decided_at=at(days(-2)),
        )  # fmt: skip
    unsigned = ActionFactory(plan=plan, area=area, ref="unsigned")
    ActionUpdate.objects.create(action=unsigned, author=None, created_at=at(days(-1)), status=Status.IN_PROGRESS)

    with django_assert_max_num_queries(8):
        readings = {reading.action.ref: reading for reading in plan_summary(plan, as_of=TODAY).areas[0].readings}
        written_by = {ref: reading.latest_update.author for ref, reading in readings.items()}
        decided = {
            ref: [(change.requested_by, change.decided_by) for change in reading.action.target_change_list]
            for ref, reading in readings.items()
        }

    assert written_by == {**{str(number): writer for number, writer in enumerate(writers)}, "unsigned": None}
    assert decided == {**{str(number): [(writer, chair)] for number, writer in enumerate(writers)}, "unsigned": []}
