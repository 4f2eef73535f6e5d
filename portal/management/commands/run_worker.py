"""Run the background-task worker of whichever task backend is configured."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_rq.backend import RQBackend


class Command(BaseCommand):
    help = "Run the task worker: db_worker for the database queue, rqworker on Redis."

    def handle(self, *args, **options):
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if isinstance(backend, RQBackend):
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,  # email retries are scheduled
            )
        elif isinstance(backend, DatabaseBackend):
            call_command("db_worker", interval=1)
        else:
            self.stdout.write(f"{type(backend).__name__} runs tasks without a worker.")
