"""Reads on job desks; the one place that says which desk is public.

A desk is public when it is active and its administration is approved. The
directory, the detail page, the open data and the documents all read through
here, so the rule is written once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape, linebreaks

from portal.accounts.models import Membership, Organisation, Region, User
from portal.services import absolute_url

from . import classifications, permissions
from .models import (
    CONTRACT_EMPLOYMENT_TYPE,
    EDUCATION_CREDENTIAL,
    SCHEMA_DAYS,
    Agreement,
    ContractType,
    DeskRole,
    DeskService,
    EducationLevel,
    OpeningHours,
    ServiceCharter,
    Sportello,
    Vacancy,
    Weekday,
    WorkingTime,
)
from .permissions import DeskAccess

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


# --- Vacancies ------------------------------------------------------------------


def _live(today: datetime.date) -> Q:
    """Published, not past its closing date, at a public desk."""
    return (
        Q(status=Vacancy.Status.PUBLISHED)
        & Q(deadline__gte=today)
        & Q(sportello__status=Sportello.Status.ACTIVE)
        & Q(sportello__organisation__status=Organisation.Status.APPROVED)
    )


def vacancy_public_q(today: datetime.date | None = None) -> Q:
    """The one rule for what the public sees: live and public."""
    return _live(today or timezone.localdate()) & Q(
        visibility=Vacancy.Visibility.PUBLIC
    )


FACETS = ("isco", "ateco", "province", "contract", "time")
_FACET_FIELDS = {
    "isco": "isco_major",
    "ateco": "ateco_section",
    "province": "municipality__province_sigla",
    "contract": "contract_type",
    "time": "working_time",
}


def board_filters(query) -> dict[str, str]:
    """The facet values asked for in a query string (anything else ignored)."""
    return {name: (query.get(name) or "")[:8] for name in FACETS}


def vacancy_list_board(
    *, network: bool = False, filters: dict[str, str] | None = None
) -> QuerySet[Vacancy]:
    """Live vacancies for the job board: the public ones, or (``network``) every
    live one, for the people of the network. Filtered by the facets' values."""
    today = timezone.localdate()
    queryset = Vacancy.objects.filter(
        _live(today) if network else vacancy_public_q(today)
    )
    for name, value in (filters or {}).items():
        if value and name in _FACET_FIELDS:
            queryset = queryset.filter(**{_FACET_FIELDS[name]: value})
    return queryset.select_related(
        "municipality", "sportello__organisation", "sportello__municipality"
    ).order_by("-published_at", "-pk")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def vacancy_facets(
    *, network: bool = False, filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """Counts of the live vacancies by occupation group, sector, province,
    contract and working time. Each facet counts with the other facets' filters
    but not its own, so its other values stay offered (one grouped query per
    facet: five, whatever the number of vacancies)."""
    majors = {group.code: group.title for group in classifications.isco_major_groups()}
    contracts = dict(ContractType.choices)
    times = dict(WorkingTime.choices)
    result = {}
    for name, field in _FACET_FIELDS.items():
        others = {key: value for key, value in filters.items() if key != name}
        fields = [field]
        if name == "province":
            fields.append("municipality__province_name")
        rows = (
            vacancy_list_board(network=network, filters=others)
            .order_by()
            .values(*fields)
            .annotate(n=Count("pk"))
        )
        values = []
        for row in rows:
            value = row[field]
            if name == "isco":
                label = f"{value} – {majors.get(value, value)}"
            elif name == "ateco":
                label = classifications.ateco_section_label(value)
            elif name == "province":
                label = f"{row['municipality__province_name']} ({value})"
            elif name == "contract":
                label = str(contracts.get(value, value))
            else:
                label = str(times.get(value, value))
            values.append(
                FacetValue(
                    value=value,
                    label=label,
                    count=row["n"],
                    selected=filters.get(name) == value,
                )
            )
        sort_key = "label" if name == "province" else "value"
        result[name] = sorted(values, key=lambda item: getattr(item, sort_key))
    return result


@dataclass(frozen=True)
class VacancyFound:
    vacancy: Vacancy | None
    can_manage: bool = False
    gone: bool = False  # was public, now closed or expired: 410


def vacancy_get_for_user(*, pk: int, user) -> VacancyFound:
    """The vacancy at ``pk`` as ``user`` may see it.

    The desk's people and staff see it in any state; the public sees a live
    public vacancy; the people of the network's public desks see live
    network-only ones too. A public vacancy that was published and is now closed
    or past its date is "gone" (the board says so with 410), anything else
    unseen is missing (404), so drafts and network-only vacancies leave no trace.
    """
    vacancy = (
        Vacancy.objects.select_related(
            "municipality", "sportello__organisation", "sportello__municipality"
        )
        .filter(pk=pk)
        .first()
    )
    if vacancy is None:
        return VacancyFound(None)
    if permissions.desk_access(user, vacancy.sportello).vacancies:
        return VacancyFound(vacancy, can_manage=True)
    today = timezone.localdate()
    desk_public = vacancy.sportello.is_public
    live = (
        vacancy.status == Vacancy.Status.PUBLISHED
        and vacancy.deadline >= today
        and desk_public
    )
    if live and vacancy.is_public:
        return VacancyFound(vacancy)
    if live and permissions.is_network_member(user):
        return VacancyFound(vacancy)
    if (
        vacancy.is_public
        and desk_public
        and vacancy.published_at is not None
        and vacancy.status in (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED)
    ):
        return VacancyFound(None, gone=True)
    return VacancyFound(None)


def vacancy_employer_label(vacancy: Vacancy) -> str:
    """Who hires, as the public sees it."""
    if vacancy.employer_visible and vacancy.employer_name:
        return vacancy.employer_name
    return ""


def vacancy_json_ld(*, vacancy: Vacancy) -> dict:
    """schema.org ``JobPosting`` with Google's required properties (title,
    description, datePosted, hiringOrganization, jobLocation) and the
    recommended ones we have (validThrough, employmentType, identifier,
    directApply). No baseSalary: the desks do not record pay.

    When the employer is withheld, the hiring organisation is the desk's
    administration, which publishes the offer on the employer's behalf.
    """
    municipality = vacancy.municipality
    sportello = vacancy.sportello
    employer = vacancy_employer_label(vacancy)
    if employer:
        hiring = {"@type": "Organization", "name": employer}
    else:
        hiring = {
            "@type": "GovernmentOrganization",
            "name": sportello.organisation.name,
            "department": {
                "@type": "GovernmentOffice",
                "name": sportello.name,
                "url": absolute_url(sportello.get_absolute_url()),
            },
        }
    valid_through = timezone.make_aware(
        datetime.datetime.combine(vacancy.deadline, datetime.time(23, 59, 59))
    )
    employment = [
        "FULL_TIME" if vacancy.working_time == WorkingTime.FULL_TIME else "PART_TIME"
    ]
    extra = CONTRACT_EMPLOYMENT_TYPE.get(vacancy.contract_type)
    if extra:
        employment.append(extra)
    occupation = classifications.isco_unit(vacancy.isco_code)
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": linebreaks(escape(vacancy.description)),
        "datePosted": (vacancy.published_at or vacancy.created_at).isoformat(
            timespec="seconds"
        ),
        "validThrough": valid_through.isoformat(timespec="seconds"),
        "hiringOrganization": hiring,
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": municipality.name,
                "addressRegion": municipality.province_sigla,
                "addressCountry": "IT",
            },
        },
        "employmentType": employment,
        "identifier": {
            "@type": "PropertyValue",
            "name": sportello.name,
            "value": str(vacancy.pk),
        },
        "directApply": False,
        "occupationalCategory": (
            f"{vacancy.isco_code} {occupation.title_en}"
            if occupation
            else vacancy.isco_code
        ),
        "industry": vacancy.ateco_code,
        "totalJobOpenings": vacancy.positions,
        "url": absolute_url(vacancy.get_absolute_url()),
    }
    if vacancy.experience_years:
        data["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": vacancy.experience_years * 12,
        }
    credential = EDUCATION_CREDENTIAL.get(vacancy.education_level)
    if credential:
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": credential,
        }
    elif vacancy.education_level == EducationLevel.NONE:
        data["experienceInPlaceOfEducation"] = True
    return data


