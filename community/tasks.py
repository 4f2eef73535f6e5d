"""Background tasks of the community (emails never go out inside a request)."""

from django_tasks import task

from . import emails


@task()
def notification_email_task(*, notification_id: int) -> bool:
    return emails.notification_email_send(notification_id=notification_id)


@task()
def digest_task() -> int:
    """Run once a day (e.g. from cron through ``manage.py community_digest``)."""
    return emails.digest_send_all()
