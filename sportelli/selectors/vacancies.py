"""Reads on vacancies; the one place that says which vacancy is public."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape, linebreaks

from portal.accounts.models import Organisation
from portal.services import absolute_url

from .. import classifications, permissions
from ..models import (
    CONTRACT_EMPLOYMENT_TYPE,
    EDUCATION_CREDENTIAL,
    ContractType,
    EducationLevel,
    Sportello,
    Vacancy,
    WorkingTime,
)


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
    but not its own, so its other values stay offered.

    One query, whatever the number of vacancies: the live vacancies that miss
    at most one of the chosen filters, grouped by the five facets' values and
    summed here (a row matching every filter counts in every facet, a row
    missing one filter only in that filter's facet). It replaces one grouped
    query per facet, which at 100,000 vacancies on PostgreSQL cost about twice
    as much with two facets (``benchmarks/bench_network.py``); with the partial
    covering index on published vacancies (visibility, deadline) the scan is
    index-only."""
    majors = {group.code: group.title for group in classifications.isco_major_groups()}
    contracts = dict(ContractType.choices)
    times = dict(WorkingTime.choices)
    active = {
        name: value
        for name, value in filters.items()
        if value and name in _FACET_FIELDS
    }
    queryset = vacancy_list_board(network=network).order_by()
    if active:
        # Only rows that miss at most one filter count anywhere.
        near = Q()
        for skipped in active:
            near |= Q(
                **{
                    _FACET_FIELDS[name]: value
                    for name, value in active.items()
                    if name != skipped
                }
            )
        queryset = queryset.filter(near)
    rows = queryset.values_list(*_FACET_FIELDS.values()).annotate(
        province_name=Min("municipality__province_name"), n=Count("pk")
    )
    names = list(_FACET_FIELDS)
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    province_names: dict[str, str] = {}
    for row in rows:
        values = dict(zip(names, row[: len(names)], strict=True))
        province_names[values["province"]] = row[-2]
        missed = [name for name, value in active.items() if values[name] != value]
        if len(missed) > 1:
            continue
        # A row matching every filter counts in every facet; one missing a
        # single filter counts only in that filter's own facet.
        for name in missed or names:
            facet = counts[name]
            facet[values[name]] = facet.get(values[name], 0) + row[-1]
    result = {}
    for name in names:
        values = []
        for value, count in counts[name].items():
            if name == "isco":
                label = f"{value} – {majors.get(value, value)}"
            elif name == "ateco":
                label = classifications.ateco_section_label(value)
            elif name == "province":
                label = f"{province_names[value]} ({value})"
            elif name == "contract":
                label = str(contracts.get(value, value))
            else:
                label = str(times.get(value, value))
            values.append(
                FacetValue(
                    value=value,
                    label=label,
                    count=count,
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
