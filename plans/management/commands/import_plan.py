"""manage.py import_plan FILE --plan SLUG [--title TITLE] [--sheet NAME] [--dry-run] [--remove-missing]."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.spreadsheets import WorkbookError
from plans.importing.applying import ImportRefused, plan_import, plan_preview
from plans.models import PlanImport

KEPT = "kept; --remove-missing removes them"


class Command(BaseCommand):
    help = "Import a plan from an xlsx workbook; a plan imported before is updated, not duplicated."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", required=True, help="Slug of the plan to create or update.")
        parser.add_argument("--title", default="", help="Title for a new plan (or a new title for an existing one).")
        parser.add_argument("--sheet", help="The sheet to read; by default the first with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing.")
        parser.add_argument(
            "--remove-missing", action="store_true", help="Remove the plan's actions that the file no longer has."
        )

    def handle(self, *args, file, plan, title, sheet, dry_run, remove_missing, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            preview, changes = plan_preview(data, name=path.name, slug=plan, sheet=sheet)
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path.name}, sheet {preview.sheet}: header in row {preview.mapping.header_row}, "
            f"{len(preview.actions)} actions in {len(preview.areas)} areas"
        )
        for problem in preview.problems:
            self.stdout.write(f"{problem.level}: {problem}")
        removed = len(changes.removed)
        if dry_run:
            self._counts("Would create", changes.created, changes.updated, changes.unchanged)
            if removed:
                self.stdout.write(f"{removed} actions in the plan are not in the file ({KEPT})")
            if not changes.created and not changes.updated and not changes.unchanged:
                raise CommandError("Nothing could be imported.")
            return
        checksum = hashlib.sha256(data).hexdigest()
        record = PlanImport(file_name=path.name[:255], checksum=checksum, size=len(data), sheet_name=preview.sheet)
        try:
            record = plan_import(preview=preview, slug=plan, title=title, remove_missing=remove_missing, record=record)
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self._counts("Created", record.changes.created, record.changes.updated, record.changes.unchanged)
        if removed:
            verb = "removed" if remove_missing else f"not in the file ({KEPT})"
            self.stdout.write(f"{removed} actions {verb}")

    def _counts(self, verb, created, updated, unchanged):
        self.stdout.write(f"{verb} {len(created)}, updated {len(updated)}, unchanged {len(unchanged)}")
