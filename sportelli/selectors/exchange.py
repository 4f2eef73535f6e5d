"""Reads on the exchange between desks: proposals, their history and thread,
the desks' notifications, and the match suggestions.

Who sees a proposal is ``permissions.proposal_sides`` (the people of its two
desks, and staff); which candidature the network shares is the candidatures'
own visibility rule (``candidature_shared_q``), used here, never restated.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation

from .. import classifications, permissions
from ..models import (
    FINAL_STATUSES,
    TRANSITIONS,
    Candidature,
    CandidatureOccupation,
    CefrLevel,
    DeskNotification,
    EducationLevel,
    Language,
    Municipality,
    Proposal,
    ProposalStatus,
    SharingConsent,
    Sportello,
    Vacancy,
)
from .candidatures import candidature_shared_q
from .vacancies import _live

SUGGESTION_LIMIT = 20


# --- What the network shares ------------------------------------------------------
# Which profile the network sees is the candidatures' own rule
# (``candidature_shared_q``); proposing one needs the "proposals" consent too.


def candidature_proposable_q(today: datetime.date | None = None) -> Q:
    """Shared with the network AND consented to being proposed for vacancies."""
    consent = SharingConsent.objects.filter(
        candidature=OuterRef("pk"),
        scope=SharingConsent.Scope.PROPOSALS,
        withdrawn_at__isnull=True,
        ended_reason="",
    )
    return candidature_shared_q(today) & Q(Exists(consent))


def vacancy_network_q(user, today: datetime.date | None = None) -> Q:
    """Live vacancies ``user`` may see as a member of the network: public ones,
    and network-only ones for the people of the network's public desks."""
    today = today or timezone.localdate()
    live = _live(today)
    if permissions.is_network_member(user):
        return live
    return live & Q(visibility=Vacancy.Visibility.PUBLIC)


def public_desks_of_user(*, user, exclude_desk_id: int | None = None) -> list[int]:
    """The public desks ``user`` works at, but ``exclude_desk_id`` (one query
    after the desk ids)."""
    desks = permissions.user_desk_ids(user) - {exclude_desk_id}
    if not desks:
        return []
    return list(
        Sportello.objects.filter(
            pk__in=desks,
            status=Sportello.Status.ACTIVE,
            organisation__status=Organisation.Status.APPROVED,
        ).values_list("pk", flat=True)
    )


def candidatures_proposable_for_user(*, user, exclude_desk_id: int | None = None):
    """The candidatures ``user`` may propose: those of the desks they work at,
    shared with the "proposals" consent (staff: none, they work at no desk)."""
    desks = permissions.user_desk_ids(user)
    queryset = Candidature.objects.filter(candidature_proposable_q()).filter(
        sportello_id__in=desks
    )
    if exclude_desk_id is not None:
        queryset = queryset.exclude(sportello_id=exclude_desk_id)
    return queryset.select_related("sportello", "municipality").order_by(
        "sportello__name", "reference_code"
    )


def vacancies_proposable_for(*, user, candidature: Candidature) -> QuerySet[Vacancy]:
    """Live network vacancies of other desks that ``candidature`` may be
    proposed for (not already proposed)."""
    already = Proposal.objects.filter(candidature=candidature, vacancy=OuterRef("pk"))
    return (
        Vacancy.objects.filter(vacancy_network_q(user))
        .exclude(sportello_id=candidature.sportello_id)
        .exclude(Exists(already))
        .select_related("municipality", "sportello")
        .order_by("title", "pk")
    )


# --- Proposals --------------------------------------------------------------------


