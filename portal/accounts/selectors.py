"""Reads on people and organisations."""

from django.db.models import Case, Q, QuerySet, Value, When

from .models import JoinRequest, Membership, Organisation, User
from .permissions import REVIEW_REGISTRATION


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The organisations a user belongs to, with their role, in one query."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


# Which of a user's administrations counts for the kit: the best status wins.
_STATUS_RANK = {
    Organisation.Status.APPROVED: 0,
    Organisation.Status.SUSPENDED: 1,
    Organisation.Status.PENDING: 2,
    Organisation.Status.REJECTED: 3,
}


def organisation_primary_for_user(*, user: User) -> Membership | None:
    """The user's membership of the administration that matters most for the kit.

    An approved administration comes before a suspended, pending or rejected one,
    so belonging to a second, pending administration never hides a working one.
    """
    memberships = list(membership_list_for_user(user=user))
    if not memberships:
        return None
    return min(
        memberships,
        key=lambda membership: (
            _STATUS_RANK.get(membership.organisation.status, 9),
            membership.organisation.name,
        ),
    )


def join_request_list_pending_for_user(*, user: User) -> QuerySet[JoinRequest]:
    """The user's own requests to join that nobody has decided yet."""
    if not user.is_authenticated:
        return JoinRequest.objects.none()
    return JoinRequest.objects.filter(
        user=user, status=JoinRequest.Status.PENDING
    ).select_related("organisation")


def join_request_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[JoinRequest]:
    """Pending requests to join an administration, for its referente."""
    return (
        JoinRequest.objects.filter(
            organisation=organisation, status=JoinRequest.Status.PENDING
        )
        .select_related("user")
        .order_by("created_at")
    )


def membership_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[Membership]:
    """An administration's users with their roles, referenti first."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .annotate(
            is_referente=Case(
                When(role=Membership.Role.REFERENTE, then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("is_referente", "user__last_name", "user__email")
    )


def registration_reviewer_list() -> QuerySet[User]:
    """Active users who review registrations (``accounts.review_registration``
    held directly, through a group such as "Revisione registrazioni", or as
    superuser), in one query; the same rule as ``can_review_registrations``."""
    app_label, codename = REVIEW_REGISTRATION.split(".")
    direct = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    through_group = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    reviewers = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | direct | through_group
    )
    # The joins repeat a user who holds the permission more than one way; the
    # subquery keeps one row each.
    return User.objects.filter(pk__in=reviewers.values("pk")).order_by("email")


def organisation_list_pending() -> QuerySet[Organisation]:
    """Administrations waiting for a reviewer, oldest first."""
    return (
        Organisation.objects.filter(status=Organisation.Status.PENDING)
        .select_related("registered_by")
        .order_by("status_changed_at", "pk")
    )


def organisation_count_pending() -> int:
    """How many administrations wait for a reviewer (one query)."""
    return Organisation.objects.filter(status=Organisation.Status.PENDING).count()
