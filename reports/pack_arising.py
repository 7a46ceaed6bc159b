"""The pack's "actions arising from the last meeting": what the board asked for last time, and where each stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from boards.models import FollowUp

if TYPE_CHECKING:
    from boards.models import Meeting

    from .models import BoardPack


@dataclass
class ActionsArising:
    meeting: Meeting  # the previous meeting, whose actions arising these are
    follow_ups: list[FollowUp]

    @property
    def open_count(self) -> int:
        return sum(follow_up.state == FollowUp.State.OPEN for follow_up in self.follow_ups)


def actions_arising(pack: BoardPack) -> ActionsArising | None:
    """The previous meeting's actions arising and their state, for a pack going to a meeting; None otherwise.

    Three queries at most, whatever the number of actions arising.
    """
    if pack.meeting_id is None:
        return None
    previous = pack.meeting.previous()
    if previous is None:
        return None
    follow_ups = list(FollowUp.objects.filter(meeting=previous).for_page().order_by("decision__number", "pk"))
    return ActionsArising(meeting=previous, follow_ups=follow_ups)
