"""manage.py import_risks FILE --plan SLUG [--dry-run]: load a plan's risk register from a workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from plans.risks.importing import RiskFileError, risks_import_bytes


class Command(BaseCommand):
    help = "Import a risk register (.xlsx) into a plan: all or nothing, matched by Ref, safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--plan", required=True, help="The plan's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change and write nothing.")

    def handle(self, *args, file, plan, dry_run, **options):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f'No plan with slug "{plan}" (plans: {known})')
        try:
            with open(file, "rb") as workbook:
                content = workbook.read()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        try:
            result = risks_import_bytes(content=content, name=Path(file).name, plan=found, dry_run=dry_run)
        except RiskFileError as error:
            raise CommandError(f"{file}: {error}") from error
        if dry_run:
            self.stdout.write("Dry run: nothing was written. This is what importing would do:")
        for line in result.summary_lines():
            self.stdout.write(line)
        for problem in result.problems:
            label = "Error" if problem.level == "error" else "Warning"
            self.stdout.write(self.style.WARNING(f"{label}: {problem}"))
