"""Background tasks shared by the whole portal."""

from django_tasks import task

from portal.mail.services import email_send


@task()
def send_email_task(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Kept so that tasks queued before an upgrade still run: the email goes
    through ``portal.mail.services.email_send`` (recorded and retried), which
    new code calls directly."""
    email_send(
        subject=subject,
        body=body,
        to=to,
        from_email=from_email,
        html_body=html_body,
        headers=headers,
    )
