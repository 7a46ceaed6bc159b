"""What each role may do with board packs and narratives (common/roles.py keeps the groups in step)."""

from common.roles import ADMIN, BOARD_MEMBER, EVERY, MANAGER, READ, VIEWER

ROLE_PERMISSIONS = {
    # Everything, including issuing board packs.
    ADMIN: [EVERY],
    # Reads everything; writes the period narratives of the areas of the actions they lead or sponsor, and of the
    # plan's KPI sections.
    MANAGER: [READ, "write_own_narratives"],
    BOARD_MEMBER: [READ],
    VIEWER: [READ],
}
