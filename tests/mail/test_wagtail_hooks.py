"""The admin's outgoing-email listing: who sees it, the failure count in the
menu, read-only rows and "Retry now"."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from portal.mail.models import OutboundEmail
from portal.mail.services import email_send
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

INDEX = "mail_outboundemail:index"


@pytest.fixture
def emails():
    def make(status, subject):
        email = email_send(subject=subject, body="x", to=["ada@example.org"])
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=status, last_error="SMTPServerDisconnected: gone"
        )
        return email

    return {
        "sent": make(OutboundEmail.Status.SENT, "Consegnata"),
        "failed": make(OutboundEmail.Status.FAILED, "Da riprovare"),
        "given_up": make(OutboundEmail.Status.GIVEN_UP, "Abbandonata"),
    }


@pytest.fixture
def admin_with(make_user):
    def make(*codenames):
        user = make_user(email=f"{'-'.join(codenames) or 'none'}@example.org")
        group = Group.objects.create(name=f"Gruppo {'-'.join(codenames)}")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="mail", codename=codename
                )
            )
        user.groups.add(group)
        return user

    return make


def _login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


@pytest.mark.parametrize(
    ("codenames", "allowed"),
    [((), False), (("view_outboundemail",), True), (("retry_outboundemail",), True)],
)
def test_listing_needs_a_mail_permission(
    client, admin_with, emails, codenames, allowed
):
    _login(client, admin_with(*codenames))

    response = client.get(reverse(INDEX))

    if allowed:
        assert response.status_code == HTTPStatus.OK
        assert "Da riprovare" in response.content.decode()
    else:
        assert response.status_code == HTTPStatus.FOUND  # back to the dashboard
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert ("Email in uscita (2)" in dashboard) is allowed


def test_superuser_filters_by_status_and_cannot_edit(client, make_user, emails):
    _login(client, make_user(email="root@example.org", is_superuser=True))

    response = client.get(reverse(INDEX), {"status": OutboundEmail.Status.GIVEN_UP})

    content = response.content.decode()
    assert "Abbandonata" in content and "Da riprovare" not in content
    inspect = client.get(
        reverse("mail_outboundemail:inspect", args=[emails["given_up"].pk])
    )
    assert inspect.status_code == HTTPStatus.OK
    assert "SMTPServerDisconnected" in inspect.content.decode()
    for path in ["new/", f"edit/{emails['sent'].pk}/", f"delete/{emails['sent'].pk}/"]:
        assert client.get(f"/admin/mail/outgoing/{path}").status_code == (
            HTTPStatus.NOT_FOUND
        )


def test_retry_needs_its_own_permission(client, admin_with, emails):
    _login(client, admin_with("view_outboundemail"))
    url = reverse("mail_outboundemail:retry", args=[emails["given_up"].pk])

    assert "Riprova ora" not in client.get(reverse(INDEX)).content.decode()
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert client.get(url)["Location"] == reverse("wagtailadmin_home")
    assert client.post(url)["Location"] == reverse("wagtailadmin_home")
    assert OutboundEmail.objects.get(pk=emails["given_up"].pk).status == (
        OutboundEmail.Status.GIVEN_UP
    )


def test_retry_now_sends_a_given_up_email(
    client, admin_with, emails, django_capture_on_commit_callbacks
):
    _login(client, admin_with("view_outboundemail", "retry_outboundemail"))
    email = emails["given_up"]
    url = reverse("mail_outboundemail:retry", args=[email.pk])
    assert "Riprova ora" in client.get(reverse(INDEX)).content.decode()
    assert client.get(url).status_code == HTTPStatus.OK

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Abbandonata"]
    # A sent email has nothing to retry.
    response = client.post(url, follow=True)
    assert "non è fallita" in response.content.decode()
    assert len(mail.outbox) == 1
