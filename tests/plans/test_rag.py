"""The RAG rule: one function, every colour and every boundary."""

import datetime as dt

import pytest

from plans.importing.dates import parse_plan_date
from plans.rag import (
    RAG,
    RAG_ORDER,
    ActionState,
    Cadence,
    OpenMilestone,
    Status,
    rag_for,
    reasons_for,
    reported_rag_from_text,
)

D = dt.date
TARGET = D(2018, 12, 31)


@pytest.mark.parametrize(
    ("state", "as_of", "expected"),
    [
        # Blue: completed, whatever the dates or flags say.
        (ActionState(Status.COMPLETED, TARGET), D(2018, 6, 1), RAG.BLUE),
        (ActionState(Status.COMPLETED, TARGET), D(2019, 6, 1), RAG.BLUE),
        (ActionState(Status.COMPLETED, None, at_risk=True), D(2019, 6, 1), RAG.BLUE),
        (
            ActionState(Status.COMPLETED, TARGET, open_milestones=(OpenMilestone("M", D(2018, 1, 1)),)),
            D(2019, 6, 1),
            RAG.BLUE,
        ),
        # Red: not completed and the target has passed, in progress or not started, at risk or not.
        (ActionState(Status.IN_PROGRESS, TARGET), D(2019, 1, 1), RAG.RED),
        (ActionState(Status.NOT_STARTED, TARGET), D(2019, 1, 1), RAG.RED),
        (ActionState(Status.IN_PROGRESS, TARGET, at_risk=True, at_risk_reason="x"), D(2019, 1, 1), RAG.RED),
        # The target day itself is still in time.
        (ActionState(Status.IN_PROGRESS, TARGET), TARGET, RAG.GREEN),
        # Amber: flagged at risk, or a milestone overdue.
        (ActionState(Status.IN_PROGRESS, TARGET, at_risk=True, at_risk_reason="x"), D(2018, 6, 1), RAG.AMBER),
        (
            ActionState(Status.IN_PROGRESS, TARGET, open_milestones=(OpenMilestone("M", D(2018, 5, 31)),)),
            D(2018, 6, 1),
            RAG.AMBER,
        ),
        (
            ActionState(Status.IN_PROGRESS, TARGET, open_milestones=(OpenMilestone("M", D(2018, 6, 1)),)),
            D(2018, 6, 1),
            RAG.GREEN,
        ),
        (ActionState(Status.NOT_STARTED, TARGET, at_risk=True, at_risk_reason="x"), D(2018, 6, 1), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, None, at_risk=True, at_risk_reason="x"), D(2018, 6, 1), RAG.AMBER),
        # Grey: no target date ("Timing tbc"), or not started yet.
        (ActionState(Status.IN_PROGRESS, None), D(2018, 6, 1), RAG.GREY),
        (ActionState(Status.NOT_STARTED, None), D(2030, 6, 1), RAG.GREY),
        (ActionState(Status.NOT_STARTED, TARGET), D(2018, 6, 1), RAG.GREY),
        (ActionState(Status.NOT_STARTED, TARGET, start_date=D(2018, 9, 1)), D(2018, 6, 1), RAG.GREY),
        # Green: in progress, on track.
        (ActionState(Status.IN_PROGRESS, TARGET), D(2018, 6, 1), RAG.GREEN),
        (
            ActionState(Status.IN_PROGRESS, TARGET, open_milestones=(OpenMilestone("M", D(2018, 9, 1)),)),
            D(2018, 6, 1),
            RAG.GREEN,
        ),
    ],
)
def test_it_gives_the_colour_for_the_state_on_the_date(state, as_of, expected):
    assert rag_for(state, as_of) == expected


@pytest.mark.parametrize(
    ("written", "as_of", "expected"),
    [
        ("Dec 18", D(2018, 12, 1), RAG.GREEN),
        ("Dec 18", D(2018, 12, 31), RAG.GREEN),
        ("Dec 18", D(2019, 1, 1), RAG.RED),
        ("Feb 19", D(2019, 2, 28), RAG.GREEN),
        ("Feb 19", D(2019, 3, 1), RAG.RED),
        ("Feb 20", D(2020, 2, 29), RAG.GREEN),
        ("Q4 2018/19", D(2019, 3, 31), RAG.GREEN),
        ("Q4 2018/19", D(2019, 4, 1), RAG.RED),
        ("1 August 2017", D(2017, 8, 1), RAG.GREEN),
        ("1 August 2017", D(2017, 8, 2), RAG.RED),
        ("TBC", D(2030, 1, 1), RAG.GREY),
    ],
)
def test_a_month_only_target_means_by_the_end_of_that_month(written, as_of, expected):
    target = parse_plan_date(written).date
    assert rag_for(ActionState(Status.IN_PROGRESS, target), as_of) == expected


