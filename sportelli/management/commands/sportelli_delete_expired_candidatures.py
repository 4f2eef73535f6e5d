from django.core.management.base import BaseCommand

from sportelli.services.candidatures import candidature_delete_expired


class Command(BaseCommand):
    help = (
        "Delete (not hide) the candidatures whose retention period has ended; "
        "their consent records are kept, marked expired (run daily: "
        "esplora-daily@sportelli_delete_expired_candidatures.timer)."
    )

    def handle(self, *args, **options):
        deleted = candidature_delete_expired()
        self.stdout.write(f"Expired candidatures deleted: {deleted}")