# --- Front office ---------------------------------------------------------------


def vacancy_list_for_desk(*, sportello: Sportello, status: str = "") -> QuerySet:
    queryset = Vacancy.objects.filter(sportello=sportello).select_related(
        "municipality"
    )
    if status in Vacancy.Status.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at", "-pk")


def vacancy_status_counts(*, sportello: Sportello) -> dict[str, int]:
    rows = (
        Vacancy.objects.filter(sportello=sportello)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(Vacancy.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- Vacancies' open data -----------------------------------------------------

# Stable field names (CSV columns, JSON keys): add at the end, never rename.
VACANCY_OPEN_DATA_FIELDS = [
    "id",
    "title",
    "isco_code",
    "isco_title",
    "cp2011_code",
    "ateco_code",
    "ateco_section",
    "contract_type",
    "working_time",
    "positions",
    "istat_code",
    "municipality",
    "province",
    "region_code",
    "education_level",
    "languages",
    "driving_licence",
    "experience_years",
    "employer",
    "desk",
    "desk_url",
    "administration",
    "published_at",
    "deadline",
    "url",
]


def vacancy_open_data_records() -> list[dict]:
    """One record per live public vacancy (one query). ``employer`` is empty
    when the desk withholds it."""
    records = []
    for vacancy in vacancy_list_board().order_by("pk"):
        occupation = classifications.isco_unit(vacancy.isco_code)
        municipality = vacancy.municipality
        records.append(
            {
                "id": vacancy.pk,
                "title": vacancy.title,
                "isco_code": vacancy.isco_code,
                "isco_title": occupation.title_en if occupation else "",
                "cp2011_code": vacancy.cp2011_code,
                "ateco_code": vacancy.ateco_code,
                "ateco_section": vacancy.ateco_section,
                "contract_type": vacancy.contract_type,
                "working_time": vacancy.working_time,
                "positions": vacancy.positions,
                "istat_code": municipality.istat_code,
                "municipality": municipality.name,
                "province": municipality.province_sigla,
                "region_code": municipality.region,
                "education_level": vacancy.education_level,
                "languages": [
                    f"{row['language']}:{row['level']}" for row in vacancy.languages
                ],
                "driving_licence": vacancy.driving_licence,
                "experience_years": vacancy.experience_years,
                "employer": vacancy_employer_label(vacancy),
                "desk": vacancy.sportello.name,
                "desk_url": absolute_url(vacancy.sportello.get_absolute_url()),
                "administration": vacancy.sportello.organisation.name,
                "published_at": vacancy.published_at.isoformat(timespec="seconds"),
                "deadline": vacancy.deadline.isoformat(),
                "url": absolute_url(vacancy.get_absolute_url()),
            }
        )
    return records
