"""What each role may do with boards and meetings (common/roles.py keeps the groups in step)."""

from common.roles import ADMIN, BOARD_MEMBER, EVERY, MANAGER, READ, VIEWER

ROLE_PERMISSIONS = {
    # Everything: boards, meetings, decisions of any board, sign-off.
    ADMIN: [EVERY],
    # Read the boards overseeing the plans they read; record decisions and actions arising for the meetings of a
    # board they sit on (boards.models.Meeting.decisions_recordable_by).
    MANAGER: [READ, "record_decisions"],
    BOARD_MEMBER: [READ, "record_decisions"],
    VIEWER: [READ],
}
