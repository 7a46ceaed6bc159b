from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Improvement plans"

    def ready(self):
        from .tasks import schedule_after_migrate

        # Every deploy migrates: the weekly digest's chain of runs is (re)started there if it is not waiting.
        post_migrate.connect(schedule_after_migrate, sender=self, dispatch_uid="plans.digest_schedule")
