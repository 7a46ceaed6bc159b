"""manage.py import_plan FILE --plan SLUG [--position-date YYYY-MM-DD] [--user NAME] [--title TITLE] [--sheet NAME]
[--dry-run] [--remove-missing]."""

import datetime as dt
import hashlib
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.dates import check_date
from common.spreadsheets import WorkbookError
from plans.importing import (
    ImportRefused,
    check_position_date,
    kept_newer_message,
    plan_import,
    plan_preview,
)
from plans.models import PlanImport

KEPT = "kept; --remove-missing removes them"
BAD_POSITION_DATE = '--position-date takes a date written YYYY-MM-DD (such as 2026-11-01), not "{text}"'
NO_SUCH_USER = 'There is no user "{username}" to record the import as.'


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
        parser.add_argument(
            "--position-date",
            help="The date the file's statuses stand on (YYYY-MM-DD, today by default): they are recorded as the "
            "actions' history on it.",
        )
        parser.add_argument("--user", help="Username of the admin the import is recorded as.")

    def handle(self, *args, file, plan, title, sheet, dry_run, remove_missing, position_date, user, **options):
        position_date = self._position_date(position_date)
        user = self._user(user)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            preview, changes = plan_preview(data, name=path.name, slug=plan, sheet=sheet, position_date=position_date)
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path.name}, sheet {preview.sheet}: header in row {preview.mapping.header_row}, "
            f"{len(preview.actions)} actions in {len(preview.areas)} areas, position as at {position_date:%-d %b %Y}"
        )
        for problem in preview.problems:
            self.stdout.write(f"{problem.level}: {problem}")
        # Every row that is not an action says what became of it, so the counts can be checked against the file.
        self.stdout.write(preview.row_summary)
        for fate in preview.rows_not_actions:
            self.stdout.write(f"{fate.sheet}!row {fate.row}: {fate.kind}: {fate.note}")
        removed = len(changes.removed)
        if dry_run:
            self._counts("Would create", changes.created, changes.updated, changes.unchanged)
            if removed:
                self.stdout.write(f"{removed} actions in the plan are not in the file ({KEPT})")
            if changes.kept_newer:
                self.stdout.write(changes.kept_newer_message)
            if not changes.created and not changes.updated and not changes.unchanged:
                raise CommandError("Nothing could be imported.")
            return
        checksum = hashlib.sha256(data).hexdigest()
        record = PlanImport(file_name=path.name[:255], checksum=checksum, size=len(data), sheet_name=preview.sheet)
        try:
            record = plan_import(
                preview=preview,
                slug=plan,
                title=title,
                user=user,
                remove_missing=remove_missing,
                record=record,
                position_date=position_date,
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self._counts("Created", record.changes.created, record.changes.updated, record.changes.unchanged)
        if removed:
            verb = "removed" if remove_missing else f"not in the file ({KEPT})"
            self.stdout.write(f"{removed} actions {verb}")
        self.stdout.write(f"{len(record.positions.recorded)} positions recorded as at {position_date:%-d %b %Y}")
        if record.kept_newer_count:
            self.stdout.write(kept_newer_message(record.kept_newer_count, position_date))
        if record.new_people:
            self.stdout.write(f"New people named as leads: {', '.join(record.new_people)}")

    def _position_date(self, text):
        if text is None:
            return timezone.localdate()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            position_date = dt.date.fromisoformat(text)
            check_date(position_date)
        except (ValueError, ValidationError):
            raise CommandError(BAD_POSITION_DATE.format(text=text)) from None
        try:
            check_position_date(position_date)
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        return position_date

    def _user(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(NO_SUCH_USER.format(username=username)) from None

    def _counts(self, verb, created, updated, unchanged):
        self.stdout.write(f"{verb} {len(created)}, updated {len(updated)}, unchanged {len(unchanged)}")
