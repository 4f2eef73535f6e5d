from django.core.management.base import BaseCommand, CommandError

from portal.services import site_sync


class Command(BaseCommand):
    help = "Point the default Wagtail Site at PORTAL_BASE_URL (run after deploys)."

    def handle(self, *args, **options):
        try:
            site = site_sync()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if site is None:
            raise CommandError("There is no default Site yet: run migrate first.")
        self.stdout.write(f"Default site: {site.root_url}")
