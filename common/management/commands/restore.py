"""manage.py restore FILE: a backup into an empty database and an empty media folder; refuses anything else."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore an archive made by `manage.py backup` into an empty database and an empty media folder."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            restored = restore(path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {path}: the database as of {restored['rows_from']} and {restored['media_files']} media file(s)."
        )
