"""Upserts of candidatures for the API, composed of the candidature services
(``services.candidatures``): create with the person's consent, or update, by
the desk's external id; all or nothing, one item or a batch.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import ApiKey, Candidature
from ..services import candidatures as candidature_services
from ..services.vacancies import BatchErrors

logger = logging.getLogger(__name__)


@transaction.atomic
def candidature_upsert(*, key: ApiKey, request) -> tuple[Candidature, bool]:
    """Create (consent required) or update the key desk's candidature with
    ``request.external_id``; ``request.status`` shares it again ("active") or
    stops sharing it for now ("suspended"). Returns (candidature, created)."""
    sportello = key.sportello
    candidature = (
        Candidature.objects.select_for_update()
        .select_related("sportello")
        .filter(sportello=sportello, external_id=request.external_id)
        .first()
    )
    created = candidature is None
    if created:
        candidature = candidature_services.candidature_create(
            sportello=sportello,
            by=key,
            details=request.details,
            consent_scope=request.consent_scope,
            consent_given_on=request.consent_given_on,
        )
    else:
        if request.consent_scope or request.consent_given_on:
            raise ValidationError(
                {
                    "consent_scope": _(
                        "The consent is recorded when the profile is created; "
                        "leave it out of an update."
                    )
                }
            )
        candidature = candidature_services.candidature_update(
            candidature=candidature, by=key, details=request.details
        )
    if request.status and request.status != candidature.status:
        candidature = candidature_services.candidature_set_status(
            candidature=candidature, by=key, status=request.status
        )
    return candidature, created


def candidature_upsert_many(*, key: ApiKey, requests: list) -> list:
    """``candidature_upsert`` for each request in one transaction: any error
    and nothing is saved (``BatchErrors``: item index -> field -> messages)."""
    results = []
    errors: dict[int, dict] = {}
    with transaction.atomic():
        for index, request in enumerate(requests):
            try:
                results.append(candidature_upsert(key=key, request=request))
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
        "%s candidatures written at desk %s by API key %s",
        len(results),
        key.sportello_id,
        key.prefix,
    )
    return results
