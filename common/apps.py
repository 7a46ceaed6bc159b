from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class CommonConfig(AppConfig):
    """Helpers every app may use: spreadsheets, exports, charts, colours, dates, roles; imports no tracker app."""

    name = "common"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import revision

        # Every connection's writes change the data's revision, which pages that keep what they read check.
        connection_created.connect(revision.install, dispatch_uid="common.revision.install")
        for connection in connections.all(initialized_only=True):
            revision.install(None, connection)
        pre_migrate.connect(revision.migrations_started, dispatch_uid="common.revision.migrations_started")
        post_migrate.connect(revision.migrations_ended, dispatch_uid="common.revision.migrations_ended")

        from .roles import ensure_roles

        # Sent once per app, in INSTALLED_APPS order: the last run sees every app's permissions.
        post_migrate.connect(ensure_roles, dispatch_uid="common.ensure_roles")

        from .middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="common.session_started")
