"""Staff import subscribers from CSV (report first, nothing changes until they
confirm) and export them."""

import csv
import io
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.newsletters import services
from portal.newsletters.models import ConsentEvent, Subscriber, SubscriberImport

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "email,nome,ente,lingua\n"
    "nuova@example.org,Anna,CPI Napoli,it\n"
    "non-una-mail,Bruno,,it\n"
    "seconda@example.org,Carla,,en\n"
    "NUOVA@example.org,Anna di nuovo,,it\n"
    "terza@example.org,Dario,,fr\n"
    "uscita@example.org,Elena,,it\n"
    "gia@example.org,Franco,,it\n"
    "\n"
)


@pytest.fixture
def existing(db):
    left = Subscriber.objects.create(
        email="uscita@example.org", status=Subscriber.Status.UNSUBSCRIBED
    )
    active = Subscriber.objects.create(
        email="gia@example.org", status=Subscriber.Status.ACTIVE, name="Franco"
    )
    return left, active


def _upload(client, content: bytes, **fields):
    data = {
        "file": SimpleUploadedFile("iscritti.csv", content, content_type="text/csv"),
        "consent_source": "Modulo del seminario del 12 marzo 2026",
        **fields,
    }
    return client.post(reverse("newsletters_admin:import"), data)


def test_report_per_row_then_confirm(
    admin_client, admin_user, existing, django_capture_on_commit_callbacks
):
    response = _upload(admin_client, GOOD_AND_BAD.encode(), ask_confirmation="on")
    assert response.status_code == HTTPStatus.FOUND
    assert Subscriber.objects.count() == 2  # nothing added yet
    review = admin_client.get(response.url)
    text = review.content.decode()
    assert "Saranno aggiunti 2 nuovi indirizzi" in text
    for line, reason in (
        (3, "non è un indirizzo email valido"),
        (5, "Stesso indirizzo della riga 2"),
        (6, "Lingua “fr” sconosciuta"),
        (7, "Si era cancellato: non viene aggiunto di nuovo"),
        (8, "Già in elenco"),
    ):
        assert f"<td>{line}</td>" in text and reason in text
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(response.url)
    assert done.status_code == HTTPStatus.FOUND
    added = Subscriber.objects.filter(
        email__in=["nuova@example.org", "seconda@example.org"]
    )
    assert added.count() == 2
    assert {s.status for s in added} == {Subscriber.Status.PENDING}
    assert len(mail.outbox) == 2  # each asked to confirm
    assert Subscriber.objects.get(email="uscita@example.org").status == "unsubscribed"
    event = ConsentEvent.objects.get(subscriber__email="nuova@example.org")
    assert event.action == ConsentEvent.Action.IMPORTED
    assert "seminario del 12 marzo 2026" in event.source
    assert admin_user.email in event.source
    # Confirming twice adds nothing more.
    admin_client.post(response.url)
    assert Subscriber.objects.count() == 4


def test_without_confirmation_the_consent_is_recorded_and_active(
    admin_client, existing
):
    response = _upload(admin_client, b"email\nattiva@example.org\n")
    admin_client.post(response.url)
    subscriber = Subscriber.objects.get(email="attiva@example.org")
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert "seminario" in subscriber.consent_source and subscriber.consent_at


def test_semicolons_and_windows_encoding(admin_client):
    content = "Email;Nome;Organizzazione\nrosa@example.org;Rosa Caffè;Comune di Forlì\n"
    response = _upload(admin_client, content.encode("cp1252"))
    admin_client.post(response.url)
    subscriber = Subscriber.objects.get()
    assert (
        subscriber.name == "Rosa Caffè" and subscriber.organisation == "Comune di Forlì"
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "vuoto"),
        (b"nome,ente\nAnna,CPI\n", "una chiamata “email”"),
        (b"email\n", "non ha righe sotto l"),
        (b"\xff\xfe\x00\x00binary\x81\x8d\x8f", "non è testo codificato"),
    ],
)
def test_unreadable_files_change_nothing(admin_client, content, message):
    response = _upload(admin_client, content)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert SubscriberImport.objects.count() == 0 and Subscriber.objects.count() == 0


def test_another_editor_cannot_apply_my_import(admin_user, existing, make_user):
    batch = services.import_prepare(
        content=b"email\nx@example.org\n",
        filename="x.csv",
        user=admin_user,
        consent_source="x",
        ask_confirmation=False,
    )
    other = make_user(email="altro@example.org")
    with pytest.raises(services.ImportRejected):
        services.import_apply(batch=batch, user=other)
    assert not Subscriber.objects.filter(email="x@example.org").exists()


def test_export_has_consent_and_neutralises_formulas(admin_client, existing):
    Subscriber.objects.create(
        email="formula@example.org",
        name='=HYPERLINK("http://x")',
        consent_source="form",
    )
    response = admin_client.get(reverse("newsletters_admin:export"))
    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["email", "name", "organisation", "language", "status"]
    assert "consent_source" in rows[0]
    by_email = {row[0]: row for row in rows[1:]}
    assert by_email["formula@example.org"][1].startswith("'=")
    assert by_email["uscita@example.org"][4] == "unsubscribed"


def test_import_and_export_need_the_subscriber_permission(client, make_user):
    from django.contrib.auth.models import Permission

    user = make_user(email="redattore@example.org")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for name in ("import", "export"):
        response = client.get(reverse(f"newsletters_admin:{name}"))
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert client.get("/admin/newsletters/subscribers/").status_code in (302, 403)


def test_subscriber_list_in_the_admin(admin_client, existing):
    response = admin_client.get("/admin/newsletters/subscribers/")
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "gia@example.org" in text
    assert reverse("newsletters_admin:import") in text
    assert admin_client.get("/admin/newsletters/subscribers/new/").status_code == 404
