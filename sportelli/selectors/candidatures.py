"""Reads on candidatures; the one place that says which profile the network sees.

A profile is shared with the network when it is active, its consent stands, it
has not reached its deletion day and its desk is public; only the network's
members (people of public desks, and staff) see shared profiles. Every page,
suggestion and API read goes through ``candidature_list_shared`` (or
``candidature_shared_q``), so the rule is written once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import Region, User

from .. import classifications, permissions
from ..models import (
    Availability,
    Candidature,
    CandidatureOccupation,
    EducationLevel,
    ProfileView,
    SharingConsent,
    Sportello,
)
from .desks import PUBLIC

_ACTIVE_CONSENT = SharingConsent.objects.filter(
    candidature=OuterRef("pk"), withdrawn_at__isnull=True, ended_reason=""
)


def candidature_shared_q(today: datetime.date | None = None) -> Q:
    """The one rule for what the network sees: shared (active), consent
    standing, before its deletion day (the day itself it is deleted), at a
    public desk (``desks.PUBLIC``)."""
    today = today or timezone.localdate()
    return (
        Q(status=Candidature.Status.ACTIVE)
        & Q(expires_on__gt=today)
        & Q(sportello__in=Sportello.objects.filter(PUBLIC).values("pk"))
        & Q(Exists(_ACTIVE_CONSENT))
    )


NETWORK_FILTERS = ("isco", "region", "province", "education", "availability")


def network_filters(query) -> dict[str, str]:
    """The filter values asked for in a query string (anything else ignored)."""
    return {name: (query.get(name) or "").strip()[:12] for name in NETWORK_FILTERS}


def _with_occupations(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "occupations",
            queryset=CandidatureOccupation.objects.order_by("isco_code"),
        )
    )


def candidature_list_shared(
    *, user: User, filters: dict[str, str] | None = None
) -> QuerySet[Candidature]:
    """The profiles shared with the network, as ``user`` may see them: all of
    them for a network member (staff included), none for anyone else. Filtered
    by occupation group (ISCO major group, or a finer code), region, province,
    education and availability; with desk, area and occupations (a page costs
    three queries: count, page, occupations)."""
    if not permissions.is_network_member_cached(user):
        return Candidature.objects.none()
    queryset = Candidature.objects.filter(candidature_shared_q())
    filters = filters or {}
    isco = filters.get("isco", "")
    if isco.isdigit() and 1 <= len(isco) <= 4:
        field = {1: "isco_major", 3: "isco_minor", 4: "isco_code"}.get(len(isco))
        lookup = {field: isco} if field else {"isco_code__startswith": isco}
        queryset = queryset.filter(
            Exists(
                CandidatureOccupation.objects.filter(
                    candidature=OuterRef("pk"), **lookup
                )
            )
        )
    if filters.get("region"):
        queryset = queryset.filter(municipality__region=filters["region"])
    if filters.get("province"):
        queryset = queryset.filter(municipality__province_sigla=filters["province"])
    if filters.get("education") in EducationLevel.values:
        queryset = queryset.filter(education_level=filters["education"])
    if filters.get("availability") in Availability.values:
        queryset = queryset.filter(availability=filters["availability"])
    return _with_occupations(
        queryset.select_related("municipality", "sportello__municipality")
    ).order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class NetworkFilterOptions:
    occupation_groups: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    provinces: list[tuple[str, str]]
    education_levels: list[tuple[str, str]]
    availabilities: list[tuple[str, str]]


def network_filter_options(*, user: User) -> NetworkFilterOptions:
    """The regions and provinces where shared profiles are (one query), the
    occupation groups and the fixed vocabularies."""
    rows = (
        candidature_list_shared(user=user)
        .prefetch_related(None)
        .order_by()
        .values_list(
            "municipality__region",
            "municipality__province_sigla",
            "municipality__province_name",
        )
        .distinct()
    )
    regions, provinces = {}, {}
    for region, sigla, province_name in rows:
        regions[region] = Region(region).label if region in Region.values else region
        provinces[sigla] = f"{province_name} ({sigla})"
    return NetworkFilterOptions(
        occupation_groups=[
            (group.code, group.coded_title)
            for group in classifications.isco_major_groups()
        ],
        regions=sorted(regions.items(), key=lambda item: str(item[1])),
        provinces=sorted(provinces.items(), key=lambda item: item[1]),
        education_levels=list(EducationLevel.choices),
        availabilities=list(Availability.choices),
    )


@dataclass(frozen=True)
class CandidatureFound:
    candidature: Candidature | None
    own: bool = False  # the viewer is one of the desk's people (or staff)


def candidature_get_for_user(*, pk: int, user: User) -> CandidatureFound:
    """The profile at ``pk`` as ``user`` may see it: a shared one for any
    network member; any of its desk's own, in any state, for the desk's people
    and staff. Anything else is missing (404), leaving no trace."""
    queryset = _with_occupations(
        Candidature.objects.select_related(
            "municipality", "sportello__organisation", "sportello__municipality"
        )
    )
    candidature = queryset.filter(pk=pk).first()
    if candidature is None:
        return CandidatureFound(None)
    own = permissions.can_handle_candidatures(user, candidature.sportello)
    if own:
        return CandidatureFound(candidature, own=True)
    if (
        permissions.is_network_member_cached(user)
        and Candidature.objects.filter(candidature_shared_q(), pk=pk).exists()
    ):
        return CandidatureFound(candidature)
    return CandidatureFound(None)


# --- Display ----------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationRow:
    code: str
    title: str


def candidature_occupation_rows(candidature: Candidature) -> list[OccupationRow]:
    """The occupations sought with their ISCO-08 titles (prefetched rows)."""
    rows = []
    for occupation in candidature.occupations.all():
        group = classifications.isco_unit(occupation.isco_code)
        rows.append(
            OccupationRow(
                code=occupation.isco_code,
                title=group.title if group else occupation.isco_code,
            )
        )
    return rows


# --- Front office -----------------------------------------------------------------

DESK_FILTERS = ("status", "isco", "expiring", "q")
EXPIRING_DAYS = 30


def desk_filters(query) -> dict[str, str]:
    return {name: (query.get(name) or "").strip()[:40] for name in DESK_FILTERS}


def candidature_list_for_desk(
    *, sportello: Sportello, filters: dict[str, str] | None = None
) -> QuerySet[Candidature]:
    """All the desk's profiles, shared or not, with their area, occupations and
    current consent (three queries: the rows, occupations, consents).

    Filters: ``status``, ``isco`` (major group), ``expiring`` (deleted within
    ``EXPIRING_DAYS``) and ``q`` (part of the reference code)."""
    filters = filters or {}
    queryset = Candidature.objects.filter(sportello=sportello)
    if filters.get("status") in Candidature.Status.values:
        queryset = queryset.filter(status=filters["status"])
    isco = filters.get("isco", "")
    if isco.isdigit() and len(isco) == 1:
        queryset = queryset.filter(
            Exists(
                CandidatureOccupation.objects.filter(
                    candidature=OuterRef("pk"), isco_major=isco
                )
            )
        )
    if filters.get("expiring"):
        queryset = queryset.filter(
            expires_on__lte=timezone.localdate()
            + datetime.timedelta(days=EXPIRING_DAYS)
        )
    if filters.get("q"):
        queryset = queryset.filter(reference_code__icontains=filters["q"])
    return (
        _with_occupations(queryset.select_related("municipality"))
        .prefetch_related(
            Prefetch(
                "consents",
                queryset=SharingConsent.objects.filter(
                    withdrawn_at__isnull=True, ended_reason=""
                ).select_related("recorded_by"),
                to_attr="active_consents",
            )
        )
        .order_by("expires_on", "reference_code", "pk")
    )


def candidature_consents(*, candidature: Candidature) -> list[SharingConsent]:
    """Every consent record of a profile, newest first, with who recorded it."""
    return list(
        SharingConsent.objects.filter(candidature=candidature)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-recorded_at", "-pk")
    )


def consent_list_ended(*, sportello: Sportello, limit: int = 50) -> list:
    """The desk's latest ended consents (withdrawn or expired profiles), for
    the record the desk keeps after the profile is deleted."""
    return list(
        SharingConsent.objects.filter(sportello=sportello)
        .exclude(ended_reason="")
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )


def profile_view_list_for_desk(*, sportello: Sportello) -> QuerySet[ProfileView]:
    """Who of the other desks (or staff) viewed the desk's profiles, newest
    first (one query a page)."""
    return (
        ProfileView.objects.filter(owner_sportello=sportello)
        .select_related("viewer", "viewer_sportello")
        .order_by("-viewed_at", "-pk")
    )
