"""Reads on job desks; the one place that says which desk is public.

A desk is public when it is active and its administration is approved. The
directory, the detail page, the open data and the documents all read through
here, so the rule is written once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import Membership, Organisation, Region, User
from portal.services import absolute_url

from .. import permissions
from ..models import (
    SCHEMA_DAYS,
    Agreement,
    DeskRole,
    DeskService,
    OpeningHours,
    ServiceCharter,
    Sportello,
    Weekday,
)
from ..permissions import DeskAccess

PUBLIC = Q(status=Sportello.Status.ACTIVE) & Q(
    organisation__status=Organisation.Status.APPROVED
)


def sportello_list_public(
    *, region: str = "", province: str = "", service: str = ""
) -> QuerySet[Sportello]:
    """Public desks, filtered, with everything a list row shows (three queries
    whatever the number of desks: count, page, services)."""
    queryset = Sportello.objects.filter(PUBLIC)
    if region:
        queryset = queryset.filter(municipality__region=region)
    if province:
        queryset = queryset.filter(municipality__province_sigla=province)
    if service:
        queryset = queryset.filter(services__service=service)
    return (
        queryset.select_related("municipality", "organisation")
        .prefetch_related(
            Prefetch("services", queryset=DeskService.objects.order_by("service"))
        )
        .order_by("municipality__name", "name", "pk")
    )


@dataclass(frozen=True)
class FilterOptions:
    regions: list[tuple[str, str]]
    provinces: list[tuple[str, str]]
    has_examples: bool = False


def directory_filter_options() -> FilterOptions:
    """The regions and provinces that have public desks (one query)."""
    rows = (
        Sportello.objects.filter(PUBLIC)
        .values_list(
            "municipality__region",
            "municipality__province_sigla",
            "municipality__province_name",
            "is_example",
        )
        .distinct()
    )
    regions, provinces, has_examples = {}, {}, False
    for region, sigla, province_name, is_example in rows:
        has_examples = has_examples or is_example
        regions[region] = Region(region).label if region in Region.values else region
        provinces[sigla] = f"{province_name} ({sigla})"
    return FilterOptions(
        regions=sorted(regions.items(), key=lambda item: item[1]),
        provinces=sorted(provinces.items(), key=lambda item: item[1]),
        has_examples=has_examples,
    )


def sportello_get_for_user(*, slug: str, user) -> tuple[Sportello, DeskAccess] | None:
    """The desk at ``slug`` if ``user`` may see it, with what they may do there.

    The public sees active desks of approved administrations; the desk's own
    people (referenti, managers, operators) and staff see it in any state.
    """
    sportello = (
        Sportello.objects.select_related("municipality", "organisation")
        .filter(slug=slug)
        .first()
    )
    if sportello is None:
        return None
    access = permissions.desk_access(user, sportello)
    if not (sportello.is_public or access.view):
        return None
    return sportello, access


def sportello_visible_by_pk(*, pk: int, user) -> Sportello | None:
    sportello = Sportello.objects.select_related("organisation").filter(pk=pk).first()
    if sportello is None:
        return None
    if sportello.is_public or permissions.desk_access(user, sportello).view:
        return sportello
    return None


@dataclass(frozen=True)
class DeskDetail:
    hours: list[OpeningHours]
    services: list[DeskService]
    current_charter: ServiceCharter | None
    earlier_charters: list[ServiceCharter]
    upcoming_charters: list[ServiceCharter]
    agreements: list[Agreement]


def sportello_detail(
    *, sportello: Sportello, today: datetime.date | None = None
) -> DeskDetail:
    """Hours, services, charters and agreements of one desk (four queries)."""
    today = today or timezone.localdate()
    charters = list(sportello.charters.order_by("-valid_from", "-pk"))
    in_force = [charter for charter in charters if charter.valid_from <= today]
    return DeskDetail(
        hours=list(sportello.opening_hours.order_by("weekday", "opens")),
        services=list(sportello.services.order_by("service")),
        current_charter=in_force[0] if in_force else None,
        earlier_charters=in_force[1:],
        upcoming_charters=[c for c in charters if c.valid_from > today],
        agreements=list(sportello.agreements.order_by("-signed_on", "partner_name")),
    )


def hours_by_day(hours: list[OpeningHours]) -> list[tuple[str, list[OpeningHours]]]:
    """Opening periods grouped by weekday, Monday first, closed days left out."""
    days: dict[int, list[OpeningHours]] = {}
    for row in hours:
        days.setdefault(row.weekday, []).append(row)
    return [(Weekday(day).label, rows) for day, rows in sorted(days.items())]


def sportello_json_ld(*, sportello: Sportello, detail: DeskDetail) -> dict:
    """schema.org ``GovernmentOffice`` of a desk."""
    municipality = sportello.municipality
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": sportello.name,
        "url": absolute_url(sportello.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": sportello.address,
            "postalCode": sportello.postcode,
            "addressLocality": municipality.name,
            "addressRegion": municipality.province_sigla,
            "addressCountry": "IT",
        },
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": sportello.organisation.name,
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": SCHEMA_DAYS[row.weekday],
                "opens": row.opens.strftime("%H:%M"),
                "closes": row.closes.strftime("%H:%M"),
            }
            for row in detail.hours
        ],
    }
    if sportello.description:
        data["description"] = sportello.description
    if sportello.latitude is not None and sportello.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(sportello.latitude),
            "longitude": float(sportello.longitude),
        }
    if sportello.phone:
        data["telephone"] = sportello.phone
    if sportello.email:
        data["email"] = sportello.email
    if detail.services:
        data["knowsAbout"] = [
            str(item.get_service_display()) for item in detail.services
        ]
    return data


# --- Front office ---------------------------------------------------------------


@dataclass(frozen=True)
class MyDesk:
    sportello: Sportello
    role: str  # "referente", "manager" or "operator"


def sportello_list_for_user(*, user: User) -> list[MyDesk]:
    """The desks a user works at or, as referente, is responsible for (two
    queries)."""
    if not user.is_authenticated:
        return []
    referente_of = set(
        Membership.objects.filter(
            user=user, role=Membership.Role.REFERENTE
        ).values_list("organisation_id", flat=True)
    )
    desks = (
        Sportello.objects.filter(
            Q(organisation_id__in=referente_of)
            | Q(
                roles__user=user,
                organisation__memberships__user=user,
            )
        )
        .select_related("municipality", "organisation")
        .prefetch_related(
            Prefetch("roles", queryset=DeskRole.objects.filter(user=user))
        )
        .distinct()
        .order_by("organisation__name", "name")
    )
    result = []
    for sportello in desks:
        if sportello.organisation_id in referente_of:
            role = "referente"
        else:
            roles = list(sportello.roles.all())
            role = roles[0].role if roles else ""
        result.append(MyDesk(sportello=sportello, role=role))
    return result


def organisation_list_can_create(*, user: User) -> list[Organisation]:
    """The approved administrations where ``user`` may activate a desk."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            status=Organisation.Status.APPROVED,
            memberships__user=user,
            memberships__role=Membership.Role.REFERENTE,
        ).order_by("name")
    )


