"""The RAG rule: one function, every colour and every boundary."""

import datetime as dt

import pytest

from plans.importing.dates import parse_plan_date
from plans.rag import RAG, ActionState, Status, rag_for

D = dt.date
TARGET = D(2018, 12, 31)


@pytest.mark.parametrize(
    ("state", "as_of", "expected"),
    [
        # Blue: completed, whatever the dates or flags say.
        (ActionState(Status.COMPLETED, TARGET), D(2018, 6, 1), RAG.BLUE),
        (ActionState(Status.COMPLETED, TARGET), D(2019, 6, 1), RAG.BLUE),
        (ActionState(Status.COMPLETED, None, at_risk=True), D(2019, 6, 1), RAG.BLUE),
        (ActionState(Status.COMPLETED, TARGET, milestone_targets_open=(D(2018, 1, 1),)), D(2019, 6, 1), RAG.BLUE),
        # Red: not completed and the target has passed, in progress or not started, at risk or not.
        (ActionState(Status.IN_PROGRESS, TARGET), D(2019, 1, 1), RAG.RED),
        (ActionState(Status.NOT_STARTED, TARGET), D(2019, 1, 1), RAG.RED),
        (ActionState(Status.IN_PROGRESS, TARGET, at_risk=True, at_risk_reason="x"), D(2019, 1, 1), RAG.RED),
        # The target day itself is still in time.
        (ActionState(Status.IN_PROGRESS, TARGET), TARGET, RAG.GREEN),
        # Amber: flagged at risk, or a milestone overdue.
        (ActionState(Status.IN_PROGRESS, TARGET, at_risk=True, at_risk_reason="x"), D(2018, 6, 1), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, TARGET, milestone_targets_open=(D(2018, 5, 31),)), D(2018, 6, 1), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, TARGET, milestone_targets_open=(D(2018, 6, 1),)), D(2018, 6, 1), RAG.GREEN),
        (ActionState(Status.NOT_STARTED, TARGET, at_risk=True, at_risk_reason="x"), D(2018, 6, 1), RAG.AMBER),
        (ActionState(Status.IN_PROGRESS, None, at_risk=True, at_risk_reason="x"), D(2018, 6, 1), RAG.AMBER),
        # Grey: no target date ("Timing tbc"), or not started yet.
        (ActionState(Status.IN_PROGRESS, None), D(2018, 6, 1), RAG.GREY),
        (ActionState(Status.NOT_STARTED, None), D(2030, 6, 1), RAG.GREY),
        (ActionState(Status.NOT_STARTED, TARGET), D(2018, 6, 1), RAG.GREY),
        (ActionState(Status.NOT_STARTED, TARGET, start_date=D(2018, 9, 1)), D(2018, 6, 1), RAG.GREY),
        # Green: in progress, on track.
        (ActionState(Status.IN_PROGRESS, TARGET), D(2018, 6, 1), RAG.GREEN),
        (ActionState(Status.IN_PROGRESS, TARGET, milestone_targets_open=(D(2018, 9, 1),)), D(2018, 6, 1), RAG.GREEN),
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
