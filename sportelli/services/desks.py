"""Writes on job desks. Every change goes through these functions.

Each one checks the right of ``by`` (``permissions``), validates everything
before it writes and raises ``ValidationError`` with a message per field (in the
language of the request that shows it); it runs in one transaction, so a refusal
leaves nothing half-saved.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Membership, Organisation, User
from portal.forbidden import Forbidden

from .. import permissions
from ..models import (
    Agreement,
    DeskRole,
    DeskService,
    Municipality,
    OpeningHours,
    Service,
    ServiceCharter,
    Sportello,
    Weekday,
)

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Slugs that would hide the directory's own pages under /sportelli/<slug>/.
RESERVED_SLUGS = {
    "gestione",
    "manage",
    "dati",
    "data",
    "open-data",
    "documenti",
    "documents",
    "offerte",
    "vacancies",
}


@dataclass(frozen=True)
class HoursRow:
    weekday: int
    opens: datetime.time
    closes: datetime.time


@dataclass(frozen=True)
class DeskDetails:
    """What the desk's managers write about it."""

    name: str
    municipality: Municipality
    address: str
    postcode: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str = ""
    email: str = ""
    pec: str = ""
    description: str = ""
    services: tuple[str, ...] = ()
    hours: tuple[HoursRow, ...] = field(default_factory=tuple)


def _slug_for(name: str, municipality: Municipality, exclude_pk=None) -> str:
    base = slugify(name)[:100] or slugify(municipality.name) or "sportello"
    if slugify(municipality.name) not in base:
        base = f"{base}-{slugify(municipality.name)}"[:100]
    taken = Sportello.objects.exclude(pk=exclude_pk)
    candidate, number = base, 1
    while candidate in RESERVED_SLUGS or taken.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def hours_errors(hours: Iterable[HoursRow]) -> list:
    """What is wrong with a desk's opening periods (empty when nothing is)."""
    errors = []
    rows = sorted(hours, key=lambda row: (row.weekday, row.opens))
    for row in rows:
        if row.opens >= row.closes:
            errors.append(
                _("%(day)s: the closing time must be later than the opening time.")
                % {"day": _weekday_label(row.weekday)}
            )
    for before, after in zip(rows, rows[1:], strict=False):
        if before.weekday == after.weekday and after.opens < before.closes:
            errors.append(
                _("%(day)s: two opening periods overlap.")
                % {"day": _weekday_label(after.weekday)}
            )
    return errors


def _weekday_label(value: int) -> str:
    try:
        return Weekday(value).label
    except ValueError:
        return str(value)


def _apply(sportello: Sportello, details: DeskDetails) -> None:
    """Validate ``details`` on ``sportello`` (unsaved changes) or raise."""
    for name in (
        "name",
        "municipality",
        "address",
        "postcode",
        "latitude",
        "longitude",
        "phone",
        "email",
        "pec",
        "description",
    ):
        value = getattr(details, name)
        if isinstance(value, str):
            value = value.strip()
        setattr(sportello, name, value)
    errors: dict[str, list] = {}
    try:
        sportello.full_clean(exclude=["slug", "organisation"])
    except ValidationError as error:
        errors.update(error.message_dict)
    unknown = [code for code in details.services if code not in Service.values]
    if unknown:
        errors.setdefault("services", []).append(
            _("Choose services from the catalogue.")
        )
    hours_problems = hours_errors(details.hours)
    if hours_problems:
        errors.setdefault("hours", []).extend(hours_problems)
    if errors:
        raise ValidationError(errors)


def _replace_children(sportello: Sportello, details: DeskDetails) -> None:
    sportello.services.all().delete()
    DeskService.objects.bulk_create(
        DeskService(sportello=sportello, service=code)
        for code in dict.fromkeys(details.services)
    )
    sportello.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(
            sportello=sportello, weekday=row.weekday, opens=row.opens, closes=row.closes
        )
        for row in details.hours
    )


@transaction.atomic
def sportello_create(
    *, organisation: Organisation, by: User, details: DeskDetails
) -> Sportello:
    """The referente of an approved administration (or staff) activates a desk.

    The desk starts as a draft: only its own people see it until it is made
    active (``sportello_set_status``).
    """
    if organisation.status != Organisation.Status.APPROVED:
        raise ValidationError(
            _("Only an approved administration can activate job desks.")
        )
    if not permissions.can_create_desk(by, organisation):
        raise Forbidden(_("Only the referente of the administration activates desks."))
    sportello = Sportello(organisation=organisation, created_by=by)
    _apply(sportello, details)
    sportello.slug = _slug_for(sportello.name, sportello.municipality)
    sportello.save()
    _replace_children(sportello, details)
    logger.info(
        "Desk %s created for organisation %s by user %s",
        sportello.pk,
        organisation.pk,
        by.pk,
    )
    return sportello


@transaction.atomic
def sportello_update(
    *, sportello: Sportello, by: User, details: DeskDetails
) -> Sportello:
    """The referente, a desk manager or staff change what the desk says of itself."""
    if not permissions.desk_access(by, sportello).edit:
        raise Forbidden(_("Only the desk's managers edit it."))
    sportello = Sportello.objects.select_for_update().get(pk=sportello.pk)
    _apply(sportello, details)
    sportello.save()
    _replace_children(sportello, details)
    return sportello


