import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import Membership, Organisation
from sportelli import services
from sportelli.demo import pdf_bytes
from sportelli.models import Municipality, Sportello, Vacancy
from sportelli.services import DeskDetails, HoursRow, VacancyDetails

T = datetime.time


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.SPORTELLI_DOCUMENT_ROOT = str(tmp_path / "sportelli")
    return settings.SPORTELLI_DOCUMENT_ROOT


def pdf_upload(name="carta.pdf", *lines):
    return SimpleUploadedFile(
        name, pdf_bytes(*(lines or ("Carta dei servizi",))), "application/pdf"
    )


def municipality(code="004029", name="Bra", sigla="CN", province="Cuneo", region="01"):
    item, _created = Municipality.objects.get_or_create(
        istat_code=code,
        defaults={
            "name": name,
            "province_code": code[:3],
            "province_sigla": sigla,
            "province_name": province,
            "region": region,
        },
    )
    return item


def organisation(name="Comune di Bra", status=Organisation.Status.APPROVED, **extra):
    return Organisation.objects.create(
        name=name, kind=Organisation.Kind.COMUNE, status=status, **extra
    )


def details(**overrides) -> DeskDetails:
    values = {
        "name": "Sportello Lavoro di Bra",
        "municipality": municipality(),
        "address": "Via Cavour 12",
        "postcode": "12042",
        "latitude": Decimal("44.697700"),
        "longitude": Decimal("7.855300"),
        "phone": "0172 000 101",
        "email": "sportello@comune.bra.example",
        "pec": "sportello@pec.comune.bra.example",
        "services": ("accoglienza", "orientamento"),
        "hours": (
            HoursRow(0, T(9), T(12, 30)),
            HoursRow(0, T(14, 30), T(17)),
            HoursRow(2, T(9), T(12, 30)),
        ),
    }
    values.update(overrides)
    return DeskDetails(**values)


def desk(*, org, by, status=Sportello.Status.ACTIVE, **overrides) -> Sportello:
    sportello = services.sportello_create(
        organisation=org, by=by, details=details(**overrides)
    )
    if status != Sportello.Status.DRAFT:
        sportello = services.sportello_set_status(
            sportello=sportello, by=by, status=status
        )
    return sportello


@dataclass
class Network:
    org_a: Organisation
    org_b: Organisation
    desk_a: Sportello
    draft_a: Sportello
    desk_b: Sportello
    referente: object
    manager_a: object
    operator_a: object
    operator_b: object
    staff: object


@pytest.fixture
def network(db, make_user) -> Network:
    org_a = organisation("Comune di Bra", region="01")
    org_b = organisation("Comune di Faenza", region="08")
    referente = make_user("referente@bra.example", first_name="Giulia")
    manager_a = make_user("manager@bra.example", first_name="Marco")
    operator_a = make_user("operatore@bra.example", first_name="Luca")
    referente_b = make_user("referente@faenza.example")
    operator_b = make_user("operatore@faenza.example")
    staff = make_user("staff@esploralavoro.example")
    staff.groups.add(Group.objects.get(name="Gestione sportelli"))
    Membership.objects.create(
        organisation=org_a, user=referente, role=Membership.Role.REFERENTE
    )
    Membership.objects.create(
        organisation=org_a, user=manager_a, role=Membership.Role.OPERATOR
    )
    Membership.objects.create(
        organisation=org_a, user=operator_a, role=Membership.Role.OPERATOR
    )
    Membership.objects.create(
        organisation=org_b, user=referente_b, role=Membership.Role.REFERENTE
    )
    Membership.objects.create(
        organisation=org_b, user=operator_b, role=Membership.Role.OPERATOR
    )
    desk_a = desk(org=org_a, by=referente)
    draft_a = desk(
        org=org_a,
        by=referente,
        status=Sportello.Status.DRAFT,
        name="Sportello Lavoro di Bra - sede di Pollenzo",
    )
    faenza = municipality("039010", "Faenza", "RA", "Ravenna", "08")
    desk_b = desk(
        org=org_b,
        by=referente_b,
        name="Sportello Lavoro di Faenza",
        municipality=faenza,
        postcode="48018",
        services=("incontro",),
    )
    for sportello in (desk_a, draft_a):
        services.desk_role_assign(
            sportello=sportello, user=manager_a, role="manager", by=referente
        )
        services.desk_role_assign(
            sportello=sportello, user=operator_a, role="operator", by=referente
        )
    services.desk_role_assign(
        sportello=desk_b, user=operator_b, role="operator", by=referente_b
    )
    for sportello in (desk_a, draft_a):
        services.charter_upload(
            sportello=sportello,
            by=referente,
            version="1.0",
            valid_from=datetime.date(2013, 4, 1),
            file=pdf_upload(),
        )
        services.agreement_add(
            sportello=sportello,
            by=referente,
            partner_name="Centro per l'Impiego di Alba-Bra",
            kind="cpi",
            signed_on=datetime.date(2013, 3, 14),
            file=pdf_upload("accordo.pdf"),
        )
    return Network(
        org_a=org_a,
        org_b=org_b,
        desk_a=desk_a,
        draft_a=draft_a,
        desk_b=desk_b,
        referente=referente,
        manager_a=manager_a,
        operator_a=operator_a,
        operator_b=operator_b,
        staff=staff,
    )


