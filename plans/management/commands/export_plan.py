"""manage.py export_plan SLUG --format json|xlsx [-o FILE] [--as-of YYYY-MM-DD]."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.dates import check_date, iso_date
from plans.exporting import plan_as_dict
from plans.importing.layout import plan_workbook
from plans.models import Plan


def as_of_date(text):
    if (date := iso_date(text)) is None:
        raise CommandError(f'--as-of: "{text}" is not a date in the form YYYY-MM-DD')
    try:
        check_date(date)
    except ValidationError as error:
        raise CommandError(f"--as-of: {error.messages[0]}") from None
    return date


class Command(BaseCommand):
    help = "Write a whole plan as JSON, or as xlsx in the layout import_plan reads back (stdout unless -o is given)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="File to write; stdout by default.")
        parser.add_argument("--as-of", help="Compute RAG as of this date (YYYY-MM-DD); today by default.")

    def handle(self, *args, slug, output, as_of, format, **options):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f'No plan with slug "{slug}" (plans: {known})')
        if format == "xlsx":
            self._write_xlsx(plan, output)
            return
        data = plan_as_dict(plan, as_of=as_of_date(as_of) if as_of else None)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Wrote {plan.slug} to {output}")
        else:
            self.stdout.write(text)

    def _write_xlsx(self, plan, output):
        data = plan_workbook(plan)
        if output:
            with open(output, "wb") as file:
                file.write(data)
            self.stderr.write(f"Wrote {plan.slug} to {output}")
        else:
            # The workbook's bytes, unchanged, for `export_plan SLUG --format xlsx > plan.xlsx`.
            getattr(self.stdout._out, "buffer", self.stdout._out).write(data)
