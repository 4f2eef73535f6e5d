"""Fixtures of the exchange tests (imported by the ``test_exchange_*`` modules):
the lead's two-desk ``network`` plus a third desk C, a public vacancy of desk A
and candidatures of desk B with and without consent to proposals."""

import datetime
from dataclasses import dataclass

import pytest

from portal.accounts.models import Membership
from sportelli import services
from sportelli.models import (
    Candidature,
    CandidatureOccupation,
    Municipality,
    SharingConsent,
    Sportello,
    Vacancy,
)

from .conftest import desk, municipality, organisation, vacancy


def make_candidature(
    *,
    sportello: Sportello,
    code: str,
    isco: tuple[str, ...] = ("5120",),
    place: Municipality | None = None,
    scope: str | None = SharingConsent.Scope.PROPOSALS,
    **fields,
) -> Candidature:
    """A pseudonymous profile made with the ORM, consent recorded in ``scope``
    (None: no consent at all)."""
    today = datetime.date.today()
    values = {
        "municipality": place or sportello.municipality,
        "education_level": "diploma",
        "languages": [{"language": "en", "level": "B1"}],
        "driving_licence": "B",
        "experience_years": 3,
        "skills": ["HACCP"],
        "summary": "Cuoco con esperienza nella ristorazione collettiva.",
        "expires_on": today + datetime.timedelta(days=365),
    }
    values.update(fields)
    candidature = Candidature.objects.create(
        sportello=sportello, reference_code=code, **values
    )
    for unit in isco:
        CandidatureOccupation.objects.create(candidature=candidature, isco_code=unit)
    if scope:
        SharingConsent.objects.create(
            sportello=sportello,
            candidature=candidature,
            reference_code=code,
            scope=scope,
            given_on=today,
        )
    return candidature


@dataclass
class Exchange:
    network: object
    desk_c: Sportello
    operator_c: object
    referente_b: object
    vacancy_a: Vacancy
    candidature_b: Candidature
    network_only_b: Candidature  # consent to share, not to be proposed


@pytest.fixture
def ex(network, make_user) -> Exchange:
    org_c = organisation("Comune di Schio", region="05")
    referente_c = make_user("referente@schio.example")
    operator_c = make_user("operatore@schio.example")
    Membership.objects.create(
        organisation=org_c, user=referente_c, role=Membership.Role.REFERENTE
    )
    Membership.objects.create(
        organisation=org_c, user=operator_c, role=Membership.Role.OPERATOR
    )
    schio = municipality("024100", "Schio", "VI", "Vicenza", "05")
    desk_c = desk(
        org=org_c,
        by=referente_c,
        name="Sportello Lavoro di Schio",
        municipality=schio,
        postcode="36015",
    )
    services.desk_role_assign(
        sportello=desk_c, user=operator_c, role="operator", by=referente_c
    )
    referente_b = Membership.objects.get(
        organisation=network.org_b, role=Membership.Role.REFERENTE
    ).user
    vacancy_a = vacancy(sportello=network.desk_a, by=network.operator_a)
    candidature_b = make_candidature(sportello=network.desk_b, code="FAE-0001")
    network_only_b = make_candidature(
        sportello=network.desk_b,
        code="FAE-0002",
        scope=SharingConsent.Scope.NETWORK,
    )
    return Exchange(
        network=network,
        desk_c=desk_c,
        operator_c=operator_c,
        referente_b=referente_b,
        vacancy_a=vacancy_a,
        candidature_b=candidature_b,
        network_only_b=network_only_b,
    )
