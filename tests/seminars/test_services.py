import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from portal.seminars import services
from portal.seminars.models import Registration

from .factories import make_seminar, registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The service's messages are checked in English; emails in the seminar's
    language (Italian)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def register(seminar, user, **overrides):
    return services.registration_create(
        seminar=seminar, user=user, **registration_data(**overrides)
    )


def test_register_confirms_and_emails_ics(
    seminar, make_user, django_capture_on_commit_callbacks
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(seminar, user)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.consent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert seminar.title in message.subject
    assert f"annulla/{registration.cancel_token}/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename == "seminario.ics"
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == seminar.title
    assert event.decoded("DTSTART") == seminar.start


def test_full_seminar_puts_on_waiting_list(
    seminar, make_user, django_capture_on_commit_callbacks
):
    users = [make_user(email=f"u{i}@example.org") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [register(seminar, user).status for user in users]
    assert statuses == ["confirmed", "confirmed", "waiting"]
    assert "lista d'attesa" in mail.outbox[2].body
    assert "posizione 1" in mail.outbox[2].body
    assert not mail.outbox[2].attachments


def test_cancel_promotes_oldest_waiting_and_emails(
    seminar, make_user, django_capture_on_commit_callbacks
):
    first, second, third, fourth = (
        make_user(email=f"u{i}@example.org") for i in range(4)
    )
    confirmed = register(seminar, first)
    register(seminar, second)
    waiting_a = register(seminar, third)
    waiting_b = register(seminar, fourth)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=confirmed)
    assert [r.pk for r in promoted] == [waiting_a.pk]
    waiting_a.refresh_from_db()
    waiting_b.refresh_from_db()
    confirmed.refresh_from_db()
    assert confirmed.status == "cancelled"
    assert waiting_a.status == "confirmed"
    assert waiting_a.promoted_at is not None
    assert waiting_b.status == "waiting"
    assert [m.to for m in mail.outbox] == [[third.email]]
    assert mail.outbox[0].attachments[0][0] == "seminario.ics"


def test_cancelling_twice_promotes_once(seminar, make_user):
    users = [make_user(email=f"u{i}@example.org") for i in range(4)]
    registrations = [register(seminar, user) for user in users]
    assert len(services.registration_cancel(registration=registrations[0])) == 1
    assert services.registration_cancel(registration=registrations[0]) == []
    assert registrations[3].__class__.objects.get(pk=registrations[3].pk).status == (
        "waiting"
    )


def test_cancelling_a_waiting_registration_promotes_nobody(seminar, make_user):
    users = [make_user(email=f"u{i}@example.org") for i in range(3)]
    registrations = [register(seminar, user) for user in users]
    assert services.registration_cancel(registration=registrations[2]) == []
    assert seminar.registrations.filter(status="confirmed").count() == 2


def test_capacity_raised_promotes_queue(seminar, make_user):
    users = [make_user(email=f"u{i}@example.org") for i in range(4)]
    for user in users:
        register(seminar, user)
    seminar.capacity = 3
    seminar.save()
    promoted = services.seminar_capacity_changed(seminar=seminar)
    assert [r.user for r in promoted] == [users[2]]


def test_publishing_more_places_promotes_queue(seminar, make_user):
    users = [make_user(email=f"u{i}@example.org") for i in range(3)]
    for user in users:
        register(seminar, user)
    seminar.capacity = 3
    seminar.save_revision().publish()
    assert seminar.registrations.get(user=users[2]).status == "confirmed"


def test_double_registration_refused(seminar, make_user):
    user = make_user()
    register(seminar, user)
    with pytest.raises(services.RegistrationError, match="already registered"):
        register(seminar, user)


def test_can_register_again_after_cancelling(seminar, make_user):
    user = make_user()
    services.registration_cancel(registration=register(seminar, user))
    assert register(seminar, user).status == "confirmed"


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (dt.timedelta(days=-40), "not open yet"),
        (dt.timedelta(minutes=-30), "closed"),
        (dt.timedelta(days=1), "closed"),
    ],
)
def test_registration_outside_window_refused(seminar, make_user, offset, message):
    with pytest.raises(services.RegistrationError, match=message):
        services.registration_create(
            seminar=seminar,
            user=make_user(),
            now=seminar.start + offset,
            **registration_data(),
        )
    assert not seminar.registrations.exists()


def test_consent_required(seminar, make_user):
    with pytest.raises(services.RegistrationError, match="Consent"):
        register(seminar, make_user(), consent=False)


def test_online_seminar_link_in_confirmation_only(
    index, make_user, django_capture_on_commit_callbacks
):
    seminar = make_seminar(
        index,
        slug="webinar",
        kind="webinar",
        is_online=True,
        venue="",
        online_url="https://meet.example.org/segreto",
        capacity=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(seminar, make_user(email="a@example.org"))
        register(seminar, make_user(email="b@example.org"))
    confirmed, waiting = mail.outbox
    assert "https://meet.example.org/segreto" in confirmed.body
    event = Calendar.from_ical(confirmed.attachments[0][1]).walk("VEVENT")[0]
    assert "meet.example.org/segreto" in str(event["LOCATION"])
    assert "segreto" not in waiting.body


def test_no_promotion_after_start(seminar, make_user):
    users = [make_user(email=f"u{i}@example.org") for i in range(3)]
    registrations = [register(seminar, user) for user in users]
    later = seminar.start + dt.timedelta(minutes=5)
    assert services.registration_cancel(registration=registrations[0], now=later) == []
    assert timezone.now() < later
