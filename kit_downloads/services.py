"""Writes of the kit area: storing release files, recording downloads, and the
emails that keep administrations up to date."""

import hashlib
import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from portal.accounts.models import Membership, Organisation, User
from portal.accounts.services import send_notification

from . import conf, openpgp, selectors
from .models import (
    DownloadEvent,
    KitReleasePage,
    ReleaseAnnouncement,
    ReleaseChecksumsSignature,
    ReleaseFile,
    SecurityReminder,
)
from .storage import private_storage

logger = logging.getLogger(__name__)

_SAFE_NAME_CHARS = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+"
)


class HashingFile(File):
    """Wraps an upload so that reading it in chunks also computes its SHA-256 and
    size: the storage copies the file and the checksum comes for free, one chunk
    in memory at a time."""

    def __init__(self, file):
        super().__init__(file, name=getattr(file, "name", None))
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def chunks(self, chunk_size=None):
        chunk_size = chunk_size or conf.stream_chunk_size()
        self.file.seek(0)
        while chunk := self.file.read(chunk_size):
            self.sha256.update(chunk)
            self.bytes_read += len(chunk)
            yield chunk

    def __iter__(self):
        return self.chunks()


def clean_filename(name: str) -> str:
    """A file name safe in a URL path and a header: the base name, no separators."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base or base in {".", ".."} or not set(base) <= _SAFE_NAME_CHARS:
        raise ValidationError(
            {
                "file": _(
                    "Use a file name made of letters, digits, dots, dashes, plus "
                    "signs and underscores, such as silla-kit-2.1.0.zip."
                )
            }
        )
    return base


_SIGNATURE_MESSAGES = {
    "invalid": _(
        "This is not an ASCII-armoured OpenPGP detached signature (it starts "
        "with -----BEGIN PGP SIGNATURE-----)."
    ),
    "bad": _(
        "The signature does not verify this file: it was made for other "
        "content, or with a revoked or expired key."
    ),
    "unknown_key": _(
        "The signature was not made with one of the portal's active signing "
        "keys: add the public key under SILLA kit → Signing keys first."
    ),
    "unavailable": _(
        "Signatures cannot be verified on the server now (GnuPG is missing): "
        "contact the technical staff."
    ),
}


def signature_check(*, data_path: Path, signature: str, field: str) -> str:
    """Verify ``signature`` of the file at ``data_path`` against the active
    signing keys; the signing key's fingerprint, or ``ValidationError`` on
    ``field`` with a message that says what to do."""
    keys = [key.armored_key for key in selectors.signing_key_list_active()]
    try:
        return openpgp.signature_verify(
            data_path=data_path, signature=signature, keys=keys
        )
    except openpgp.OpenPGPError as error:
        logger.warning("Kit signature refused (%s)", error)
        raise ValidationError(
            {field: _SIGNATURE_MESSAGES.get(error.code, _SIGNATURE_MESSAGES["bad"])}
        ) from error


def _source_release(release: KitReleasePage) -> KitReleasePage:
    """The release page in the default language, to which files are attached."""
    source = release.get_translation_or_none(Locale.get_default())
    return source.specific if source is not None else release


@transaction.atomic
def release_file_add(
    *,
    release: KitReleasePage,
    upload,
    platform: str,
    component: str = "",
    declared_sha256: str = "",
    signature: str = "",
    uploaded_by: User | None = None,
    filename: str = "",
    kind: str = "",
) -> ReleaseFile:
    """Store ``upload`` privately as a file of ``release``.

    The SHA-256 is computed while the file is copied to storage, chunk by chunk.
    When a checksum is declared and the computed one differs, or a detached
    signature is given that does not verify the stored bytes against the
    portal's active signing keys, the stored copy is deleted and
    ``ValidationError`` is raised: a corrupted or wrongly signed upload never
    lands. ``kind`` is the file's stable key across releases (latest/<kind>/).
    Files always belong to the release page in its original language.
    """
    release = _source_release(release)
    name = clean_filename(filename or upload.name)
    if ReleaseFile.objects.filter(release=release, filename=name).exists():
        raise ValidationError(
            {"file": _("This release already has a file with this name.")}
        )
    kind = kind.strip().lower()
    if kind and ReleaseFile.objects.filter(release=release, kind=kind).exists():
        raise ValidationError(
            {"kind": _("This release already has a file with this key.")}
        )
    declared = declared_sha256.strip().lower()
    hashing = HashingFile(upload)
    record = ReleaseFile(
        release=release,
        component=component.strip(),
        platform=platform.strip(),
        filename=name,
        kind=kind,
        size=0,
        sha256="0" * 64,
        signature=signature.strip(),
        uploaded_by=uploaded_by,
    )
    record.file.save(name, hashing, save=False)
    record.sha256 = hashing.sha256.hexdigest()
    record.size = hashing.bytes_read
    try:
        if declared and declared != record.sha256:
            raise ValidationError(
                {
                    "declared_sha256": _(
                        "The file's SHA-256 is %(actual)s, not the declared "
                        "%(declared)s: the upload is corrupted or is not the "
                        "expected file."
                    )
                    % {"actual": record.sha256, "declared": declared}
                }
            )
        if record.signature:
            record.signed_by = signature_check(
                data_path=Path(private_storage.path(record.file.name)),
                signature=record.signature,
                field="signature",
            )
        record.full_clean()
        record.save()
    except (ValidationError, IntegrityError) as error:
        logger.warning(
            "Kit file %s for release %s refused and removed from storage: %s",
            record.file.name,
            release.pk,
            error,
        )
        private_storage.delete(record.file.name)
        raise
    return record


def release_checksums_sign(
    *, release: KitReleasePage, signature: str, uploaded_by: User | None = None
) -> ReleaseChecksumsSignature:
    """Attach the release manager's detached signature of the release's current
    SHA256SUMS (as generated by the portal) after verifying it against the
    active signing keys; replaces an earlier one. ``ValidationError`` on the
    ``signature`` field when it does not verify."""
    release = _source_release(release)
    sums = selectors.release_sha256sums(release=release).encode("utf-8")
    if not sums:
        raise ValidationError(
            {"signature": _("This release has no files: there is nothing to sign.")}
        )
    with tempfile.TemporaryDirectory(prefix="kit-sums-") as tmp:
        path = Path(tmp) / "SHA256SUMS"
        path.write_bytes(sums)
        fingerprint = signature_check(
            data_path=path, signature=signature, field="signature"
        )
    record, _created = ReleaseChecksumsSignature.objects.update_or_create(
        release=release,
        defaults={
            "signature": signature.strip() + "\n",
            "sums_sha256": hashlib.sha256(sums).hexdigest(),
            "signed_by": fingerprint,
            "uploaded_by": uploaded_by,
        },
    )
    return record


def file_verify(*, file: ReleaseFile) -> bool:
    """Re-read a stored file and compare its SHA-256 with the recorded one."""
    digest = hashlib.sha256()
    with private_storage.open(file.file.name, "rb") as handle:
        while chunk := handle.read(conf.stream_chunk_size()):
            digest.update(chunk)
    if digest.hexdigest() != file.sha256:
        logger.error(
            "Kit file %s (id %s) no longer matches its SHA-256", file.file.name, file.pk
        )
        return False
    return True


def download_record(
    *, file: ReleaseFile, user: User, organisation: Organisation | None
) -> tuple[DownloadEvent, bool]:
    """Record that ``user`` downloaded ``file`` for ``organisation``, once a day.

    Returns the day's event and whether it is new. A second download of the same
    file by the same user on the same local day returns the first event; the
    unique constraint (user, file, day) makes this hold for parallel requests
    too (``get_or_create`` falls back to reading the row the other one wrote).
    """
    fields = {
        "release": file.release,
        "version": file.release.version,
        "organisation": organisation,
    }
    if not user.is_authenticated:
        return DownloadEvent.objects.create(file=file, user=None, **fields), True
    return DownloadEvent.objects.get_or_create(
        user=user, file=file, day=timezone.localdate(), defaults=fields
    )


def _referenti_of_approved() -> dict[Organisation, list[str]]:
    memberships = Membership.objects.filter(
        role=Membership.Role.REFERENTE,
        organisation__status=Organisation.Status.APPROVED,
    ).select_related("organisation", "user")
    recipients: dict[Organisation, list[str]] = {}
    for membership in memberships:
        recipients.setdefault(membership.organisation, []).append(membership.user.email)
    return recipients


def release_announce(*, release: KitReleasePage) -> int:
    """Email the referenti of approved administrations about a published release,
    once per release (a second call does nothing). Returns the emails queued."""
    release = _source_release(release)
    if not release.live:
        return 0
    try:
        with transaction.atomic():
            announcement = ReleaseAnnouncement.objects.create(release=release)
    except IntegrityError:
        return 0  # already announced
    product = release.get_parent().specific
    subject = (
        _("Security release %(product)s %(version)s")
        if release.is_security
        else _("New release %(product)s %(version)s")
    )
    sent = 0
    for organisation, emails in _referenti_of_approved().items():
        send_notification(
            to=emails,
            subject=subject,
            subject_params={"product": product.title, "version": release.version},
            template="kit_downloads/email/release_published.txt",
            context={
                "organisation": organisation,
                "release": release,
                "product": product,
            },
        )
        sent += 1
    ReleaseAnnouncement.objects.filter(pk=announcement.pk).update(recipients=sent)
    return sent


def security_reminders_send(*, now=None) -> int:
    """Remind administrations still on an older version of each security release
    published more than ``KIT_SECURITY_REMINDER_DAYS`` ago; once per
    administration and release. Returns the number of reminders sent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.security_reminder_days())
    releases = KitReleasePage.objects.live().filter(
        is_security=True,
        maturity=KitReleasePage.Maturity.FINAL,
        first_published_at__lte=cutoff,
        locale__language_code=Locale.get_default().language_code,
    )
    sent = 0
    for release in releases:
        product = release.get_parent().specific
        for organisation, version in selectors.organisation_list_behind(
            release=release
        ):
            try:
                with transaction.atomic():
                    SecurityReminder.objects.create(
                        organisation=organisation, release=release
                    )
            except IntegrityError:
                continue  # already reminded
            emails = list(
                organisation.memberships.filter(
                    role=Membership.Role.REFERENTE
                ).values_list("user__email", flat=True)
            )
            send_notification(
                to=emails,
                subject=_("Reminder: install the security release %(version)s"),
                subject_params={"version": release.version},
                template="kit_downloads/email/security_reminder.txt",
                context={
                    "organisation": organisation,
                    "release": release,
                    "product": product,
                    "current_version": version,
                },
            )
            sent += 1
    return sent
