"""manage.py pack_worker: the background worker (django-tasks-db's db_worker) that first resumes interrupted runs."""

from django_tasks_db.management.commands import db_worker

from reports.tasks import board_packs_resume


class Command(db_worker.Command):
    help = (
        "Run the board pack worker: queue again every pack run a stopped worker left part way, then take queued "
        "runs as db_worker does (same options)."
    )

    def handle(self, *args, **options):
        for pack in board_packs_resume():
            self.stdout.write(f"Resumed the interrupted run of {pack}.")
        return super().handle(*args, **options)
