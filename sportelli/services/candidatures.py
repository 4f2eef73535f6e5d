"""Writes on candidatures: the pseudonymous profiles a desk shares.

A profile is created together with the person's consent to sharing (never one
without the other); withdrawing the consent, or the end of the retention
period, deletes the profile: the row goes, the consent record stays with its
reason. Same rules as the other services: rights checked, everything validated
before any write, one transaction.

Nothing that identifies a person enters the portal: the privacy guard refuses
reference codes, summaries and skills that look like a fiscal code, an email
address or a phone number (names and contacts stay in the desk's SILLA).
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.forbidden import Forbidden

from .. import permissions
from ..classifications import isco_unit
from ..models import (
    ApiKey,
    Availability,
    Candidature,
    CandidatureOccupation,
    EducationLevel,
    Mobility,
    Municipality,
    ProfileView,
    SharingConsent,
    Sportello,
    languages_errors,
)
from .vacancies import _user, actor_label

logger = logging.getLogger(__name__)

MAX_OCCUPATIONS = 5
MAX_SKILLS = 20
MAX_SKILL_LENGTH = 40
# A view of the same profile by the same person is logged once in this window.
PROFILE_VIEW_WINDOW = datetime.timedelta(hours=1)


@dataclass(frozen=True, kw_only=True)
class CandidatureDetails:
    """What a desk operator writes about a job seeker's profile.

    ``languages`` is a tuple of (ISO 639-1 code, CEFR level) pairs,
    ``occupations`` a tuple of one to five ISCO-08 unit-group codes, ``skills``
    free tags. Nothing here may identify the person.
    """

    reference_code: str
    municipality: Municipality | None
    occupations: tuple[str, ...]
    external_id: str | None = None
    mobility: str = Mobility.PROVINCE
    mobility_km: int | None = None
    availability: str = Availability.IMMEDIATE
    working_time: str = ""
    education_level: str = EducationLevel.NONE
    languages: tuple[tuple[str, str], ...] = ()
    driving_licence: str = ""
    experience_years: int | None = 0
    skills: tuple[str, ...] = field(default=())
    summary: str = ""


_CANDIDATURE_FIELDS = (
    "reference_code",
    "municipality",
    "mobility",
    "mobility_km",
    "availability",
    "working_time",
    "education_level",
    "driving_licence",
    "experience_years",
    "summary",
)

# --- Privacy guard ----------------------------------------------------------------

# Codice fiscale: 6 letters, 2 digits, month letter, 2 digits, a letter, 3 digits,
# a check letter; digits may be replaced by letters (omocodia).
_FISCAL_CODE = re.compile(
    r"(?<![A-Z0-9])[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}"
    r"[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![A-Z0-9])",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}")
# Runs of digits that may be split by spaces, dots, dashes or slashes; not the
# number of a code such as «BRA-0042» (glued to letters, or to letters and a dash).
_DIGIT_RUN = re.compile(
    r"(?<![A-Za-z0-9])(?<![A-Za-z][-_/])(?:\+|00)?\d+(?:[ ./-]{1,2}\d+)*"
)


def _looks_like_phone(run: str) -> bool:
    """An Italian or international phone number somewhere in ``run``: mobile
    (3x, 9-10 digits), landline (0 and a non-zero digit, 8-11 digits), either
    possibly after 39, or 8-15 digits after a + or 00 prefix."""
    international = run.startswith("+") or (run.startswith("00") and run[2:3] != "0")
    groups = re.findall(r"\d+", run.lstrip("+"))
    for start in range(len(groups)):
        digits = ""
        for group in groups[start:]:
            digits += group
            if start == 0 and international:
                if 8 <= len(digits.removeprefix("00")) <= 15:
                    return True
                continue
            national = digits
            if start == 0 and digits.startswith("39") and len(digits) >= 11:
                national = digits[2:]
            if re.fullmatch(r"3\d{8,9}|0[1-9]\d{6,9}", national):
                return True
    return False


def privacy_errors(text: str) -> list:
    """Why ``text`` must not enter the portal (empty when it may)."""
    text = text or ""
    errors = []
    if _FISCAL_CODE.search(text):
        errors.append(
            _(
                "This looks like a fiscal code. Fiscal codes, names and contacts "
                "stay in the desk's SILLA: the network sees a pseudonymous "
                "profile only."
            )
        )
    if _EMAIL.search(text):
        errors.append(
            _(
                "This looks like an email address. Contacts stay in the desk's "
                "SILLA: the network sees a pseudonymous profile only."
            )
        )
    if any(_looks_like_phone(run) for run in _DIGIT_RUN.findall(text)):
        errors.append(
            _(
                "This looks like a phone number. Contacts stay in the desk's "
                "SILLA: the network sees a pseudonymous profile only."
            )
        )
    return errors


# --- Validation -------------------------------------------------------------------


def _clean_skills(values) -> tuple[list[str], list]:
    """Stripped tags, duplicates (case-insensitive) dropped, and what is wrong."""
    skills: list[str] = []
    seen: set[str] = set()
    errors: list = []
    for value in values or ():
        tag = " ".join(str(value).split())
        if not tag or tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        skills.append(tag)
    if len(skills) > MAX_SKILLS:
        errors.append(
            _("Give at most %(count)s skills.") % {"count": MAX_SKILLS},
        )
    too_long = [tag for tag in skills if len(tag) > MAX_SKILL_LENGTH]
    if too_long:
        errors.append(
            _("Each skill is a short tag of at most %(count)s characters: %(tags)s.")
            % {"count": MAX_SKILL_LENGTH, "tags": ", ".join(too_long)}
        )
    for tag in skills:
        for message in privacy_errors(tag):
            if message not in errors:
                errors.append(message)
    return skills, errors


def _clean_occupations(values) -> tuple[list[str], list]:
    codes: list[str] = []
    errors: list = []
    for value in values or ():
        code = str(value).strip()
        if not code:
            continue
        if code in codes:
            errors.append(
                _("%(code)s is listed twice: choose each occupation once.")
                % {"code": code}
            )
            continue
        codes.append(code)
        if not isco_unit(code):
            errors.append(
                _(
                    "%(code)s is not an ISCO-08 unit group (four digits, "
                    "for example 5120)."
                )
                % {"code": code}
            )
    if not codes:
        errors.append(_("Choose at least one occupation sought."))
    elif len(codes) > MAX_OCCUPATIONS:
        errors.append(
            _("Choose at most %(count)s occupations.") % {"count": MAX_OCCUPATIONS}
        )
    return codes, errors


def _candidature_apply(
    candidature: Candidature, details: CandidatureDetails
) -> tuple[list[str], dict[str, list]]:
    """Put ``details`` on ``candidature`` (unsaved) and return the ISCO codes
    and the errors per field (empty when nothing is wrong)."""
    for name in _CANDIDATURE_FIELDS:
        value = getattr(details, name)
        if isinstance(value, str):
            value = value.strip()
        setattr(candidature, name, value)
    candidature.working_time = candidature.working_time or ""
    candidature.driving_licence = candidature.driving_licence or ""
    candidature.summary = candidature.summary or ""
    if candidature.experience_years is None:
        candidature.experience_years = 0
    candidature.external_id = (details.external_id or "").strip() or None
    candidature.languages = [
        {"language": language, "level": level} for language, level in details.languages
    ]
    errors: dict[str, list] = {}
    try:
        candidature.full_clean(
            exclude=["sportello", "created_by", "updated_by", "expires_on"],
            validate_unique=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)

    def add(name, messages):
        for message in messages:
            errors.setdefault(name, []).append(message)

    if candidature.mobility == Mobility.DISTANCE:
        if candidature.mobility_km in (None, 0):
            add("mobility_km", [_("Give the distance in km the person would travel.")])
    elif candidature.mobility_km is not None:
        add(
            "mobility_km",
            [_("Give a distance only when mobility is «Within a distance».")],
        )
    add("languages", languages_errors(candidature.languages))
    skills, skill_errors = _clean_skills(details.skills)
    candidature.skills = skills
    add("skills", skill_errors)
    codes, occupation_errors = _clean_occupations(details.occupations)
    add("occupations", occupation_errors)
    summary_limit = Candidature._meta.get_field("summary").max_length
    if len(candidature.summary) > summary_limit:
        # A TextField's max_length is only a form's check: enforced here too.
        add(
            "summary",
            [
                _("Keep the summary within %(count)s characters.")
                % {"count": summary_limit}
            ],
        )
    add("reference_code", privacy_errors(candidature.reference_code))
    add("summary", privacy_errors(candidature.summary))
    others = Candidature.objects.filter(sportello_id=candidature.sportello_id).exclude(
        pk=candidature.pk
    )
    if (
        candidature.reference_code
        and others.filter(reference_code=candidature.reference_code).exists()
    ):
        add(
            "reference_code",
            [_("Another candidature of this desk has this reference code.")],
        )
    if (
        candidature.external_id
        and others.filter(external_id=candidature.external_id).exists()
    ):
        add(
            "external_id", [_("Another candidature of this desk has this external id.")]
        )
    return codes, errors


def _consent_errors(*, scope: str, given_on, today: datetime.date) -> dict:
    errors: dict[str, list] = {}
    if scope not in SharingConsent.Scope.values:
        errors["consent_scope"] = [_("Choose what the person consented to.")]
    if not isinstance(given_on, datetime.date):
        errors["consent_given_on"] = [_("Give the date the person gave consent.")]
    elif given_on > today:
        errors["consent_given_on"] = [_("The consent date cannot be in the future.")]
    return errors


def _candidature_rights(by: User, sportello: Sportello) -> None:
    if isinstance(by, ApiKey):  # the desk's own software (sportelli/api)
        if not by.is_active or by.sportello_id != sportello.pk:
            raise Forbidden(_("This API key acts for another job desk."))
        return
    if not permissions.can_handle_candidatures(by, sportello):
        raise Forbidden(
            _("Only the desk's operators and managers handle its candidatures.")
        )


def _set_occupations(candidature: Candidature, codes: list[str]) -> None:
    current = set(candidature.occupations.values_list("isco_code", flat=True))
    wanted = set(codes)
    candidature.occupations.exclude(isco_code__in=wanted).delete()
    for code in codes:
        if code not in current:
            CandidatureOccupation(candidature=candidature, isco_code=code).save()


def retention_end(today: datetime.date | None = None) -> datetime.date:
    """The day a profile created or renewed today is deleted."""
    today = today or timezone.localdate()
    return today + datetime.timedelta(
        days=settings.SPORTELLI_CANDIDATURE_RETENTION_DAYS
    )


# --- Services ---------------------------------------------------------------------


@transaction.atomic
def candidature_create(
    *,
    sportello: Sportello,
    by: User,
    details: CandidatureDetails,
    consent_scope: str,
    consent_given_on: datetime.date,
) -> Candidature:
    """An operator (or manager, referente, staff) of the desk enters a profile
    with the person's consent to sharing; both are saved or neither is.

    The profile is shared at once and deleted after
    ``SPORTELLI_CANDIDATURE_RETENTION_DAYS`` unless renewed.
    """
    _candidature_rights(by, sportello)
    today = timezone.localdate()
    candidature = Candidature(
        sportello=sportello,
        created_by=_user(by),
        updated_by=_user(by),
        expires_on=retention_end(today),
    )
    codes, errors = _candidature_apply(candidature, details)
    for name, messages in _consent_errors(
        scope=consent_scope, given_on=consent_given_on, today=today
    ).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    candidature.save()
    _set_occupations(candidature, codes)
    SharingConsent.objects.create(
        sportello=sportello,
        candidature=candidature,
        reference_code=candidature.reference_code,
        scope=consent_scope,
        given_on=consent_given_on,
        recorded_by=_user(by),
    )
    logger.info(
        "Candidature %s created at desk %s by %s",
        candidature.pk,
        sportello.pk,
        actor_label(by),
    )
    return candidature


@transaction.atomic
def candidature_update(
    *, candidature: Candidature, by: User, details: CandidatureDetails
) -> Candidature:
    """Change a profile; its consent records follow a new reference code."""
    _candidature_rights(by, candidature.sportello)
    candidature = (
        Candidature.objects.select_for_update()
        .select_related("sportello")
        .get(pk=candidature.pk)
    )
    old_reference = candidature.reference_code
    codes, errors = _candidature_apply(candidature, details)
    if errors:
        raise ValidationError(errors)
    candidature.updated_by = _user(by)
    candidature.save()
    _set_occupations(candidature, codes)
    if candidature.reference_code != old_reference:
        SharingConsent.objects.filter(candidature=candidature).update(
            reference_code=candidature.reference_code
        )
    return candidature


@transaction.atomic
def candidature_renew(
    *, candidature: Candidature, by: User, today: datetime.date | None = None
) -> Candidature:
    """Keep a profile for another retention period from today."""
    _candidature_rights(by, candidature.sportello)
    candidature = Candidature.objects.select_for_update().get(pk=candidature.pk)
    candidature.expires_on = retention_end(today)
    candidature.updated_by = _user(by)
    candidature.save(update_fields=["expires_on", "updated_by", "updated_at"])
    return candidature


@transaction.atomic
def candidature_set_status(
    *, candidature: Candidature, by: User, status: str
) -> Candidature:
    """Share the profile with the network again, or stop sharing it for now
    (it stays at the desk until it expires or consent is withdrawn)."""
    _candidature_rights(by, candidature.sportello)
    if status not in Candidature.Status.values:
        raise ValidationError({"status": _("Choose whether the profile is shared.")})
    candidature = Candidature.objects.select_for_update().get(pk=candidature.pk)
    candidature.status = status
    candidature.updated_by = _user(by)
    candidature.save(update_fields=["status", "updated_by", "updated_at"])
    return candidature


@transaction.atomic
def consent_withdraw(*, candidature: Candidature, by: User) -> SharingConsent | None:
    """The person withdrew consent: record it and delete the profile.

    Returns the consent record (kept, with the reference code only).
    """
    _candidature_rights(by, candidature.sportello)
    candidature = Candidature.objects.select_for_update().get(pk=candidature.pk)
    now = timezone.now()
    consents = list(
        SharingConsent.objects.select_for_update().filter(
            candidature=candidature, withdrawn_at__isnull=True, ended_reason=""
        )
    )
    for consent in consents:
        consent.withdrawn_at = now
        consent.withdrawn_by = _user(by)
        consent.ended_reason = "withdrawn"
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "ended_reason"])
    pk, sportello_id = candidature.pk, candidature.sportello_id
    candidature.delete()
    logger.info(
        "Candidature %s of desk %s deleted: consent withdrawn (%s)",
        pk,
        sportello_id,
        actor_label(by),
    )
    return consents[0] if consents else None


def candidature_delete_expired(*, today: datetime.date | None = None) -> int:
    """Delete (never hide) every profile whose day has come (run daily:
    ``manage.py sportelli_delete_expired_candidatures``); their consents are
    kept, marked ``expired``. Returns how many profiles were deleted."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Candidature.objects.select_for_update()
            .filter(expires_on__lte=today)
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        SharingConsent.objects.filter(
            candidature_id__in=due, withdrawn_at__isnull=True, ended_reason=""
        ).update(ended_reason="expired")
        deleted = (
            Candidature.objects.filter(pk__in=due)
            .delete()[1]
            .get(Candidature._meta.label, 0)
        )
    logger.info("Deleted %s expired candidatures", deleted)
    return deleted


