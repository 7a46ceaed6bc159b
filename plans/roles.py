"""What each role may do with plans (common/roles.py keeps the groups in step)."""

from common.roles import ADMIN, BOARD_MEMBER, EVERY, MANAGER, READ, VIEWER

ROLE_PERMISSIONS = {
    # Everything, including imports.
    ADMIN: [EVERY],
    # Reads everything; writes updates to the actions they lead or sponsor, and asks to move their target dates.
    MANAGER: [READ, "update_own_action", "add_actionupdate", "add_targetdatechange"],
    BOARD_MEMBER: [READ],
    VIEWER: [READ],
}
