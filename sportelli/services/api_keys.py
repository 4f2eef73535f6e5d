"""The desks' API keys: created and revoked by whoever edits the desk (its
manager, the administration's referente, staff), checked on every API call.

A key is ``<prefix>.<secret>``. The prefix (8 hex characters) finds the row and
is shown in lists and logs; only the secret's SHA-256 is stored, so the whole
key is shown once, when it is created, and can never be shown again.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, User
from portal.forbidden import Forbidden

from .. import permissions
from ..models import ApiKey, Sportello

logger = logging.getLogger(__name__)

PREFIX_BYTES = 4  # 8 hex characters
SECRET_BYTES = 32


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: ``token`` is the whole key, never stored."""

    key: ApiKey
    token: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _rights(by: User, sportello: Sportello) -> None:
    if not permissions.desk_access(by, sportello).edit:
        raise Forbidden(_("Only the desk's managers can manage its API keys."))


@transaction.atomic
def api_key_create(*, sportello: Sportello, by: User, name: str) -> NewApiKey:
    """A new key for ``sportello``; the returned token is the only copy."""
    _rights(by, sportello)
    name = (name or "").strip()
    key = ApiKey(sportello=sportello, name=name, created_by=by)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    key.secret_hash = _hash(secret)
    key.prefix = secrets.token_hex(PREFIX_BYTES)
    while ApiKey.objects.filter(prefix=key.prefix).exists():
        key.prefix = secrets.token_hex(PREFIX_BYTES)
    key.full_clean(exclude=["sportello", "created_by", "revoked_by"])
    key.save()
    logger.info(
        "API key %s created for desk %s by user %s", key.prefix, sportello.pk, by.pk
    )
    return NewApiKey(key=key, token=f"{key.prefix}.{secret}")


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User) -> ApiKey:
    """Revoke ``key`` for good: every later call with it answers 401."""
    _rights(by, key.sportello)
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ValidationError(_("This API key is already revoked."), code="revoked")
    key.revoked_at = timezone.now()
    key.revoked_by = by
    key.save(update_fields=["revoked_at", "revoked_by"])
    logger.info(
        "API key %s of desk %s revoked by user %s", key.prefix, key.sportello_id, by.pk
    )
    return key


def api_key_authenticate(token: str) -> ApiKey | None:
    """The active key ``token`` stands for, with its desk and administration
    (one query), or None for a malformed, unknown or revoked key."""
    prefix, dot, secret = (token or "").strip().partition(".")
    if not dot or not prefix or not secret or len(prefix) > 12:
        return None
    key = (
        ApiKey.objects.select_related("sportello__organisation")
        .filter(prefix=prefix)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    if key.revoked_at is not None:
        return None
    return key


def api_key_desk_usable(key: ApiKey) -> bool:
    """Whether the key's desk may use the API now: not suspended, and its
    administration approved (a draft desk may prepare its drafts)."""
    sportello = key.sportello
    return (
        sportello.status != Sportello.Status.SUSPENDED
        and sportello.organisation.status == Organisation.Status.APPROVED
    )


def api_key_touch(key: ApiKey) -> None:
    """Record that ``key`` was just used (at most one write a minute)."""
    now = timezone.now()
    if key.last_used_at and (now - key.last_used_at).total_seconds() < 60:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


def api_key_list_for_desk(*, sportello: Sportello):
    """The desk's keys, active and revoked, newest first (one query)."""
    return list(
        ApiKey.objects.filter(sportello=sportello).select_related(
            "created_by", "revoked_by"
        )
    )
