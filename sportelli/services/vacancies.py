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
    ApiKey,
    EducationLevel,
    Municipality,
    Sportello,
    Vacancy,
)

logger = logging.getLogger(__name__)

# How far ahead a deadline may be: a job board keeps only live offers.
MAX_VACANCY_DAYS = 365

# Who writes: a person, or a desk's API key acting for its desk (the desk's own
# software). A key has no user: ``created_by``/``updated_by`` stay empty and the
# logs name the key's prefix.
Actor = User | ApiKey


def _user(by: Actor) -> User | None:
    return None if isinstance(by, ApiKey) else by


def actor_label(by: Actor) -> str:
    """How a log line names who acted."""
    if isinstance(by, ApiKey):
        return f"API key {by.prefix} of desk {by.sportello_id}"
    return f"user {by.pk}"


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


def _vacancy_apply(
    vacancy: Vacancy, details: VacancyDetails, *, external_id_known: bool = False
) -> None:
    """Validate ``details`` on ``vacancy`` (unsaved changes) or raise with an
    error per field. ``external_id_known``: the caller found the vacancy by this
    external id (or found none), so it is not looked up again."""
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
        # The model's constraints cost a query each to validate in Python: the
        # external id is checked below, positions have their validator, and the
        # close reason is set by vacancy_close only. A municipality given as a
        # row read from the database needs no query to prove it exists.
        known = ["municipality"] if getattr(details.municipality, "pk", None) else []
        vacancy.full_clean(
            exclude=["sportello", "created_by", "updated_by", *known],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        vacancy.external_id
        and not external_id_known
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


def _vacancy_rights(by: Actor, sportello: Sportello) -> None:
    if isinstance(by, ApiKey):
        if not by.is_active or by.sportello_id != sportello.pk:
            raise Forbidden(_("This API key acts for another job desk."))
        return
    if not permissions.desk_access(by, sportello).vacancies:
        raise Forbidden(
            _("Only the desk's operators and managers handle its vacancies.")
        )


@transaction.atomic
def vacancy_create(
    *, sportello: Sportello, by: Actor, details: VacancyDetails
) -> Vacancy:
    """An operator (or manager, referente, staff) of the desk enters a vacancy.

    It starts as a draft, seen only by the desk's people until published.
    """
    _vacancy_rights(by, sportello)
    vacancy = Vacancy(sportello=sportello, created_by=_user(by), updated_by=_user(by))
    _vacancy_apply(vacancy, details)
    vacancy.save()
    logger.info(
        "Vacancy %s created at desk %s by %s", vacancy.pk, sportello.pk, actor_label(by)
    )
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, by: Actor, details: VacancyDetails) -> Vacancy:
    """Change a draft or published vacancy; a closed one stays as it was."""
    _vacancy_rights(by, vacancy.sportello)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    return _vacancy_update_locked(vacancy, by=by, details=details)


