"""manage.py check_pack_files [--delete]: board pack files and records that do not match, found and reported.

Orphans are files under MEDIA_ROOT/board-packs that no pack points at (a partial `.part` left by a crash, a PDF
whose pack was deleted); missing are packs that point at no file; altered are issued packs whose file no longer
matches the checksum taken when they were issued. `--delete` removes the orphans (never a pack's file).
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.models import BoardPack

FOLDER = "board-packs"


def pack_file_problems() -> tuple[list[str], list[BoardPack], list[BoardPack]]:
    """(orphan file names, packs whose file is missing, issued packs whose file was altered)."""
    root = Path(settings.MEDIA_ROOT)
    packs = list(BoardPack.objects.exclude(pdf="").select_related("plan"))
    known = {pack.pdf.name for pack in packs}
    stored = {path.relative_to(root).as_posix() for path in (root / FOLDER).rglob("*") if path.is_file()}
    missing = [pack for pack in packs if pack.pdf.name not in stored]
    altered = [
        pack
        for pack in packs
        if pack.is_issued
        and pack.pdf.name in stored
        and hashlib.sha256((root / pack.pdf.name).read_bytes()).hexdigest() != pack.sha256
    ]
    return sorted(stored - known), missing, altered


class Command(BaseCommand):
    help = "Report board pack files no pack points at, packs whose file is missing, and issued files altered."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete the orphan files (never a pack's file).")

    def handle(self, *args, delete, **options):
        orphans, missing, altered = pack_file_problems()
        root = Path(settings.MEDIA_ROOT)
        for name in orphans:
            if delete:
                (root / name).unlink(missing_ok=True)
                self.stdout.write(f"Deleted orphan file {name}")
            else:
                self.stdout.write(f"Orphan file (no pack points at it): {name}")
        for pack in missing:
            self.stdout.write(f"Missing file of {pack} (pack {pack.pk}): {pack.pdf.name}")
        for pack in altered:
            self.stdout.write(f"Altered file of issued {pack} (pack {pack.pk}): {pack.pdf.name}")
        if not (orphans or missing or altered):
            self.stdout.write("Every board pack file belongs to a pack and every pack's file is in place.")
        if missing or altered or (orphans and not delete):
            raise CommandError(
                f"{len(orphans)} orphan file(s), {len(missing)} missing, {len(altered)} altered: see above."
            )
