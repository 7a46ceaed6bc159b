from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Board packs"

    def ready(self):
        from common.signals import worker_started

        worker_started.connect(_resume_interrupted_pack_runs, dispatch_uid="reports.resume_pack_runs")


def _resume_interrupted_pack_runs(sender, **kwargs):
    from .tasks import board_packs_resume

    return [f"Resumed the interrupted run of {pack}." for pack in board_packs_resume()]