def _vacancy_update_locked(
    vacancy: Vacancy,
    *,
    by: Actor,
    details: VacancyDetails,
    external_id_known: bool = False,
) -> Vacancy:
    """``vacancy_update`` on a row the caller holds locked, rights checked."""
    if vacancy.status == Vacancy.Status.CLOSED:
        raise ValidationError(_("A closed vacancy cannot be changed."), code="closed")
    _vacancy_apply(vacancy, details, external_id_known=external_id_known)
    vacancy.updated_by = _user(by)
    vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_publish(
    *, vacancy: Vacancy, by: Actor, today: datetime.date | None = None
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
            exclude=["sportello", "created_by", "updated_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    vacancy.status = Vacancy.Status.PUBLISHED
    vacancy.published_at = timezone.now()
    vacancy.updated_by = _user(by)
    vacancy.save()
    logger.info("Vacancy %s published by %s", vacancy.pk, actor_label(by))
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by: Actor, reason: str) -> Vacancy:
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
    vacancy.updated_by = _user(by)
    vacancy.save()
    return vacancy


def _vacancy_create_known(
    *, sportello: Sportello, by: Actor, details: VacancyDetails, publish: bool
) -> Vacancy:
    vacancy = Vacancy(
        sportello=sportello,
        created_by=_user(by),
        updated_by=_user(by),
        status=Vacancy.Status.PUBLISHED if publish else Vacancy.Status.DRAFT,
    )
    errors: dict[str, list] = {}
    try:
        # With the publish rules when the status is published.
        _vacancy_apply(vacancy, details, external_id_known=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    if publish and not sportello.is_public:
        errors.setdefault("__all__", []).append(
            _("The desk is not active: its vacancies cannot be published.")
        )
    if errors:
        raise ValidationError(errors)
    if publish:
        vacancy.published_at = timezone.now()
    vacancy.save()
    logger.info(
        "Vacancy %s created (%s) at desk %s by %s",
        vacancy.pk,
        vacancy.status,
        sportello.pk,
        actor_label(by),
    )
    return vacancy


class BatchErrors(ValidationError):
    """What is wrong with a batch: item index -> field -> messages."""

    def __init__(self, items: dict[int, dict[str, list[str]]]):
        super().__init__(_("Nothing was saved: some items have errors."), code="batch")
        self.items = items


@transaction.atomic
def vacancy_upsert(
    *,
    sportello: Sportello,
    by: Actor,
    details: VacancyDetails,
    status: str = "",
    close_reason: str = "",
) -> tuple[Vacancy, bool]:
    """Create or update the desk's vacancy whose external id is
    ``details.external_id`` (the desk's own software's id), then move it to
    ``status`` by the same rules as the front office: publish a draft, close
    with a reason. ``status`` empty keeps the current state (a draft when new).

    Idempotent: the same call twice leaves one vacancy as the first left it. A
    closed vacancy is final: asking for it closed again changes nothing, any
    other change is refused. Returns (vacancy, created); all or nothing.
    """
    _vacancy_rights(by, sportello)
    external_id = _upsert_external_id(details)
    found = (
        Vacancy.objects.select_for_update()
        .filter(sportello=sportello, external_id=external_id)
        .order_by()
        .first()
    )
    return _vacancy_upsert_found(
        sportello=sportello,
        by=by,
        details=details,
        status=status,
        close_reason=close_reason,
        vacancy=found,
    )


def _upsert_external_id(details: VacancyDetails) -> str:
    external_id = (details.external_id or "").strip()
    if not external_id:
        raise ValidationError(
            {"external_id": _("Give the vacancy's id in the desk's software.")}
        )
    return external_id


def _vacancy_upsert_found(
    *,
    sportello: Sportello,
    by: Actor,
    details: VacancyDetails,
    status: str,
    close_reason: str,
    vacancy: Vacancy | None,
) -> tuple[Vacancy, bool]:
    """``vacancy_upsert`` once the vacancy with this external id was looked up
    (and locked) by the caller: ``vacancy`` None means there is none."""
    created = vacancy is None
    if created:
        if status == Vacancy.Status.CLOSED:
            raise ValidationError(
                {"status": _("A new vacancy cannot be closed: send it first.")}
            )
        # Created (and published) in one write, by vacancy_create's and
        # vacancy_publish's rules.
        vacancy = _vacancy_create_known(
            sportello=sportello,
            by=by,
            details=details,
            publish=status == Vacancy.Status.PUBLISHED,
        )
        return vacancy, True
    vacancy.sportello = sportello  # known: no query to read it again
    if vacancy.status == Vacancy.Status.CLOSED and status == Vacancy.Status.CLOSED:
        return vacancy, False
    if status == Vacancy.Status.DRAFT and vacancy.status != Vacancy.Status.DRAFT:
        raise ValidationError(
            {
                "status": _(
                    "A published vacancy cannot go back to draft: close it instead."
                )
            }
        )
    vacancy = _vacancy_update_locked(
        vacancy, by=by, details=details, external_id_known=True
    )
    if status == Vacancy.Status.PUBLISHED and vacancy.status == Vacancy.Status.DRAFT:
        vacancy = vacancy_publish(vacancy=vacancy, by=by)
    elif status == Vacancy.Status.CLOSED:
        try:
            vacancy = vacancy_close(vacancy=vacancy, by=by, reason=close_reason)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "reason" in error.error_dict:
                raise ValidationError(
                    {"close_reason": error.error_dict["reason"]}
                ) from None
            raise
    return vacancy, created


def vacancy_upsert_many(
    *, sportello: Sportello, by: Actor, items: list[tuple[VacancyDetails, str, str]]
) -> list[tuple[Vacancy, bool]]:
    """``vacancy_upsert`` for each (details, status, close_reason), all or
    nothing: one transaction; if any item fails, nothing is saved and the
    ``BatchErrors`` maps each failing item's index to its errors per field."""
    _vacancy_rights(by, sportello)
    results: list[tuple[Vacancy, bool]] = []
    errors: dict[int, dict] = {}
    with transaction.atomic():
        # The batch's vacancies already there, read and locked in one query.
        wanted = {(d.external_id or "").strip() for d, _s, _r in items}
        found = {
            vacancy.external_id: vacancy
            for vacancy in Vacancy.objects.select_for_update()
            .filter(sportello=sportello, external_id__in=wanted - {""})
            .order_by()
        }
        for index, (details, status, close_reason) in enumerate(items):
            # No savepoint per item: any error rolls the whole batch back.
            try:
                external_id = _upsert_external_id(details)
                if external_id in found and found[external_id] is None:
                    # Twice in one batch: the second sees the first's row.
                    raise ValidationError(
                        {"external_id": _("This external id is in the batch twice.")}
                    )
                result = _vacancy_upsert_found(
                    sportello=sportello,
                    by=by,
                    details=details,
                    status=status,
                    close_reason=close_reason,
                    vacancy=found.get(external_id),
                )
                found[external_id] = None
                results.append(result)
            except ValidationError as error:
                errors[index] = (
                    error.message_dict
                    if hasattr(error, "error_dict")
                    else {"__all__": error.messages}
                )
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise BatchErrors(errors)
    logger.info(
        "%s vacancies written at desk %s by %s",
        len(results),
        sportello.pk,
        actor_label(by),
    )
    return results


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
