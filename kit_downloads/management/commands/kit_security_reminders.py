"""Run daily (cron or a systemd timer): remind administrations behind a security
release. Each administration is reminded once per release."""

from django.core.management.base import BaseCommand

from kit_downloads.services import security_reminders_send


class Command(BaseCommand):
    help = (
        "Email the referenti of administrations still on a version older than a "
        "security release."
    )

    def handle(self, *args, **options):
        sent = security_reminders_send()
        self.stdout.write(f"Security reminders sent: {sent}")
