from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Improvement plans"

    def ready(self):
        from .roles import ensure_roles

        # Sent once per app, in INSTALLED_APPS order: the last run sees every app's permissions.
        post_migrate.connect(ensure_roles, dispatch_uid="plans.ensure_roles")
