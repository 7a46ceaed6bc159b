"""The four roles, as Django groups with permissions; kept in step with the code after every migrate."""

from django.contrib.auth.models import Group, Permission

ADMIN = "Admin"
MANAGER = "Manager"
BOARD_MEMBER = "Board member"
VIEWER = "Viewer"

ROLE_APPS = ["plans", "kpis", "reports"]


def _permissions(codenames=None, prefixes=None):
    permissions = Permission.objects.filter(content_type__app_label__in=ROLE_APPS)
    if prefixes:
        permissions = [p for p in permissions if p.codename.startswith(tuple(prefixes))]
    if codenames:
        permissions = [p for p in permissions if p.codename in codenames]
    return list(permissions)


def role_permissions():
    """Which permissions each role holds: the single place roles are defined."""
    read_everything = _permissions(prefixes=["view_"])
    return {
        # Everything, including imports and issuing board packs.
        ADMIN: _permissions(),
        # Reads everything; writes updates to the actions they lead or sponsor, and the period narratives
        # of those actions' areas and of the plan's KPI sections.
        MANAGER: read_everything
        + _permissions(
            codenames=["update_own_action", "add_actionupdate", "add_targetdatechange", "write_own_narratives"]
        ),
        # Read-only, everything.
        BOARD_MEMBER: read_everything,
        # Read-only, everything.
        VIEWER: read_everything,
    }


def ensure_roles(**kwargs):
    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
