"""Writes on seminar registrations: register, cancel, promote from the queue.

Every write locks the seminar row (``select_for_update``) first, so the count of
confirmed places and the decision to confirm or queue are made one request at a
time per seminar: capacity is never exceeded, however many register at once.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration, SeminarPage
from .tasks import send_registration_email


class RegistrationError(Exception):
    """A registration the rules refuse; ``str(error)`` is shown to the user."""


def _lock(seminar: SeminarPage) -> SeminarPage:
    return SeminarPage.objects.select_for_update(of=("self",)).get(pk=seminar.pk)


def _notify(registration: Registration, kind: str) -> None:
    transaction.on_commit(
        lambda: send_registration_email.enqueue(
            registration_id=registration.pk, kind=kind
        )
    )


@transaction.atomic
def registration_create(
    *,
    seminar: SeminarPage,
    user,
    name: str,
    organisation: str,
    role: str = "",
    accessibility_needs: str = "",
    consent: bool,
    now=None,
) -> Registration:
    """Register ``user``: a confirmed place while there is one, else the waiting
    list. Emails the outcome (with the event as .ics when confirmed)."""
    now = now or timezone.now()
    locked = _lock(seminar)
    if not consent:
        raise RegistrationError(_("Consent is needed to register."))
    if now < locked.registration_opens:
        raise RegistrationError(_("Registration for this seminar is not open yet."))
    if now >= locked.registration_closes or now >= locked.start:
        raise RegistrationError(_("Registration for this seminar is closed."))
    existing = (
        locked.registrations.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        raise RegistrationError(_("You are already registered for this seminar."))
    confirmed = locked.registrations.filter(
        status=Registration.Status.CONFIRMED
    ).count()
    status = (
        Registration.Status.CONFIRMED
        if confirmed < locked.capacity
        else Registration.Status.WAITING
    )
    registration = Registration(
        seminar=locked,
        user=user,
        name=name.strip(),
        organisation=organisation.strip(),
        role=role.strip(),
        accessibility_needs=accessibility_needs.strip(),
        consent=True,
        consent_at=now,
        status=status,
        created_at=now,
    )
    registration.full_clean()
    registration.save()
    _notify(registration, status)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, now=None) -> list[Registration]:
    """Cancel a registration; promote the waiting list, oldest first, into the
    places this frees. Returns the promoted registrations (each is emailed)."""
    now = now or timezone.now()
    seminar = _lock(registration.seminar)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return []
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote(seminar=seminar, now=now)


def _promote(*, seminar: SeminarPage, now) -> list[Registration]:
    confirmed = seminar.registrations.filter(
        status=Registration.Status.CONFIRMED
    ).count()
    free = seminar.capacity - confirmed
    if free <= 0 or seminar.start <= now:
        return []
    promoted = list(
        seminar.registrations.filter(status=Registration.Status.WAITING).order_by(
            "created_at", "pk"
        )[:free]
    )
    for waiting in promoted:
        waiting.status = Registration.Status.CONFIRMED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at"])
        _notify(waiting, "promoted")
    return promoted


@transaction.atomic
def seminar_capacity_changed(*, seminar: SeminarPage, now=None) -> list[Registration]:
    """After an editor raises the capacity, move the queue into the new places."""
    return _promote(seminar=_lock(seminar), now=now or timezone.now())
