"""Background tasks shared by the whole portal."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


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
    """Send one already-rendered email; runs on the task worker, not in a request."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
