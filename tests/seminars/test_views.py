import csv
import datetime as dt
import io
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from icalendar import Calendar

from portal.seminars import services
from portal.seminars.models import Registration
from tests.conftest import PASSWORD

from .factories import make_seminar, registration_data

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def register_url(seminar):
    return seminar.url + seminar.reverse_subpage("register_route")


def test_seminar_page_shows_programme_and_login_link(client, seminar):
    response = client.get(seminar.url)
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "Apertura" in body
    assert 'data-testid="programme"' in body
    assert "/accounts/login/" in body or "login" in body
    assert register_url(seminar) not in body  # no registration form


def test_register_through_the_form(client, seminar, make_user):
    user = make_user()
    login(client, user)
    response = client.post(register_url(seminar), registration_data())
    assert response.status_code == HTTPStatus.FOUND
    registration = Registration.objects.get(user=user)
    assert registration.status == "confirmed"
    page = client.get(seminar.url)
    assert page.status_code == HTTPStatus.OK
    assert 'data-testid="registration-status"' in page.content.decode()


def test_form_errors_rerender_without_registering(client, seminar, make_user):
    login(client, make_user())
    data = registration_data(consent="", name="")
    response = client.post(register_url(seminar), data)
    assert response.status_code == HTTPStatus.OK
    assert "invalid-feedback" in response.content.decode()
    assert not Registration.objects.exists()


def test_anonymous_post_redirects_to_login(client, seminar):
    response = client.post(register_url(seminar), registration_data())
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]
    assert not Registration.objects.exists()


def test_closed_registration_clear_message(client, index, make_user):
    start = timezone.now() + dt.timedelta(hours=2)
    seminar = make_seminar(
        index,
        slug="chiuso",
        start=start,
        end=start + dt.timedelta(hours=1),
        registration_closes=timezone.now() - dt.timedelta(minutes=1),
    )
    login(client, make_user())
    response = client.post(register_url(seminar), registration_data(), follow=True)
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert 'data-testid="registration-closed"' in body
    assert "Le iscrizioni a questo seminario sono chiuse." in body
    assert not Registration.objects.exists()


def test_full_seminar_offers_waiting_list(client, seminar, make_user):
    for i in range(2):
        services.registration_create(
            seminar=seminar,
            user=make_user(email=f"u{i}@example.org"),
            **registration_data(),
        )
    login(client, make_user())
    response = client.get(seminar.url)
    assert 'data-testid="full"' in response.content.decode()
    client.post(register_url(seminar), registration_data())
    assert Registration.objects.filter(status="waiting").count() == 1


def test_online_link_only_for_confirmed(client, index, make_user):
    seminar = make_seminar(
        index,
        slug="webinar",
        kind="webinar",
        is_online=True,
        venue="",
        online_url="https://meet.example.org/segreto",
        capacity=1,
    )
    assert "segreto" not in client.get(seminar.url).content.decode()
    confirmed, waiting = (
        make_user(email="a@example.org"),
        make_user(email="b@example.org"),
    )
    for user in (confirmed, waiting):
        services.registration_create(seminar=seminar, user=user, **registration_data())
    login(client, waiting)
    assert "segreto" not in client.get(seminar.url).content.decode()
    assert (
        b"segreto"
        not in client.get(seminar.url + seminar.reverse_subpage("ics_route")).content
    )
    login(client, confirmed)
    assert 'data-testid="online-url"' in client.get(seminar.url).content.decode()


def test_cancel_link_confirms_then_cancels(client, seminar, make_user):
    registration = services.registration_create(
        seminar=seminar, user=make_user(), **registration_data()
    )
    url = seminar.url + seminar.reverse_subpage(
        "cancel_route", args=(registration.cancel_token,)
    )
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_cancel_link_with_unknown_token_is_404(client, seminar):
    url = seminar.url + "annulla/00000000-0000-0000-0000-000000000000/"
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(seminar.url + "annulla/not-a-token/").status_code == (
        HTTPStatus.NOT_FOUND
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("anonymous", HTTPStatus.FOUND),
        ("user", HTTPStatus.FORBIDDEN),
        ("staff_without_permission", HTTPStatus.FORBIDDEN),
        ("staff", HTTPStatus.OK),
        ("superuser", HTTPStatus.OK),
    ],
)
def test_attendee_export_access(client, seminar, make_user, kind, expected):
    services.registration_create(
        seminar=seminar,
        user=make_user(email="anna@example.org"),
        **registration_data(accessibility_needs="Interprete LIS"),
    )
    if kind != "anonymous":
        user = make_user(
            email="viewer@example.org",
            is_staff=kind != "user",
            is_superuser=kind == "superuser",
        )
        if kind == "staff":
            user.user_permissions.add(
                Permission.objects.get(codename="view_registration")
            )
        login(client, user)
    response = client.get(seminar.url + seminar.reverse_subpage("export_route"))
    assert response.status_code == expected
    if expected == HTTPStatus.OK:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["status", "name", "email"]
        assert rows[1][:3] == ["confirmed", "Anna Bianchi", "anna@example.org"]
        assert rows[1][5] == "Interprete LIS"
        page = client.get(seminar.url).content.decode()
        assert 'data-testid="export-link"' in page
    else:
        assert b"anna@example.org" not in response.content


def test_seminar_ics_is_valid(client, seminar):
    response = client.get(seminar.url + "calendario/ics/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="seminario.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert prop in event
    assert event.decoded("DTEND") == seminar.end
    assert "Sala conferenze" in str(event["LOCATION"])


def test_calendar_feed_lists_upcoming_only(client, index):
    upcoming = make_seminar(index, slug="futuro", title="Futuro")
    make_seminar(index, slug="passato", title="Passato", days=-10)
    response = client.get(index.url + "calendario/")
    assert response.status_code == HTTPStatus.OK
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [upcoming.title]
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_rss_feed(client, index):
    make_seminar(index, slug="futuro", title="Seminario futuro")
    response = client.get(index.url + "feed/")
    assert response.status_code == HTTPStatus.OK
    assert b"<rss" in response.content
    assert b"Seminario futuro" in response.content


def test_attendee_export_neutralises_formulas(client, seminar, make_user):
    services.registration_create(
        seminar=seminar,
        user=make_user(email="eva@example.org"),
        **registration_data(name='=HYPERLINK("http://x.example","clic")'),
    )
    viewer = make_user(email="viewer@example.org", is_superuser=True)
    login(client, viewer)

    response = client.get(seminar.url + seminar.reverse_subpage("export_route"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x.example","clic")'
