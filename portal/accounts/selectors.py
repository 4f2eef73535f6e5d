"""Reads on people and organisations."""

from django.db.models import QuerySet

from .models import Membership, User


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The organisations a user belongs to, with their role, in one query."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
