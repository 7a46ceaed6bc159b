"""What each role may do with KPIs (common/roles.py keeps the groups in step)."""

from common.roles import ADMIN, BOARD_MEMBER, EVERY, MANAGER, READ, VIEWER

ROLE_PERMISSIONS = {
    # Everything, including imports and entering figures.
    ADMIN: [EVERY],
    MANAGER: [READ],
    BOARD_MEMBER: [READ],
    VIEWER: [READ],
}
