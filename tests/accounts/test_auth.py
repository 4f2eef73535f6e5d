import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_hooks")]

User = get_user_model()


@pytest.fixture(autouse=True)
def _public_address(settings):
    """Links in emails use PORTAL_BASE_URL, whatever host the request came to."""
    settings.PORTAL_BASE_URL = "https://esplora.test"


def _link_in(message) -> str:
    match = re.search(r"https://esplora.test(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_sends_a_verification_email_and_verifying_logs_in(client, tree):
    response = client.post(
        reverse("account_signup"),
        {"email": "nuova@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="nuova@example.org")
    assert not user.emailaddress_set.get().verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nuova@example.org"]
    # Italian is the default language, and allauth's Italian catalogue is used.
    assert "Conferma" in mail.outbox[0].subject or "conferma" in mail.outbox[0].body

    # Until the address is verified, logging in only resends the verification.
    response = client.post(
        reverse("account_login"), {"login": "nuova@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session

    confirm_url = _link_in(mail.outbox[0])
    response = client.post(confirm_url)

    assert response.status_code == HTTPStatus.FOUND
    assert user.emailaddress_set.get().verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_by_email_and_logout(client, make_user, tree):
    user = make_user()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("account_profile")).status_code == HTTPStatus.OK

    response = client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


def test_wrong_password_gets_a_clear_message(client, make_user, tree):
    user = make_user()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "sbagliata"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "non sono corretti" in response.content.decode()


def test_password_reset_by_email(client, make_user, tree):
    user = make_user()

    client.post(reverse("account_reset_password"), {"email": user.email})

    assert len(mail.outbox) == 1
    reset_url = _link_in(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(
        form_url,
        {
            "password1": "another-long-password-7",
            "password2": "another-long-password-7",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password("another-long-password-7")


def test_profile_needs_login_and_saves_the_name_and_language(client, make_user, tree):
    assert client.get(reverse("account_profile")).status_code == HTTPStatus.FOUND

    user = make_user()
    assert user.language == "it"
    client.force_login(user)
    response = client.post(
        reverse("account_profile"),
        {"first_name": "Barbara", "last_name": "Rossi", "language": "en"},
    )

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.get_full_name() == "Barbara Rossi"
    assert user.language == "en"


def test_an_unknown_email_language_is_refused_with_a_message(client, make_user, tree):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("account_profile"),
        {"first_name": "Barbara", "last_name": "Rossi", "language": "xx"},
    )

    assert response.status_code == HTTPStatus.OK
    assert 'aria-invalid="true"' in response.content.decode()
    user.refresh_from_db()
    assert user.language == "it"


def test_email_to_a_user_is_written_in_their_language(db, make_user):
    from portal.mail.models import OutboundEmail
    from portal.mail.services import email_send_to_user

    user = make_user()
    user.language = "en"
    user.save()
    email_send_to_user(
        user=user,
        subject=_("Your profile has been saved."),
        template="accounts/email/join_request_decided.txt",
        context={"organisation": {"name": "Comune di Lecce"}, "approved": True},
    )
    email = OutboundEmail.objects.get()
    assert email.to == [user.email]
    assert email.subject == "[Esplora Lavoro] Your profile has been saved."

    user.language = "it"
    user.save()
    email_send_to_user(
        user=user,
        subject=_("Your profile has been saved."),
        template="accounts/email/join_request_decided.txt",
        context={"organisation": {"name": "Comune di Lecce"}, "approved": True},
    )
    email = OutboundEmail.objects.latest("pk")
    assert email.subject == "[Esplora Lavoro] Il tuo profilo è stato salvato."


def test_sixth_failed_site_login_within_five_minutes_is_refused(
    client, make_user, tree
):
    user = make_user()
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "sbagliata"}
        )
        assert "Troppi tentativi" not in response.content.decode()

    # Even the right password is refused now.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )

    assert (
        "Troppi tentativi di accesso. Riprova più tardi." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_sixth_failed_admin_login_is_refused(client, make_user, tree):
    staff = make_user(email="redazione@example.org", is_staff=True, is_superuser=True)
    for _attempt in range(5):
        response = client.post(
            "/admin/login/", {"username": staff.email, "password": "sbagliata"}
        )
        assert response.status_code == HTTPStatus.OK

    response = client.post(
        "/admin/login/", {"username": staff.email, "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.OK
    assert (
        "Troppi tentativi di accesso. Riprova più tardi." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_site_and_admin_failures_share_one_limit(client, make_user, tree):
    staff = make_user(email="redazione@example.org", is_staff=True, is_superuser=True)
    for _attempt in range(3):
        client.post(reverse("account_login"), {"login": staff.email, "password": "x"})
    for _attempt in range(2):
        client.post("/admin/login/", {"username": staff.email, "password": "x"})

    response = client.post(
        "/admin/login/", {"username": staff.email, "password": PASSWORD}
    )

    assert (
        "Troppi tentativi di accesso. Riprova più tardi." in response.content.decode()
    )


def test_admin_login_works_with_the_right_password(client, make_user, tree):
    staff = make_user(email="redazione@example.org", is_staff=True, is_superuser=True)

    response = client.post(
        "/admin/login/", {"username": staff.email, "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_account_emails_greet_from_the_portal_and_name_the_address(client, tree):
    client.post(
        reverse("account_signup"),
        {"email": "saluti@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1:8000",
    )

    body = mail.outbox[0].body
    assert "Esplora Lavoro!" in body.splitlines()[0]
    assert " da !" not in body and "from !" not in body
    assert "esplora.test" in body
    assert "127.0.0.1" not in body and "testserver" not in body


@pytest.mark.parametrize(
    ("first", "second", "second_refused"),
    [("10.0.0.1", "10.0.0.2", False), ("10.0.0.1", "10.0.0.1", True)],
)
def test_login_limit_per_client_address_behind_a_proxy(
    client, make_user, tree, settings, first, second, second_refused
):
    """Behind nginx, REMOTE_ADDR is nginx for everyone: the per-IP limit must
    count the address nginx forwarded, so one client cannot lock out others."""
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,50/5m/key"}
    user = make_user()
    for attempt in range(3):
        client.post(
            reverse("account_login"),
            {"login": f"nessuno{attempt}@example.org", "password": "sbagliata"},
            HTTP_X_FORWARDED_FOR=first,
            REMOTE_ADDR="127.0.0.1",
        )

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=second,
        REMOTE_ADDR="127.0.0.1",
    )

    logged_in = client.session.get("_auth_user_id") == str(user.pk)
    assert logged_in is not second_refused, response.status_code
