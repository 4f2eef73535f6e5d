from django.core.management.base import BaseCommand

from portal.ratelimit.services import counter_prune


class Command(BaseCommand):
    help = "Delete the rate-limit counters of windows that ended days ago (daily)."

    def handle(self, *args, **options):
        deleted = counter_prune()
        self.stdout.write(f"Deleted {deleted} old rate-limit counters.")
