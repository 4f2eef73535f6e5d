from django.core.management.base import BaseCommand

from portal.practices.models import PracticeIndexPage
from portal.practices.services import editorial_workflow_ensure


class Command(BaseCommand):
    help = (
        "Create the editor groups (Redazione, Revisione) and the moderation "
        "workflow of good practices, assigned to every practice index; safe to "
        "run again."
    )

    def handle(self, *args, **options):
        indexes = list(PracticeIndexPage.objects.all())
        workflow = editorial_workflow_ensure()
        for index in indexes:
            editorial_workflow_ensure(index_page=index)
        self.stdout.write(
            f"Workflow “{workflow.name}” on {len(indexes)} practice index page(s)."
        )
