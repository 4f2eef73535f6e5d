"""Who may do what with a job desk.

- Staff with ``sportelli.manage_sportelli`` (admin group "Gestione sportelli",
  superusers too) manage every desk.
- The referente of the desk's administration activates desks (only while the
  administration is approved), edits them and gives or takes desk roles.
- A desk manager edits the desk and uploads its charter and agreements.
- An operator sees the desk even when it is not public.
- The desk's people (operators, managers, the referente) and staff enter,
  publish and close the desk's vacancies.
- Network-only vacancies are shown to the people of any public desk of the
  network (and to staff), never to the public.
- A desk's people (and staff) write the desk's candidatures; the people of the
  network's public desks read the shared pseudonymous profiles, never who
  recorded them.
- A proposal is seen by the people of its two desks and by staff; each step is
  taken by the desk ``models.exchange.TRANSITIONS`` names for it.
- An API key acts for its own desk only (``sportelli/api/auth.py``).

A user who is no longer a member of the administration loses every desk right,
even if a desk role row is left behind.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from portal.accounts.models import Membership, Organisation

from .models import DeskRole, Sportello

MANAGE_SPORTELLI = "sportelli.manage_sportelli"


def can_manage_sportelli(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(MANAGE_SPORTELLI)
    )


def is_referente(user, organisation: Organisation) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(
        organisation=organisation, user=user, role=Membership.Role.REFERENTE
    ).exists()


def can_create_desk(user, organisation: Organisation) -> bool:
    """Only an approved administration activates desks."""
    if organisation.status != Organisation.Status.APPROVED:
        return False
    return can_manage_sportelli(user) or is_referente(user, organisation)


@dataclass(frozen=True)
class DeskAccess:
    """What one user may do with one desk (computed with at most two queries)."""

    view: bool = False
    edit: bool = False
    manage_roles: bool = False
    role: str = ""

    @property
    def vacancies(self) -> bool:
        """May enter, publish and close the desk's vacancies."""
        return self.view


def desk_access(user, sportello: Sportello) -> DeskAccess:
    if not (user.is_authenticated and user.is_active):
        return DeskAccess()
    if can_manage_sportelli(user):
        return DeskAccess(view=True, edit=True, manage_roles=True)
    membership = (
        Membership.objects.filter(organisation_id=sportello.organisation_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if membership is None:
        return DeskAccess()
    if membership == Membership.Role.REFERENTE:
        return DeskAccess(view=True, edit=True, manage_roles=True, role="referente")
    role = (
        DeskRole.objects.filter(sportello=sportello, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role == DeskRole.Role.MANAGER:
        return DeskAccess(view=True, edit=True, role=role)
    if role == DeskRole.Role.OPERATOR:
        return DeskAccess(view=True, role=role)
    return DeskAccess()


def is_network_member(user) -> bool:
    """Works at (or, as referente, is responsible for) a public desk of the
    network, or is staff: may see network-only vacancies (one query)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_manage_sportelli(user):
        return True
    public = Sportello.objects.filter(
        status=Sportello.Status.ACTIVE,
        organisation__status=Organisation.Status.APPROVED,
    )
    return public.filter(
        Q(
            roles__user=user,
            organisation__memberships__user=user,
        )
        | Q(
            organisation__memberships__user=user,
            organisation__memberships__role=Membership.Role.REFERENTE,
        )
    ).exists()


# --- Exchange (proposals between desks) -------------------------------------------
#
# A proposal is seen by the people of its two desks (operators, managers, the
# referente of each desk's administration) and by staff; a step is taken by the
# desk that TRANSITIONS names for it.


def desk_people(sportello: Sportello):
    """The active users who work at ``sportello``: its operators and managers
    still members of its administration, and the administration's referente."""
    people = Q(
        desk_roles__sportello=sportello,
        memberships__organisation_id=sportello.organisation_id,
    ) | Q(
        memberships__organisation_id=sportello.organisation_id,
        memberships__role=Membership.Role.REFERENTE,
    )
    return get_user_model().objects.filter(people, is_active=True).distinct()


def user_desk_ids(user) -> set[int]:
    """The desks whose people ``user`` is (one query; empty for anonymous)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(
        Sportello.objects.filter(
            Q(roles__user=user, organisation__memberships__user=user)
            | Q(
                organisation__memberships__user=user,
                organisation__memberships__role=Membership.Role.REFERENTE,
            )
        ).values_list("pk", flat=True)
    )


def proposal_sides(user, proposal) -> set[str]:
    """Which sides of ``proposal`` the user acts for: "vacancy" (the desk that
    owns the vacancy), "candidature" (the proposing desk); staff act for both.
    Empty: the user may not see the proposal."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if can_manage_sportelli(user):
        return {"vacancy", "candidature"}
    desks = user_desk_ids(user)
    sides = set()
    if proposal.vacancy_sportello_id in desks:
        sides.add("vacancy")
    if proposal.candidature_sportello_id in desks:
        sides.add("candidature")
    return sides


# --- Candidatures ---------------------------------------------------------------
# The desk's people (operators, managers, the referente) and staff enter, edit,
# renew, share and delete the desk's candidatures and read who viewed them.
# Other desks' people (network members) see only shared pseudonymous profiles.


def can_handle_candidatures(
    user, sportello: Sportello, access: DeskAccess | None = None
) -> bool:
    """``access``: the user's ``desk_access`` to the desk, when already known."""
    if access is None:
        access = desk_access(user, sportello)
    return access.vacancies


def is_network_member_cached(user) -> bool:
    """``is_network_member``, asked once per user object (one request)."""
    cached = getattr(user, "_sportelli_network_member", None)
    if cached is None:
        cached = is_network_member(user)
        if user.is_authenticated:
            user._sportelli_network_member = cached
    return cached


def network_desk_id(user) -> int | None:
    """The first public desk ``user`` works at (or, as referente, is
    responsible for), for the profile view log (one query)."""
    if not (user.is_authenticated and user.is_active):
        return None
    return (
        Sportello.objects.filter(
            status=Sportello.Status.ACTIVE,
            organisation__status=Organisation.Status.APPROVED,
        )
        .filter(
            Q(roles__user=user, organisation__memberships__user=user)
            | Q(
                organisation__memberships__user=user,
                organisation__memberships__role=Membership.Role.REFERENTE,
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