def _proposal_related(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return queryset.select_related(
        "vacancy__municipality",
        "vacancy_sportello",
        "candidature_sportello",
        "created_by",
    )


def proposal_list_for_desk(
    *, sportello: Sportello, direction: str = "", status: str = ""
) -> QuerySet[Proposal]:
    """A desk's proposals: received (for its vacancies), sent (of its
    candidatures) or both; optionally in one status."""
    if direction == "received":
        queryset = Proposal.objects.filter(vacancy_sportello=sportello)
    elif direction == "sent":
        queryset = Proposal.objects.filter(candidature_sportello=sportello)
    else:
        queryset = Proposal.objects.filter(
            Q(vacancy_sportello=sportello) | Q(candidature_sportello=sportello)
        )
    if status in ProposalStatus.values:
        queryset = queryset.filter(status=status)
    return _proposal_related(queryset).order_by("-updated_at", "-pk")


def proposal_status_counts(*, sportello: Sportello, direction: str = "") -> dict:
    if direction == "received":
        queryset = Proposal.objects.filter(vacancy_sportello=sportello)
    elif direction == "sent":
        queryset = Proposal.objects.filter(candidature_sportello=sportello)
    else:
        queryset = Proposal.objects.filter(
            Q(vacancy_sportello=sportello) | Q(candidature_sportello=sportello)
        )
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(ProposalStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class ProposalFound:
    proposal: Proposal | None
    sides: frozenset = frozenset()


def proposal_get_for_user(*, pk: int, user) -> ProposalFound:
    """The proposal at ``pk`` if ``user`` is one of its two desks' people or
    staff, with the sides they act for; otherwise nothing (a 404: a proposal
    leaves no trace for anyone else)."""
    proposal = (
        _proposal_related(Proposal.objects.filter(pk=pk))
        .select_related(
            "vacancy__sportello__organisation",
            "candidature__municipality",
            "candidature__sportello",
        )
        .first()
    )
    if proposal is None:
        return ProposalFound(None)
    sides = permissions.proposal_sides(user, proposal)
    if not sides:
        return ProposalFound(None)
    return ProposalFound(proposal, frozenset(sides))


def proposal_next_steps(*, proposal: Proposal, sides) -> list[tuple[str, str]]:
    """The (status, label) steps the user may take from the current state."""
    labels = dict(ProposalStatus.choices)
    return [
        (status, str(labels[status]))
        for status, side in TRANSITIONS.get(proposal.status, {}).items()
        if side in sides
    ]


def proposal_history(*, proposal: Proposal):
    return proposal.events.select_related("by", "by_sportello").order_by("at", "pk")


def proposal_messages(*, proposal: Proposal):
    return proposal.messages.select_related("author", "author_sportello").order_by(
        "created_at", "pk"
    )


def vacancy_positions_left(*, vacancy: Vacancy) -> int:
    """Positions not yet filled by a hire recorded through the exchange."""
    hired = Proposal.objects.filter(
        vacancy=vacancy, status=ProposalStatus.HIRED
    ).count()
    return max(vacancy.positions - hired, 0)


def proposal_open_count(*, vacancy: Vacancy) -> int:
    return (
        Proposal.objects.filter(vacancy=vacancy)
        .exclude(status__in=FINAL_STATUSES)
        .count()
    )


# --- Notifications ----------------------------------------------------------------


def notification_list(*, user) -> QuerySet[DeskNotification]:
    return DeskNotification.objects.filter(recipient=user).select_related(
        "proposal__vacancy", "sportello", "actor"
    )


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return DeskNotification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- Suggestions ------------------------------------------------------------------

_EDUCATION_ORDER = list(EducationLevel.values)
_CEFR_ORDER = list(CefrLevel.values)

# Which licences a holder of each licence has (EU categories: C and D require
# B; E extends its base category; the CQC is a qualification on top of C / D).
_LICENCE_INCLUDES: dict[str, set[str]] = {
    "AM": {"AM"},
    "A1": {"A1", "AM"},
    "A2": {"A2", "A1", "AM"},
    "A": {"A", "A2", "A1", "AM"},
    "B": {"B", "AM"},
    "BE": {"BE", "B", "AM"},
    "C1": {"C1", "B", "AM"},
    "C": {"C", "C1", "B", "AM"},
    "CE": {"CE", "C", "C1", "BE", "B", "AM"},
    "D1": {"D1", "B", "AM"},
    "D": {"D", "D1", "B", "AM"},
    "DE": {"DE", "D", "D1", "BE", "B", "AM"},
    "C+CQC": {"C+CQC", "C", "C1", "B", "AM"},
    "D+CQC": {"D+CQC", "D", "D1", "B", "AM"},
}


def _licences_covering(required: str) -> list[str]:
    """The licences whose holders meet a requirement of ``required``."""
    return [held for held, covers in _LICENCE_INCLUDES.items() if required in covers]


def _education_at_least(level: str) -> list[str]:
    if level not in _EDUCATION_ORDER:
        return _EDUCATION_ORDER
    return _EDUCATION_ORDER[_EDUCATION_ORDER.index(level) :]


def _education_at_most(level: str) -> list[str]:
    if level not in _EDUCATION_ORDER:
        return _EDUCATION_ORDER[:1]
    return _EDUCATION_ORDER[: _EDUCATION_ORDER.index(level) + 1]


def _language_q(code: str) -> Q:
    # Both databases store the list as JSON text with ``"language": "xx"``
    # (SQLite: json.dumps; PostgreSQL: jsonb's canonical output).
    return Q(languages__icontains=f'"language": "{code}"')


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    radius = 6371.0088
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * radius * math.asin(math.sqrt(a))


def municipality_km(first: Municipality, second: Municipality) -> float | None:
    """Distance between two municipalities' centres, when both are known."""
    if None in (first.latitude, first.longitude, second.latitude, second.longitude):
        return None
    return haversine_km(
        first.latitude, first.longitude, second.latitude, second.longitude
    )


@dataclass
class Suggestion:
    """One match: the candidature (for a vacancy) or vacancy (for a
    candidature), its rank keys and the explanation shown beside it."""

    item: object
    same_unit: bool
    place: int  # 3 municipality, 2 province, 1 region, 0 elsewhere
    education_ok: bool
    languages_ok: bool
    licence_ok: bool
    km: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return ", ".join(self.reasons)


def _place_rank(municipality: Municipality, prefix: str = "municipality") -> Case:
    return Case(
        When(**{f"{prefix}_id": municipality.pk}, then=Value(3)),
        When(**{f"{prefix}__province_code": municipality.province_code}, then=Value(2)),
        When(**{f"{prefix}__region": municipality.region}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def _place_reason(place: int, km: float | None, municipality: Municipality) -> str:
    if place == 3:
        text = _("same municipality")
    elif place == 2:
        text = _("same province")
    elif place == 1:
        text = _("same region")
    else:
        text = _("in %(province)s") % {"province": municipality.province_name}
    if km is not None:
        text += " " + _("(%(km)s km)") % {"km": round(km)}
    return text


def _common_reasons(suggestion: Suggestion, *, missing_languages, licence) -> None:
    reasons = suggestion.reasons
    if not suggestion.education_ok:
        reasons.append(_("education below the required"))
    if missing_languages:
        reasons.append(
            _("missing languages: %(languages)s")
            % {"languages": ", ".join(missing_languages)}
        )
    elif suggestion.languages_ok:
        reasons.append(_("languages covered"))
    if licence and not suggestion.licence_ok:
        reasons.append(_("no licence %(licence)s") % {"licence": licence})


def _language_labels(codes) -> list[str]:
    labels = dict(Language.choices)
    return [str(labels.get(code, code)) for code in codes]


def _levels(rows) -> dict[str, str]:
    return {
        row.get("language"): row.get("level")
        for row in rows or []
        if isinstance(row, dict)
    }


def _languages_missing(required_rows, held_rows) -> list[str]:
    """The required languages not held at the level asked (CEFR order)."""
    held = _levels(held_rows)
    missing = []
    for code, level in _levels(required_rows).items():
        have = held.get(code)
        if have is None or (
            level in _CEFR_ORDER
            and have in _CEFR_ORDER
            and _CEFR_ORDER.index(have) < _CEFR_ORDER.index(level)
        ):
            missing.append(code)
    return _language_labels(missing)


def suggestions_for_vacancy(
    *, vacancy: Vacancy, user, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """The candidatures of the network's other desks that best match
    ``vacancy``: same ISCO unit, then same minor group (the filter); then same
    municipality, province, region; education at least the required; the
    languages asked; the licence. One ranked, bounded query and one for the
    occupations of the rows; nothing for a user who does not work at the
    vacancy's desk (or staff)."""
    if not permissions.desk_access(user, vacancy.sportello).view:
        return []
    minor = (vacancy.isco_code or "")[:3]
    same_unit = CandidatureOccupation.objects.filter(
        candidature=OuterRef("pk"), isco_code=vacancy.isco_code
    )
    in_minor = CandidatureOccupation.objects.filter(isco_minor=minor).values(
        "candidature_id"
    )
    required_languages = list(_levels(vacancy.languages))
    languages_ok = Q()
    for code in required_languages:
        languages_ok &= _language_q(code)
    licence = vacancy.driving_licence
    licence_ok = Q(driving_licence__in=_licences_covering(licence)) if licence else Q()
    queryset = (
        Candidature.objects.filter(candidature_shared_q())
        .filter(pk__in=in_minor)
        .exclude(sportello_id=vacancy.sportello_id)
        .annotate(
            rank_unit=_flag(Q(Exists(same_unit))),
            rank_place=_place_rank(vacancy.municipality),
            rank_education=_flag(
                Q(education_level__in=_education_at_least(vacancy.education_level))
            ),
            rank_languages=_flag(languages_ok) if required_languages else Value(1),
            rank_licence=_flag(licence_ok) if licence else Value(1),
        )
        .select_related("municipality", "sportello")
        .prefetch_related("occupations")
        .order_by(
            "-rank_unit",
            "-rank_place",
            "-rank_education",
            "-rank_languages",
            "-rank_licence",
            "-updated_at",
            "-pk",
        )[:limit]
    )
    results = []
    for candidature in queryset:
        km = municipality_km(vacancy.municipality, candidature.municipality)
        suggestion = Suggestion(
            item=candidature,
            same_unit=bool(candidature.rank_unit),
            place=candidature.rank_place,
            education_ok=bool(candidature.rank_education),
            languages_ok=bool(candidature.rank_languages),
            licence_ok=bool(candidature.rank_licence),
            km=km,
        )
        suggestion.reasons.append(
            _("same occupation") if suggestion.same_unit else _("related occupation")
        )
        suggestion.reasons.append(
            _place_reason(suggestion.place, km, candidature.municipality)
        )
        _common_reasons(
            suggestion,
            missing_languages=_languages_missing(
                vacancy.languages, candidature.languages
            ),
            licence=licence,
        )
        results.append(suggestion)
    return results


def suggestions_for_candidature(
    *, candidature: Candidature, user, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """The live vacancies of the network's other desks that best match
    ``candidature`` (the same ranking the other way round: a vacancy whose
    occupation is in the minor group of one the person seeks; education asked
    at most the person's; every language asked known; the licence asked held).
    Nothing for a user who does not work at the candidature's desk (or staff).
    """
    if not permissions.desk_access(user, candidature.sportello).view:
        return []
    units = list(candidature.occupations.values_list("isco_code", flat=True))
    if not units:
        return []
    minors = {code[:3] for code in units}
    in_minors = [
        code
        for code, group in classifications.isco_groups().items()
        if group.level == "unit" and code[:3] in minors
    ]
    held = set(_levels(candidature.languages))
    lacking = [code for code in Language.values if code not in held]
    languages_missing = Q()
    for code in lacking:
        languages_missing |= _language_q(code)
    licences = sorted(_LICENCE_INCLUDES.get(candidature.driving_licence, set()))
    queryset = (
        Vacancy.objects.filter(vacancy_network_q(user))
        .filter(isco_code__in=in_minors)
        .exclude(sportello_id=candidature.sportello_id)
        .annotate(
            rank_unit=_flag(Q(isco_code__in=units)),
            rank_place=_place_rank(candidature.municipality),
            rank_education=_flag(
                Q(education_level__in=_education_at_most(candidature.education_level))
            ),
            rank_languages=_flag(~languages_missing) if lacking else Value(1),
            rank_licence=_flag(Q(driving_licence__in=["", *licences])),
        )
        .select_related("municipality", "sportello")
        .order_by(
            "-rank_unit",
            "-rank_place",
            "-rank_education",
            "-rank_languages",
            "-rank_licence",
            "deadline",
            "-pk",
        )[:limit]
    )
    results = []
    for vacancy in queryset:
        km = municipality_km(candidature.municipality, vacancy.municipality)
        suggestion = Suggestion(
            item=vacancy,
            same_unit=bool(vacancy.rank_unit),
            place=vacancy.rank_place,
            education_ok=bool(vacancy.rank_education),
            languages_ok=bool(vacancy.rank_languages),
            licence_ok=bool(vacancy.rank_licence),
            km=km,
        )
        suggestion.reasons.append(
            _("same occupation") if suggestion.same_unit else _("related occupation")
        )
        suggestion.reasons.append(
            _place_reason(suggestion.place, km, vacancy.municipality)
        )
        _common_reasons(
            suggestion,
            missing_languages=_languages_missing(
                vacancy.languages, candidature.languages
            ),
            licence=vacancy.driving_licence,
        )
        results.append(suggestion)
    return results
