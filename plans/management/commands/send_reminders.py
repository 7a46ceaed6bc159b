"""manage.py send_reminders: this week's digest now, to each lead who has not had it (the worker sends it weekly)."""

from django.core.management.base import BaseCommand

from plans.reminders import digests_send


class Command(BaseCommand):
    help = (
        "Email each lead (or sponsor) their actions that are overdue, due within 14 days, or stale: this ISO week's "
        "digest, to those who have not had it yet."
    )

    def handle(self, *args, **options):
        result = digests_send()
        sent = len(result.sent)
        self.stdout.write(f"Sent {sent} reminder email{'s' if sent != 1 else ''}.")
        for person in result.already_sent:
            self.stdout.write(f"Not sent to {person}: this week's digest went out already.")
        for person in result.opted_out:
            self.stdout.write(f"Not sent to {person}: they chose not to get the digest.")
        for person in result.no_address:
            self.stdout.write(self.style.WARNING(f"Not sent to {person}: no email address."))
        for person in result.failed:
            self.stdout.write(self.style.ERROR(f"Not sent to {person}: the mail server refused it (see the log)."))
