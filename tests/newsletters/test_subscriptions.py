"""Double opt-in, consent records, one-click unsubscribe and resubscribing."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.newsletters import services
from portal.newsletters.models import ConsentEvent, Subscriber

pytestmark = pytest.mark.django_db

FORM = {
    "email": "Operatrice@Example.org",
    "name": "Anna Rossi",
    "organisation": "CPI di Napoli",
    "language": "it",
    "consent": "on",
}


def _subscribe(client, **overrides):
    with_consent = {**FORM, **overrides}
    return client.post(reverse("newsletters:subscribe"), with_consent)


def _confirm_link(message) -> str:
    return re.search(r"https?://\S+/conferma/\S+/", message.body).group(0)


def test_subscribe_confirm_records_consent(
    tree, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client)
    assert response.status_code == HTTPStatus.OK
    assert "Controlla la tua casella" in response.text
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "operatrice@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1
    link = _confirm_link(mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    # Following the link (as a mail scanner would) does not confirm...
    page = client.get("/" + path)
    assert page.status_code == HTTPStatus.OK
    assert "Conferma l'iscrizione" in page.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    # ...pressing the button does.
    done = client.post("/" + path)
    assert done.status_code == HTTPStatus.OK
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consent_at is not None
    assert "doppio consenso" in subscriber.consent_source
    actions = list(subscriber.consent_events.values_list("action", "source"))
    assert actions[0][0] == ConsentEvent.Action.REQUESTED
    assert reverse("newsletters:subscribe") in actions[0][1]
    assert actions[1][0] == ConsentEvent.Action.CONFIRMED


def test_subscribing_again_sends_no_second_email(
    tree, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert _subscribe(client).status_code == HTTPStatus.OK
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1


def test_active_subscriber_gets_no_email_and_same_answer(
    tree, client, django_capture_on_commit_callbacks
):
    subscriber = services.subscriber_request(email="a@example.org", source="test")
    services.subscriber_confirm(subscriber=subscriber, source="test")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, email="a@example.org")
    assert "Controlla la tua casella" in response.text
    assert mail.outbox == []


@pytest.mark.parametrize(
    "email", ["", "non-una-mail", "a@b", "x" * 250 + "@example.org", "a b@example.org"]
)
def test_invalid_address_is_refused_in_italian(tree, client, email):
    response = _subscribe(client, email=email)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Subscriber.objects.count() == 0
    assert (
        "Inserisci un indirizzo email valido" in response.text
        or "Questo campo è obbligatorio" in response.text
        or "non contenga più di 254 caratteri" in response.text
    )


def test_consent_is_required(tree, client):
    response = _subscribe(client, consent="")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Spunta la casella per iscriverti" in response.text
    assert Subscriber.objects.count() == 0


def test_expired_link_offers_a_new_one(tree, client, settings):
    subscriber = services.subscriber_request(email="a@example.org", source="test")
    token = services.confirmation_token(subscriber=subscriber)
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    url = reverse("newsletters:confirm", kwargs={"token": token})
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "è scaduto" in response.text
        assert 'value="a@example.org"' in response.text  # the form, prefilled
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "niente"]
)
def test_tampered_link_is_refused(tree, client, mangle):
    subscriber = services.subscriber_request(email="a@example.org", source="test")
    token = mangle(services.confirmation_token(subscriber=subscriber))
    response = client.post(reverse("newsletters:confirm", kwargs={"token": token}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "non è valido" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_one_click_unsubscribe_without_cookies_or_csrf(tree):
    subscriber = services.subscriber_request(email="a@example.org", source="test")
    services.subscriber_confirm(subscriber=subscriber, source="test")
    url = reverse("newsletters:unsubscribe", kwargs={"key": subscriber.key})
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == HTTPStatus.OK
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE  # GET changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == HTTPStatus.OK
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.consent_events.last().source == (
        "disiscrizione in un clic dal programma di posta"
    )
    # Twice is harmless.
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_unknown_key_is_404(tree, client):
    url = reverse(
        "newsletters:unsubscribe",
        kwargs={"key": "00000000-0000-0000-0000-000000000000"},
    )
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND


def test_resubscribe_from_the_unsubscribe_page(tree, client):
    subscriber = services.subscriber_request(email="a@example.org", source="test")
    services.subscriber_confirm(subscriber=subscriber, source="test")
    services.subscriber_unsubscribe(subscriber=subscriber, source="test")
    response = client.post(
        reverse("newsletters:resubscribe", kwargs={"key": subscriber.key})
    )
    assert response.status_code == HTTPStatus.OK
    assert "Bentornato" in response.text or "di nuovo" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consent_events.last().action == ConsentEvent.Action.RESUBSCRIBED


def test_unsubscribed_can_subscribe_again_with_a_new_confirmation(
    tree, django_capture_on_commit_callbacks
):
    subscriber = services.subscriber_request(email="a@example.org", source="test")
    services.subscriber_confirm(subscriber=subscriber, source="test")
    services.subscriber_unsubscribe(subscriber=subscriber, source="test")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_request(email="A@example.org", source="form")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1


def test_english_form_and_email(tree, client, django_capture_on_commit_callbacks):
    with translation.override("en"):
        url = reverse("newsletters:subscribe")
    assert url.startswith("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**FORM, "language": "en"})
    assert "Check your inbox" in response.text
    assert "/en/" in mail.outbox[0].body
    assert "Confirm your newsletter subscription" in mail.outbox[0].subject


def test_too_many_requests_from_one_address(
    tree, client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_SUBSCRIBE_RATE = (3, 3600)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            assert _subscribe(client, email=f"p{number}@example.org").status_code == 200
        refused = _subscribe(client, email="p9@example.org")
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Troppe richieste" in refused.text
    assert len(mail.outbox) == 3
