from django.core.management.base import BaseCommand

from community.emails import digest_send_all


class Command(BaseCommand):
    help = "Send the daily community digest to everyone who chose it (run daily)."

    def handle(self, *args, **options):
        sent = digest_send_all()
        self.stdout.write(f"Digest emails sent: {sent}")
