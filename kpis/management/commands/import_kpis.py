"""manage.py import_kpis FILE [--dry-run]: load monthly KPI figures, targets and benchmarks from a workbook."""

from django.core.management.base import BaseCommand, CommandError

from kpis.importing import ImportFileError, kpis_import


class Command(BaseCommand):
    help = "Import KPIs from an .xlsx workbook (wide, long or benchmark tables). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change and write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, "rb") as workbook:
                result = kpis_import(file=workbook, dry_run=dry_run)
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file") from error
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}") from error
        if dry_run:
            self.stdout.write("Dry run: nothing was written. This is what importing would do:")
        for line in result.summary_lines():
            self.stdout.write(line)
        for notice in result.notices:
            self.stdout.write(notice)
        for match in result.matches:
            self.stdout.write(f"Check: {match}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
