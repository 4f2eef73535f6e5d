"""Run the background-task worker of whichever task backend is configured."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task worker: db_worker for the database queue, rqworker on Redis."

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            call_command("rqworker", "default", job_class="django_tasks_rq.Job")
        elif backend.startswith("django_tasks_db"):
            call_command("db_worker", interval=1)
        else:
            self.stdout.write(f"{backend} runs tasks without a worker.")
