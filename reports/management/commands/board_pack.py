"""Render a plan's board pack now, in this process, as PDF or HTML: for scripts, checks and the benchmark."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.dates import check_date, iso_date
from plans.models import Plan
from reports.content import pack_html
from reports.models import BoardPack
from reports.pack_scope import UnknownName, areas_named, parts_named, scope_for, themes_named
from reports.rendering import html_to_pdf


def _date(text):
    if (date := iso_date(text)) is None:
        raise CommandError(f'"{text}" is not a date: write it as YYYY-MM-DD.')
    try:
        check_date(date)
    except ValidationError as error:
        raise CommandError(error.messages[0]) from None
    return date


class Command(BaseCommand):
    help = "Render a draft board pack for a plan as PDF or HTML, without storing it."
    # Rendering reads the database and templates only. The system checks (`manage.py check`, run by deploys and CI)
    # import every URLconf and view to check them: about a tenth of this command's start-up, for nothing it uses.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The plan's short name in its address, e.g. csc-improvement-plan.")
        parser.add_argument("--as-of", help="Position as at this date, YYYY-MM-DD (default: today).")
        parser.add_argument("--meeting-date", help="The board meeting, YYYY-MM-DD (default: the as-of date).")
        parser.add_argument("--next-meeting-date", help="Milestones due by this date are listed, YYYY-MM-DD.")
        parser.add_argument("--landscape", action="store_true", help="A4 landscape instead of portrait.")
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            metavar="TITLE",
            help="Only this area's actions, exceptions, KPIs and risks: its title or number (repeat for more).",
        )
        parser.add_argument(
            "--theme", action="append", default=[], metavar="TITLE", help="Only this theme's areas (repeatable)."
        )
        parser.add_argument(
            "--section",
            action="append",
            default=[],
            metavar="PART",
            help="Print only this part (repeatable): summary, exceptions, areas, kpis, glossary, timeline, risks.",
        )
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="File to write.")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["slug"]).first()
        if plan is None:
            raise CommandError(f'No plan is called "{options["slug"]}".')
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        meeting_date = _date(options["meeting_date"]) if options["meeting_date"] else as_of
        pack = BoardPack(
            plan=plan,
            as_of=as_of,
            meeting_date=meeting_date,
            next_meeting_date=_date(options["next_meeting_date"]) if options["next_meeting_date"] else None,
            orientation=BoardPack.Orientation.LANDSCAPE if options["landscape"] else BoardPack.Orientation.PORTRAIT,
            version=BoardPack.objects.filter(plan=plan, meeting_date=meeting_date).count() + 1,
        )
        try:
            scope = scope_for(
                areas=areas_named(plan, options["area"]),
                themes=themes_named(plan, options["theme"]),
                parts=parts_named(options["section"]),
            )
        except UnknownName as error:
            raise CommandError(str(error)) from None
        html = pack_html(pack, scope=scope)
        output = Path(options["output"])
        if options["format"] == "html":
            output.write_text(html, encoding="utf-8")
        else:
            output.write_bytes(html_to_pdf(html).content)
        self.stdout.write(f"Wrote {output} ({output.stat().st_size:,} bytes).")