# --- Vacancies ------------------------------------------------------------------


def vacancy_details(**overrides) -> VacancyDetails:
    values = {
        "title": "Cuoco per ristorante",
        "isco_code": "5120",
        "ateco_code": "56.11",
        "contract_type": "determinato",
        "working_time": "full",
        "municipality": municipality(),
        "deadline": datetime.date.today() + datetime.timedelta(days=30),
        "description": "Preparazione dei piatti del giorno.\n\nTurni serali.",
        "how_to_apply": "Scrivere allo sportello con il proprio CV.",
        "positions": 2,
        "employer_name": "Trattoria del Borgo",
        "languages": (("en", "A2"),),
        "driving_licence": "B",
        "experience_years": 2,
        "education_level": "qualifica",
    }
    values.update(overrides)
    return VacancyDetails(**values)


def vacancy(*, sportello, by, publish=True, close_reason="", **overrides) -> Vacancy:
    item = services.vacancy_create(
        sportello=sportello, by=by, details=vacancy_details(**overrides)
    )
    if publish:
        item = services.vacancy_publish(vacancy=item, by=by)
    if close_reason:
        item = services.vacancy_close(vacancy=item, by=by, reason=close_reason)
    return item


@dataclass
class Board:
    public_a: Vacancy
    network_a: Vacancy
    draft_a: Vacancy
    closed_a: Vacancy
    public_b: Vacancy
    draft_desk: Vacancy


@pytest.fixture
def board(network) -> Board:
    """Vacancies in every state: desk A (public, network-only, draft, closed),
    desk B (public), and a draft at A's draft desk."""
    by = network.operator_a
    faenza = Municipality.objects.get(istat_code="039010")
    return Board(
        public_a=vacancy(sportello=network.desk_a, by=by),
        network_a=vacancy(
            sportello=network.desk_a,
            by=by,
            title="Saldatore a filo",
            isco_code="7212",
            ateco_code="25.11",
            visibility="network",
        ),
        draft_a=vacancy(
            sportello=network.desk_a, by=by, publish=False, title="Magazziniere"
        ),
        closed_a=vacancy(
            sportello=network.desk_a,
            by=by,
            title="Cameriere di sala",
            isco_code="5131",
            close_reason="filled",
        ),
        public_b=vacancy(
            sportello=network.desk_b,
            by=network.operator_b,
            title="Operatore socio-sanitario",
            isco_code="5321",
            ateco_code="87.10",
            contract_type="indeterminato",
            working_time="part",
            municipality=faenza,
            employer_visible=False,
            employer_name="",
        ),
        draft_desk=vacancy(
            sportello=network.draft_a, by=by, publish=False, title="Barista"
        ),
    )
