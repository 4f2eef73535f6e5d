from django.core.management.base import BaseCommand

from portal.mail.services import email_sweep


class Command(BaseCommand):
    help = (
        "Queue again the outgoing emails that are due but have no task waiting "
        "(run every few minutes), and delete old sent ones."
    )

    def handle(self, *args, **options):
        result = email_sweep()
        self.stdout.write(
            f"enqueued={result.enqueued} recovered={result.recovered} "
            f"purged={result.purged}"
        )
