"""Background emails about seminar registrations."""

from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from portal.mail.services import email_send

SUBJECT_TEMPLATES = {
    "confirmed": "seminars/email/confirmed_subject.txt",
    "waiting": "seminars/email/waiting_subject.txt",
    "promoted": "seminars/email/promoted_subject.txt",
}


def seminar_links(seminar, registration=None) -> dict:
    base = seminar.get_full_url() or ""
    links = {"url": base, "ics_url": base + seminar.reverse_subpage("ics_route")}
    if registration is not None:
        links["cancel_url"] = base + seminar.reverse_subpage(
            "cancel_route", args=(registration.cancel_token,)
        )
    return links


@task()
def send_registration_email(*, registration_id: int, kind: str) -> None:
    """Tell a participant they are confirmed, queued or promoted from the queue.

    Confirmations (and promotions) carry the event as an .ics attachment, with
    the online link for online seminars.
    """
    from .ics import seminar_ics
    from .models import Registration
    from .selectors import waiting_position

    registration = Registration.objects.select_related("seminar", "user").get(
        pk=registration_id
    )
    if registration.status == Registration.Status.CANCELLED:
        return
    seminar = registration.seminar
    context = {
        "registration": registration,
        "seminar": seminar,
        "position": waiting_position(registration=registration),
        **seminar_links(seminar, registration),
    }
    with translation.override(seminar.locale.language_code):
        subject = " ".join(render_to_string(SUBJECT_TEMPLATES[kind], context).split())
        body = render_to_string(f"seminars/email/{kind}.txt", context)
    attachments = []
    if registration.status == Registration.Status.CONFIRMED:
        attachments.append(
            (
                "seminario.ics",
                seminar_ics(
                    seminar,
                    url=context["url"],
                    online_url=seminar.online_url if seminar.is_online else "",
                ),
                "text/calendar",
            )
        )
    # Delivered (and retried) by the outgoing email queue.
    email_send(
        subject=subject,
        body=body,
        to=[registration.user.email],
        attachments=attachments,
    )
