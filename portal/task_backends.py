"""The task backend the portal runs on Redis.

django-tasks-rq already puts a task of the highest priority at the front of its
RQ queue, but does not declare that it supports priorities, so django-tasks
refuses any task that sets one. Declaring it lets the portal's emails (a
verification link, a password reset) go ahead of background work such as
search indexing on RQ, as they do on the database queue.
"""

from django_tasks_rq.backend import RQBackend as _RQBackend


class RQBackend(_RQBackend):
    supports_priority = True
