"""Writes on people and organisations. Every change goes through these functions."""

from django.db import transaction

from .models import Membership, Organisation, User


def user_update_profile(*, user: User, first_name: str, last_name: str) -> User:
    """Change the name a user is shown with."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.full_clean()
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def organisation_get_or_create(
    *, name: str, kind: str, codice_ipa: str = "", **fields: str
) -> tuple[Organisation, bool]:
    """Find an organisation by IPA code (or by name when it has none), else create it.

    The organisation is validated (IPA code, codice fiscale check digit, PEC) before
    it is saved.
    """
    lookup = {"codice_ipa": codice_ipa} if codice_ipa else {"name": name}
    existing = Organisation.objects.filter(**lookup).first()
    if existing:
        return existing, False
    organisation = Organisation(name=name, kind=kind, codice_ipa=codice_ipa, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation, True


def membership_set(
    *, organisation: Organisation, user: User, role: str, job_title: str = ""
) -> Membership:
    """Make ``user`` a member of ``organisation`` with ``role`` (idempotent)."""
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"role": role, "job_title": job_title},
    )
    return membership
