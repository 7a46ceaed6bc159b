"""manage.py backup -o FILE: the database and media in one archive with checksums, while the app runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import MEDIA, BackupError, backup


class Command(BaseCommand):
    help = "Write one archive (tar.gz) of the database and the media folder (issued packs), with SHA-256 checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="The archive to write, e.g. tracker-2026-12-07.tar.gz"
        )

    def handle(self, *args, output, **options):
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"-o {output}: the folder {path.parent} does not exist")
        try:
            manifest = backup(path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        media = sum(1 for name in manifest["members"] if name.startswith(f"{MEDIA}/"))
        self.stdout.write(
            f"Wrote {path}: the {manifest['database']['vendor']} database as of {manifest['created_at']} "
            f"and {media} media file(s), {path.stat().st_size} bytes."
        )
