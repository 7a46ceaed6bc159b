"""manage.py send_reminders: one email per person with their overdue, due-soon and stale actions."""

from django.core.management.base import BaseCommand

from plans.reminders import reminders_send


class Command(BaseCommand):
    help = "Email each lead (or sponsor) their actions that are overdue, due within 14 days, or stale."

    def handle(self, *args, **options):
        sent, skipped = reminders_send()
        self.stdout.write(f"Sent {len(sent)} reminder email{'s' if len(sent) != 1 else ''}.")
        for person in skipped:
            self.stdout.write(self.style.WARNING(f"Not sent to {person.get_username()}: no email address."))
