"""Writes on vacancies: enter, edit, publish, close and expire them.

Same rules as the desks' services: rights checked, everything validated before
any write, one transaction.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.forbidden import Forbidden

from .. import permissions
from ..models import (
    EducationLevel,
    Municipality,
    Sportello,
    Vacancy,
)

logger = logging.getLogger(__name__)

# How far ahead a deadline may be: a job board keeps only live offers.
MAX_VACANCY_DAYS = 365


@dataclass(frozen=True)
class VacancyDetails:
    """What a desk operator writes about a vacancy (``languages`` is a tuple of
    (ISO 639-1 code, CEFR level) pairs)."""

    title: str
    isco_code: str
    ateco_code: str
    contract_type: str
    working_time: str
    municipality: Municipality | None
    deadline: datetime.date | None
    description: str
    how_to_apply: str
    positions: int | None = 1
    cp2011_code: str = ""
    education_level: str = EducationLevel.NONE
    languages: tuple[tuple[str, str], ...] = ()
    driving_licence: str = ""
    experience_years: int | None = 0
    employer_name: str = ""
    employer_visible: bool = True
    visibility: str = Vacancy.Visibility.PUBLIC
    external_id: str | None = None


_VACANCY_FIELDS = (
    "title",
    "isco_code",
    "ateco_code",
    "contract_type",
    "working_time",
    "municipality",
    "deadline",
    "description",
    "how_to_apply",
    "positions",
    "cp2011_code",
    "education_level",
    "driving_licence",
    "experience_years",
    "employer_name",
    "employer_visible",
    "visibility",
)


def _vacancy_apply(vacancy: Vacancy, details: VacancyDetails) -> None:
    """Validate ``details`` on ``vacancy`` (unsaved changes) or raise with an
    error per field."""
    for name in _VACANCY_FIELDS:
        value = getattr(details, name)
        if isinstance(value, str):
            value = value.strip()
        setattr(vacancy, name, value)
    vacancy.languages = [
        {"language": language, "level": level} for language, level in details.languages
    ]
    vacancy.external_id = (details.external_id or "").strip() or None
    errors: dict[str, list] = {}
    try:
        vacancy.full_clean(
            exclude=["sportello", "created_by", "updated_by"], validate_unique=False
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        vacancy.external_id
        and Vacancy.objects.filter(
            sportello_id=vacancy.sportello_id, external_id=vacancy.external_id
        )
        .exclude(pk=vacancy.pk)
        .exists()
    ):
        errors.setdefault("external_id", []).append(
            _("Another vacancy of this desk has this external id.")
        )
    if vacancy.status == Vacancy.Status.PUBLISHED:
        errors.update(_publish_errors(vacancy, today=timezone.localdate()))
    if errors:
        raise ValidationError(errors)


def _publish_errors(vacancy: Vacancy, *, today: datetime.date) -> dict[str, list]:
    errors: dict[str, list] = {}
    if vacancy.deadline is not None:
        if vacancy.deadline <= today:
            errors["deadline"] = [
                _("The closing date for applications must be in the future.")
            ]
        elif vacancy.deadline > today + datetime.timedelta(days=MAX_VACANCY_DAYS):
            errors["deadline"] = [
                _("The closing date can be at most %(days)s days ahead.")
                % {"days": MAX_VACANCY_DAYS}
            ]
    return errors


def _vacancy_rights(by: User, sportello: Sportello) -> None:
    if not permissions.desk_access(by, sportello).vacancies:
        raise Forbidden(
            _("Only the desk's operators and managers handle its vacancies.")
        )


@transaction.atomic
def vacancy_create(
    *, sportello: Sportello, by: User, details: VacancyDetails
) -> Vacancy:
    """An operator (or manager, referente, staff) of the desk enters a vacancy.

    It starts as a draft, seen only by the desk's people until published.
    """
    _vacancy_rights(by, sportello)
    vacancy = Vacancy(sportello=sportello, created_by=by, updated_by=by)
    _vacancy_apply(vacancy, details)
    vacancy.save()
    logger.info(
        "Vacancy %s created at desk %s by user %s", vacancy.pk, sportello.pk, by.pk
    )
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, by: User, details: VacancyDetails) -> Vacancy:
    """Change a draft or published vacancy; a closed one stays as it was."""
    _vacancy_rights(by, vacancy.sportello)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status == Vacancy.Status.CLOSED:
        raise ValidationError(_("A closed vacancy cannot be changed."), code="closed")
    _vacancy_apply(vacancy, details)
    vacancy.updated_by = by
    vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_publish(
    *, vacancy: Vacancy, by: User, today: datetime.date | None = None
) -> Vacancy:
    """Publish a draft: on the job board if public, to the network otherwise.

    The desk must be public (active, administration approved) and the closing
    date in the future (at most ``MAX_VACANCY_DAYS`` ahead).
    """
    _vacancy_rights(by, vacancy.sportello)
    today = today or timezone.localdate()
    vacancy = (
        Vacancy.objects.select_for_update()
        .select_related("sportello__organisation")
        .get(pk=vacancy.pk)
    )
    if vacancy.status != Vacancy.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    errors = _publish_errors(vacancy, today=today)
    if not vacancy.sportello.is_public:
        errors.setdefault("__all__", []).append(
            _("The desk is not active: its vacancies cannot be published.")
        )
    try:
        vacancy.full_clean(
            exclude=["sportello", "created_by", "updated_by"], validate_unique=False
        )
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    vacancy.status = Vacancy.Status.PUBLISHED
    vacancy.published_at = timezone.now()
    vacancy.updated_by = by
    vacancy.save()
    logger.info("Vacancy %s published by user %s", vacancy.pk, by.pk)
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by: User, reason: str) -> Vacancy:
    """Close a vacancy because it was filled or withdrawn (expiry is
    ``vacancy_expire_due``'s). A draft can only be withdrawn."""
    _vacancy_rights(by, vacancy.sportello)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    allowed = {Vacancy.CloseReason.FILLED, Vacancy.CloseReason.WITHDRAWN}
    if vacancy.status == Vacancy.Status.DRAFT:
        allowed = {Vacancy.CloseReason.WITHDRAWN}
    if vacancy.status == Vacancy.Status.CLOSED:
        raise ValidationError(_("The vacancy is already closed."), code="closed")
    if reason not in allowed:
        raise ValidationError(
            {"reason": _("Choose why the vacancy is closed.")}, code="reason"
        )
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.close_reason = reason
    vacancy.closed_at = timezone.now()
    vacancy.updated_by = by
    vacancy.save()
    return vacancy


def vacancy_expire_due(*, today: datetime.date | None = None) -> int:
    """Close, as expired, every published vacancy whose closing date has passed
    (run daily: ``manage.py sportelli_expire_vacancies``). Each one is saved on
    its own, so the search index drops it; returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    due = Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED, deadline__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            vacancy = Vacancy.objects.select_for_update().get(pk=pk)
            if vacancy.status != Vacancy.Status.PUBLISHED or vacancy.deadline >= today:
                continue
            vacancy.status = Vacancy.Status.CLOSED
            vacancy.close_reason = Vacancy.CloseReason.EXPIRED
            vacancy.closed_at = timezone.now()
            vacancy.save()
            closed += 1
    if closed:
        logger.info("Closed %s expired vacancies", closed)
    return closed
