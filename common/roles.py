"""The four roles, as Django groups kept in step with the code after every migrate.

This module knows only the roles' names. Each app says what its own permissions are for each role, in
`ROLE_PERMISSIONS` of its `roles` module ({role: [codename or pattern]}, e.g. "view_*"); ensure_roles
gathers them from every installed app.
"""

from fnmatch import fnmatch
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

ADMIN = "Admin"
MANAGER = "Manager"
BOARD_MEMBER = "Board member"
VIEWER = "Viewer"
ROLES = [ADMIN, MANAGER, BOARD_MEMBER, VIEWER]

EVERY = "*"
READ = "view_*"


def _declared():
    """(app label, ROLE_PERMISSIONS) of each installed app that declares them."""
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "roles"):
            declared = getattr(import_module(f"{app.name}.roles"), "ROLE_PERMISSIONS", None)
            if declared is not None:
                yield app.label, declared


def role_permissions():
    """{role: [Permission]}: what each app grants each role."""
    from django.contrib.auth.models import Permission

    granted = {role: [] for role in ROLES}
    for app_label, declared in _declared():
        permissions = list(Permission.objects.filter(content_type__app_label=app_label))
        for role, patterns in declared.items():
            granted[role] += [p for p in permissions if any(fnmatch(p.codename, pattern) for pattern in patterns)]
    return granted


def ensure_roles(**kwargs):
    from django.contrib.auth.models import Group

    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