@transaction.atomic
def sportello_set_status(*, sportello: Sportello, by: User, status: str) -> Sportello:
    """Make a desk active (public), suspended or a draft again.

    A desk becomes active only while its administration is approved.
    """
    if not permissions.desk_access(by, sportello).edit:
        raise Forbidden(_("Only the desk's managers edit it."))
    if status not in Sportello.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    sportello = Sportello.objects.select_for_update().get(pk=sportello.pk)
    if (
        status == Sportello.Status.ACTIVE
        and sportello.organisation.status != Organisation.Status.APPROVED
    ):
        raise ValidationError(
            {
                "status": _(
                    "The administration is not approved: the desk cannot be active."
                )
            }
        )
    sportello.status = status
    sportello.save(update_fields=["status", "updated_at"])
    return sportello


@transaction.atomic
def desk_role_assign(
    *, sportello: Sportello, user: User, role: str, by: User
) -> DeskRole:
    """The referente (or staff) makes a member of the administration an operator or
    a manager of the desk (or changes their role)."""
    if not permissions.desk_access(by, sportello).manage_roles:
        raise Forbidden(_("Only the referente of the administration assigns roles."))
    errors = {}
    if role not in DeskRole.Role.values:
        errors["role"] = [_("Choose operator or desk manager.")]
    if not Membership.objects.filter(
        organisation_id=sportello.organisation_id, user=user
    ).exists():
        errors["user"] = [
            _("Only members of the desk's administration can work at the desk.")
        ]
    if errors:
        raise ValidationError(errors)
    desk_role, _created = DeskRole.objects.update_or_create(
        sportello=sportello, user=user, defaults={"role": role, "assigned_by": by}
    )
    return desk_role


@transaction.atomic
def desk_role_remove(*, desk_role: DeskRole, by: User) -> None:
    if not permissions.desk_access(by, desk_role.sportello).manage_roles:
        raise Forbidden(_("Only the referente of the administration assigns roles."))
    desk_role.delete()


def pdf_check(*, upload: UploadedFile | None, field_name: str) -> str:
    """The safe file name of an uploaded PDF, or a ValidationError for the field.

    The content decides, not the name: the file must be a PDF by its bytes.
    """
    if upload is None:
        raise ValidationError({field_name: _("Choose a PDF file.")})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {
                field_name: _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_DOCUMENT_BYTES // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    name = get_valid_filename((upload.name or "").rsplit("/", 1)[-1])[-150:]
    if kind is None or kind.mime != "application/pdf" or not head.startswith(b"%PDF-"):
        raise ValidationError(
            {field_name: _("The file is not a PDF document.")}, code="not_pdf"
        )
    if not name.lower().endswith(".pdf"):
        name = f"{name or 'documento'}.pdf"[-150:]
    return name


@transaction.atomic
def charter_upload(
    *,
    sportello: Sportello,
    by: User,
    version: str,
    file: UploadedFile | None,
    valid_from: datetime.date | None,
    notes: str = "",
) -> ServiceCharter:
    """A desk manager (or the referente, or staff) adds a version of the charter."""
    if not permissions.desk_access(by, sportello).edit:
        raise Forbidden(_("Only the desk's managers upload its documents."))
    charter = ServiceCharter(
        sportello=sportello,
        version=(version or "").strip(),
        valid_from=valid_from,
        notes=(notes or "").strip(),
        uploaded_by=by,
    )
    errors: dict[str, list] = {}
    try:
        charter.full_clean(exclude=["file", "filename", "size", "sportello"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        charter.version
        and ServiceCharter.objects.filter(
            sportello=sportello, version=charter.version
        ).exists()
    ):
        errors.setdefault("version", []).append(
            _("This version of the charter has already been uploaded.")
        )
    try:
        filename = pdf_check(upload=file, field_name="file")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    charter.filename = filename
    charter.size = file.size
    charter.file.save(filename, file, save=False)
    charter.save()
    return charter


@transaction.atomic
def agreement_add(
    *,
    sportello: Sportello,
    by: User,
    partner_name: str,
    kind: str,
    signed_on: datetime.date | None,
    valid_until: datetime.date | None = None,
    file: UploadedFile | None = None,
) -> Agreement:
    """A desk manager records a programme agreement, with its PDF if there is one."""
    if not permissions.desk_access(by, sportello).edit:
        raise Forbidden(_("Only the desk's managers upload its documents."))
    agreement = Agreement(
        sportello=sportello,
        partner_name=(partner_name or "").strip(),
        kind=kind,
        signed_on=signed_on,
        valid_until=valid_until,
        uploaded_by=by,
    )
    errors: dict[str, list] = {}
    try:
        agreement.full_clean(exclude=["file", "filename", "size", "sportello"])
    except ValidationError as error:
        errors.update(error.message_dict)
    filename = ""
    if file is not None:
        try:
            filename = pdf_check(upload=file, field_name="file")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if file is not None:
        agreement.filename = filename
        agreement.size = file.size
        agreement.file.save(filename, file, save=False)
    agreement.save()
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: Agreement, by: User) -> None:
    """Remove an agreement recorded by mistake (its file goes with it)."""
    if not permissions.desk_access(by, agreement.sportello).edit:
        raise Forbidden(_("Only the desk's managers upload its documents."))
    name = agreement.file.name if agreement.file else ""
    storage = agreement.file.storage if agreement.file else None
    agreement.delete()
    if name and storage is not None:
        transaction.on_commit(lambda: storage.delete(name))