def test_every_colour_says_its_word_and_meaning():
    for rag in RAG:
        assert rag.label and rag.meaning


JUNE = D(2018, 6, 1)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # Grey until started, whether by status or by its start date.
        (ActionState(Status.NOT_STARTED, None, cadence=Cadence.MONTHLY, last_update_on=D(2018, 5, 20)), RAG.GREY),
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.ONGOING, start_date=D(2018, 9, 1)), RAG.GREY),
        # Green while in progress and updated within its cadence.
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.MONTHLY, last_update_on=D(2018, 5, 1)), RAG.GREEN),
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.QUARTERLY, last_update_on=D(2018, 3, 1)), RAG.GREEN),
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.ONGOING, last_update_on=D(2018, 5, 10)), RAG.GREEN),
        # Amber when the expected update is missing.
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.MONTHLY, last_update_on=D(2018, 4, 1)), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.QUARTERLY, last_update_on=D(2018, 1, 1)), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.ONGOING, last_update_on=D(2018, 4, 1)), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, None, cadence=Cadence.MONTHLY), RAG.AMBER),
        # Amber when at risk or a milestone is overdue, like any action.
        (
            ActionState(Status.IN_PROGRESS, None, True, "No staff", cadence=Cadence.MONTHLY, last_update_on=JUNE),
            RAG.AMBER,
        ),
        # Never Red by date: a target written beside "ongoing" is not a deadline.
        (ActionState(Status.IN_PROGRESS, D(2017, 9, 30), cadence=Cadence.ONGOING, last_update_on=JUNE), RAG.GREEN),
        # Blue when closed.
        (ActionState(Status.COMPLETED, None, cadence=Cadence.MONTHLY), RAG.BLUE),
    ],
)
def test_an_ongoing_or_recurring_action_is_judged_by_its_updates_not_a_date(state, expected):
    assert rag_for(state, JUNE) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (ActionState(Status.IN_PROGRESS, D(2018, 5, 31)), ["Past its target of 31 May 2018"]),
        (ActionState(Status.IN_PROGRESS, TARGET, True, "Two social workers left"), ["Two social workers left"]),
        (
            ActionState(Status.IN_PROGRESS, TARGET, open_milestones=(OpenMilestone("Audit done", D(2018, 5, 1)),)),
            ["Milestone overdue: Audit done (due 1 May 2018)"],
        ),
        (
            ActionState(Status.IN_PROGRESS, None, cadence=Cadence.MONTHLY, last_update_on=D(2018, 4, 1)),
            ["No update since 1 Apr 2018: this monthly action expects one every 38 days"],
        ),
        (ActionState(Status.IN_PROGRESS, TARGET), []),
        (ActionState(Status.COMPLETED, D(2018, 5, 31), True, "x"), []),
    ],
)
def test_the_reasons_are_the_ones_recorded(state, expected):
    assert reasons_for(state, JUNE) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Green", RAG.GREEN),
        ("G", RAG.GREEN),
        ("Yellow", RAG.AMBER),
        ("y", RAG.AMBER),
        ("AMBER", RAG.AMBER),
        ("R", RAG.RED),
        ("B", RAG.BLUE),
        ("Grey", RAG.GREY),
        ("On track", None),
        ("", None),
    ],
)
def test_a_reported_colour_is_read_from_words_and_letters(written, expected):
    assert reported_rag_from_text(written) == expected


def test_one_ordering_of_colours_worst_first():
    assert RAG_ORDER == [RAG.RED, RAG.AMBER, RAG.GREY, RAG.GREEN, RAG.BLUE]


def test_a_quarterly_action_is_not_stale_for_want_of_a_monthly_update():
    quarterly = ActionState(Status.IN_PROGRESS, None, cadence=Cadence.QUARTERLY, last_update_on=D(2018, 4, 20))
    assert not quarterly.is_stale(JUNE)
    assert ActionState(Status.IN_PROGRESS, TARGET, last_update_on=D(2018, 4, 20)).is_stale(JUNE)