def profile_view_record(
    *,
    candidature: Candidature,
    viewer: User,
    via: str = "web",
    now: datetime.datetime | None = None,
) -> ProfileView | None:
    """Log that ``viewer`` saw the profile, for the owning desk to read.

    Views by the desk's own people are not logged (staff's are); the same
    viewer on the same profile is logged once per ``PROFILE_VIEW_WINDOW``.
    Returns the new row, or None when nothing was logged.
    """
    if not viewer.is_authenticated:
        return None
    is_staff = permissions.can_manage_sportelli(viewer)
    if not is_staff and permissions.desk_access(viewer, candidature.sportello).view:
        return None
    given_time = now
    now = now or timezone.now()
    if ProfileView.objects.filter(
        candidature=candidature,
        viewer=viewer,
        via=via,
        viewed_at__gt=now - PROFILE_VIEW_WINDOW,
    ).exists():
        return None
    view = ProfileView.objects.create(
        candidature=candidature,
        owner_sportello_id=candidature.sportello_id,
        reference_code=candidature.reference_code,
        viewer=viewer,
        viewer_sportello_id=permissions.network_desk_id(viewer),
        via=via,
    )
    if given_time is not None:
        # auto_now_add ignores a given time; tests pass ``now`` to simulate one.
        ProfileView.objects.filter(pk=view.pk).update(viewed_at=now)
        view.viewed_at = now
    return view
