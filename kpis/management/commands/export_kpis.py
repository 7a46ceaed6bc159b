"""manage.py export_kpis --format json|xlsx [-o FILE]: every indicator with its values, targets and benchmarks."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kpis.exporting import kpis_as_json, kpis_as_workbook


class Command(BaseCommand):
    help = "Export KPIs as JSON (to standard output unless -o is given) or as an .xlsx workbook import_kpis reads."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="File to write (xlsx default: kpis-YYYY-MM-DD.xlsx).")

    def handle(self, *args, format, output, **options):
        if format == "json":
            text = json.dumps(kpis_as_json(), indent=2, ensure_ascii=False)
            if output is None:
                self.stdout.write(text)
                return
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
        else:
            output = output or f"kpis-{timezone.localdate():%Y-%m-%d}.xlsx"
            try:
                kpis_as_workbook().save(output)
            except OSError as error:
                raise CommandError(f"{output}: {error}") from error
        self.stderr.write(f"Wrote {output}")