def desk_role_list(*, sportello: Sportello) -> QuerySet[DeskRole]:
    return (
        DeskRole.objects.filter(sportello=sportello)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )


def member_list_for_roles(*, sportello: Sportello) -> QuerySet[User]:
    """Who may be given a role at the desk: the administration's members."""
    return User.objects.filter(
        memberships__organisation_id=sportello.organisation_id, is_active=True
    ).order_by("last_name", "first_name", "email")


# --- Open data ------------------------------------------------------------------

# Stable field names of the open data (CSV columns, JSON keys, GeoJSON
# properties): add new ones at the end, never rename one.
OPEN_DATA_FIELDS = [
    "id",
    "slug",
    "name",
    "administration",
    "istat_code",
    "municipality",
    "province",
    "province_name",
    "region_code",
    "region",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "phone",
    "email",
    "pec",
    "services",
    "opening_hours",
    "url",
    "updated_at",
]
_DAY_CODES = ["mo", "tu", "we", "th", "fr", "sa", "su"]


def opening_hours_text(hours: list[OpeningHours]) -> str:
    """Hours in the OpenStreetMap ``opening_hours`` syntax: ``Mo 09:00-12:30,
    14:30-17:00; We 09:00-12:30``."""
    days: dict[int, list[str]] = {}
    for row in hours:
        days.setdefault(row.weekday, []).append(f"{row.opens:%H:%M}-{row.closes:%H:%M}")
    return "; ".join(
        f"{_DAY_CODES[day].capitalize()} {','.join(periods)}"
        for day, periods in sorted(days.items())
    )


def open_data_records() -> list[dict]:
    """One record per public desk, ready for CSV, JSON and GeoJSON (three
    queries)."""
    desks = (
        Sportello.objects.filter(PUBLIC)
        .select_related("municipality", "organisation")
        .prefetch_related(
            Prefetch("services", queryset=DeskService.objects.order_by("service")),
            Prefetch(
                "opening_hours",
                queryset=OpeningHours.objects.order_by("weekday", "opens"),
            ),
        )
        .order_by("pk")
    )
    records = []
    for desk in desks:
        municipality = desk.municipality
        hours = list(desk.opening_hours.all())
        records.append(
            {
                "id": desk.pk,
                "slug": desk.slug,
                "name": desk.name,
                "administration": desk.organisation.name,
                "istat_code": municipality.istat_code,
                "municipality": municipality.name,
                "province": municipality.province_sigla,
                "province_name": municipality.province_name,
                "region_code": municipality.region,
                "region": municipality.get_region_display(),
                "address": desk.address,
                "postcode": desk.postcode,
                "latitude": float(desk.latitude) if desk.latitude is not None else None,
                "longitude": (
                    float(desk.longitude) if desk.longitude is not None else None
                ),
                "phone": desk.phone,
                "email": desk.email,
                "pec": desk.pec,
                "services": [item.service for item in desk.services.all()],
                "opening_hours": opening_hours_text(hours),
                "url": absolute_url(desk.get_absolute_url()),
                "updated_at": desk.updated_at.isoformat(timespec="seconds"),
            }
        )
    return records
