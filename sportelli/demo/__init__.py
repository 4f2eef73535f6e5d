"""Demo of the job-desk network: eight pilot desks, two in each of four regions
of the Objective "Regional competitiveness and employment" 2007-2013 (Piemonte,
Lombardia, Veneto, Emilia-Romagna), as SILLA 2 - Competitività planned.

Seed 002 names no municipality: the desks, addresses, numbers and agreements
below are made up and every desk is marked as an example (``is_example``), which
the directory says. Idempotent: a desk that exists is left as it is.

Thirty vacancies (``VACANCIES``), made up too and marked as examples, with real
ISCO-08 unit groups and ATECO 2025 codes: most published on the public board,
some for the network only, some drafts, some closed (filled, or expired by the
daily expiry). Each has an external id ``DEMO-nn``, so loading twice adds none.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from portal.accounts import services as account_services
from portal.accounts.models import Membership, Organisation

from .. import services
from ..models import DeskRole, Municipality, Service, Sportello, Vacancy
from ..municipalities import municipalities_load_file
from ..services import DeskDetails, HoursRow, VacancyDetails

T = datetime.time
S = Service

# Mornings Monday to Friday, two afternoons.
_STANDARD_HOURS = [
    *[(day, T(9), T(12, 30)) for day in range(5)],
    (1, T(14, 30), T(17, 30)),
    (3, T(14, 30), T(17, 30)),
]
_SHORT_HOURS = [
    (0, T(9), T(13)),
    (2, T(9), T(13)),
    (2, T(15), T(18)),
    (4, T(9), T(13)),
]

DESKS = [
    {
        "organisation": ("Comune di Bra", "01", "Cuneo"),
        "istat": "004029",
        "name": "Sportello Lavoro di Bra",
        "address": "Via Cavour 12",
        "postcode": "12042",
        "coordinates": ("44.697700", "7.855300"),
        "phone": "0172 000 101",
        "domain": "comune.bra.example",
        "services": [S.RECEPTION, S.GUIDANCE, S.CV_SUPPORT, S.MATCHING, S.TRAINEESHIPS],
        "hours": _STANDARD_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Alba-Bra", "cpi", "2013-03-14", None),
            (
                "Associazione artigiani della provincia di Cuneo",
                "associazione",
                "2013-05-20",
                "2015-12-31",
            ),
        ],
        "charters": [("1.0", "2013-04-01"), ("2.0", "2022-09-01")],
        "people": ("Giulia", "Ferrero", "Marco", "Bertola"),
    },
    {
        "organisation": ("Comune di Pinerolo", "01", "Torino"),
        "istat": "001191",
        "name": "Sportello Lavoro di Pinerolo",
        "address": "Corso Torino 45",
        "postcode": "10064",
        "coordinates": ("44.885000", "7.331000"),
        "phone": "0121 000 102",
        "domain": "comune.pinerolo.example",
        "services": [S.RECEPTION, S.GUIDANCE, S.TARGETED_PLACEMENT, S.TRAINING],
        "hours": _SHORT_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Pinerolo", "cpi", "2013-04-08", None),
        ],
        "charters": [("1.0", "2013-05-01")],
        "people": ("Elena", "Rostagno", "Davide", "Bouchard"),
    },
    {
        "organisation": ("Comune di Crema", "03", "Cremona"),
        "istat": "019035",
        "name": "Sportello Lavoro di Crema",
        "address": "Via Mazzini 20",
        "postcode": "26013",
        "coordinates": ("45.362700", "9.684600"),
        "phone": "0373 000 103",
        "domain": "comune.crema.example",
        "services": [S.RECEPTION, S.CV_SUPPORT, S.MATCHING, S.EMPLOYERS],
        "hours": _STANDARD_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Crema", "cpi", "2013-02-25", None),
            ("Associazione industriali cremasca", "associazione", "2013-06-03", None),
        ],
        "charters": [("1.0", "2013-03-15")],
        "people": ("Chiara", "Bonomi", "Luca", "Stringhi"),
    },
    {
        "organisation": ("Comune di Lodi", "03", "Lodi"),
        "istat": "098031",
        "name": "Sportello Lavoro di Lodi",
        "address": "Corso Umberto I 30",
        "postcode": "26900",
        "coordinates": ("45.314300", "9.503600"),
        "phone": "0371 000 104",
        "domain": "comune.lodi.example",
        "services": [S.RECEPTION, S.GUIDANCE, S.TRAINEESHIPS, S.SELF_EMPLOYMENT],
        "hours": _SHORT_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Lodi", "cpi", "2013-03-11", None),
            ("Agenzia per il lavoro di esempio", "agenzia", "2013-09-16", "2014-09-15"),
        ],
        "charters": [("1.0", "2013-04-15")],
        "people": ("Francesca", "Arisi", "Paolo", "Cremonesi"),
    },
    {
        "organisation": ("Comune di Bassano del Grappa", "05", "Vicenza"),
        "istat": "024012",
        "name": "Sportello Lavoro di Bassano del Grappa",
        "address": "Via Roma 8",
        "postcode": "36061",
        "coordinates": ("45.766000", "11.734000"),
        "phone": "0424 000 105",
        "domain": "comune.bassano.example",
        "services": [S.RECEPTION, S.CV_SUPPORT, S.MATCHING, S.TRAINEESHIPS],
        "hours": _STANDARD_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Bassano del Grappa", "cpi", "2013-05-06", None),
            (
                "Associazione artigiani del Bassanese",
                "associazione",
                "2013-07-01",
                None,
            ),
        ],
        "charters": [("1.0", "2013-06-01"), ("1.1", "2019-02-01")],
        "people": ("Anna", "Zonta", "Stefano", "Campagnolo"),
    },
    {
        "organisation": ("Comune di Castelfranco Veneto", "05", "Treviso"),
        "istat": "026012",
        "name": "Sportello Lavoro di Castelfranco Veneto",
        "address": "Via Francesco Maria Preti 10",
        "postcode": "31033",
        "coordinates": ("45.671600", "11.926900"),
        "phone": "0423 000 106",
        "domain": "comune.castelfranco.example",
        "services": [S.RECEPTION, S.GUIDANCE, S.TARGETED_PLACEMENT, S.EMPLOYERS],
        "hours": _SHORT_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Castelfranco Veneto", "cpi", "2013-05-13", None),
        ],
        "charters": [("1.0", "2013-06-15")],
        "people": ("Sara", "Favaro", "Matteo", "Bresolin"),
    },
    {
        "organisation": ("Comune di Carpi", "08", "Modena"),
        "istat": "036005",
        "name": "Sportello Lavoro di Carpi",
        "address": "Via Santa Chiara 18",
        "postcode": "41012",
        "coordinates": ("44.783800", "10.885000"),
        "phone": "059 000 107",
        "domain": "comune.carpi.example",
        "services": [S.RECEPTION, S.CV_SUPPORT, S.MATCHING, S.TRAINING],
        "hours": _STANDARD_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Carpi", "cpi", "2013-02-18", None),
            (
                "Ente di formazione professionale di esempio",
                "formazione",
                "2013-10-07",
                "2016-10-06",
            ),
        ],
        "charters": [("1.0", "2013-03-01"), ("2.0", "2023-01-16")],
        "people": ("Laura", "Malagoli", "Andrea", "Pivetti"),
    },
    {
        "organisation": ("Comune di Faenza", "08", "Ravenna"),
        "istat": "039010",
        "name": "Sportello Lavoro di Faenza",
        "address": "Via Zanelli 4",
        "postcode": "48018",
        "coordinates": ("44.285700", "11.883100"),
        "phone": "0546 000 108",
        "domain": "comune.faenza.example",
        "services": [S.RECEPTION, S.GUIDANCE, S.MATCHING, S.SELF_EMPLOYMENT],
        "hours": _SHORT_HOURS,
        "agreements": [
            ("Centro per l'Impiego di Faenza", "cpi", "2013-04-22", None),
            (
                "Associazione commercianti del Faentino",
                "associazione",
                "2013-06-24",
                None,
            ),
        ],
        "charters": [("1.0", "2013-05-15")],
        "people": ("Martina", "Cavina", "Giorgio", "Liverani"),
    },
]


def pdf_bytes(*lines: str) -> bytes:
    """A small, valid one-page PDF showing ``lines`` (ASCII only)."""

    def escape(text: str) -> str:
        text = text.encode("ascii", "replace").decode("ascii")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 14 Tf 72 760 Td 18 TL " + " ".join(
        f"({escape(line)}) Tj T*" for line in lines
    )
    stream += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode("ascii")
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return output


def _person(first: str, last: str, domain: str):
    User = get_user_model()
    email = f"{first}.{last}@{domain}".lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
    return user


def _desk(spec: dict) -> bool:
    org_name, region, province = spec["organisation"]
    organisation, _created = account_services.organisation_get_or_create(
        name=org_name,
        kind=Organisation.Kind.COMUNE,
        region=region,
        province=province,
        municipality=org_name.removeprefix("Comune di "),
        status=Organisation.Status.APPROVED,
    )
    if Sportello.objects.filter(organisation=organisation, name=spec["name"]).exists():
        return False
    first_ref, last_ref, first_op, last_op = spec["people"]
    referente = _person(first_ref, last_ref, spec["domain"])
    operator = _person(first_op, last_op, spec["domain"])
    account_services.membership_set(
        organisation=organisation,
        user=referente,
        role=Membership.Role.REFERENTE,
        job_title="Responsabile dello Sportello Lavoro",
    )
    account_services.membership_set(
        organisation=organisation,
        user=operator,
        role=Membership.Role.OPERATOR,
        job_title="Operatore dello Sportello Lavoro",
    )
    latitude, longitude = spec["coordinates"]
    town = spec["name"].removeprefix("Sportello Lavoro di ")
    sportello = services.sportello_create(
        organisation=organisation,
        by=referente,
        details=DeskDetails(
            name=spec["name"],
            municipality=Municipality.objects.get(istat_code=spec["istat"]),
            address=spec["address"],
            postcode=spec["postcode"],
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            phone=spec["phone"],
            email=f"sportellolavoro@{spec['domain']}",
            pec=f"sportellolavoro@pec.{spec['domain']}",
            description=(
                f"Sportello di esempio. Lo Sportello Lavoro del Comune di {town} "
                "accoglie cittadini e imprese, orienta chi cerca lavoro e fa "
                "incontrare domanda e offerta insieme al Centro per l'Impiego."
            ),
            services=tuple(spec["services"]),
            hours=tuple(HoursRow(*row) for row in spec["hours"]),
        ),
    )
    Sportello.objects.filter(pk=sportello.pk).update(is_example=True)
    services.sportello_set_status(
        sportello=sportello, by=referente, status=Sportello.Status.ACTIVE
    )
    services.desk_role_assign(
        sportello=sportello, user=referente, role="manager", by=referente
    )
    services.desk_role_assign(
        sportello=sportello, user=operator, role="operator", by=referente
    )
    for version, valid_from in spec["charters"]:
        services.charter_upload(
            sportello=sportello,
            by=referente,
            version=version,
            valid_from=datetime.date.fromisoformat(valid_from),
            notes=""
            if version == "1.0"
            else "Aggiornamento dei servizi e degli orari.",
            file=SimpleUploadedFile(
                f"carta-dei-servizi-{sportello.slug}-{version}.pdf",
                pdf_bytes(
                    f"Carta dei servizi - {spec['name']}",
                    f"Versione {version}, in vigore dal {valid_from}",
                    "Documento di esempio (dimostrazione di Esplora Lavoro).",
                ),
                content_type="application/pdf",
            ),
        )
    for partner, kind, signed_on, valid_until in spec["agreements"]:
        services.agreement_add(
            sportello=sportello,
            by=referente,
            partner_name=partner,
            kind=kind,
            signed_on=datetime.date.fromisoformat(signed_on),
            valid_until=(
                datetime.date.fromisoformat(valid_until) if valid_until else None
            ),
            file=SimpleUploadedFile(
                "accordo-di-programma.pdf",
                pdf_bytes(
                    f"Accordo di programma - {spec['name']}",
                    f"con {partner}",
                    "Documento di esempio (dimostrazione di Esplora Lavoro).",
                ),
                content_type="application/pdf",
            ),
        )
    return True


# (desk index in DESKS, title, ISCO-08, ATECO 2025, contract, working time,
#  positions, state, extra fields). States: "public", "network" (published for
#  the network only), "draft", "filled", "expired".
# fmt: off
VACANCIES = [
    (0, "Cuoco capopartita", "5120", "56.11", "determinato", "full", 1, "public",
     {"cp2011_code": "5.2.2.1.0",
      "experience_years": 3,
      "education_level": "qualifica",
      "employer_name": "Osteria del Castello"}),
    (0, "Cameriere di sala", "5131", "56.11", "determinato", "part", 2, "public",
     {"languages": (("en", "A2"),), "employer_name": "Osteria del Castello"}),
    (0, "Addetto alla produzione casearia", "7513", "10.51", "indeterminato", "full", 1,
     "network", {"employer_name": "Caseificio di esempio"}),
    (0, "Operaio agricolo in vigneto", "9211", "01.21", "determinato", "full", 4,
     "filled", {"employer_name": "Azienda vitivinicola di esempio"}),
    (1, "Saldatore a filo continuo", "7212", "25.11", "somministrazione", "full", 2,
     "public", {"experience_years": 2, "employer_visible": False}),
    (1, "Operatore socio-sanitario", "5321", "87.30", "indeterminato", "part", 3,
     "public", {"education_level": "qualifica", "employer_name": "RSA di esempio"}),
    (1, "Magazziniere con patentino muletto", "4321", "52.10", "determinato", "full", 1,
     "draft", {"employer_name": "Logistica di esempio"}),
    (1, "Elettricista impiantista", "7411", "43.21", "apprendistato", "full", 1,
     "expired", {"employer_name": "Impianti elettrici di esempio"}),
    (2, "Tornitore CNC", "7223", "28.41", "indeterminato", "full", 1, "public",
     {"experience_years": 3,
      "education_level": "diploma",
      "employer_name": "Meccanica cremasca di esempio"}),
    (2, "Autista patente CE", "8332", "49.41", "indeterminato", "full", 2, "public",
     {"driving_licence": "C+CQC", "experience_years": 1, "employer_visible": False}),
    (2, "Impiegato amministrativo contabile", "4311", "69.20", "determinato", "part", 1,
     "network",
     {"education_level": "diploma", "employer_name": "Studio commerciale di esempio"}),
    (2, "Addetto alle vendite", "5223", "47.11", "determinato", "part", 2, "filled",
     {"cp2011_code": "5.1.2.2.0", "employer_name": "Supermercato di esempio"}),
    (3, "Sviluppatore software junior", "2512", "62.10", "apprendistato", "full", 1,
     "public",
     {"education_level": "laurea",
      "languages": (("en", "B2"),),
      "employer_name": "Software house di esempio"}),
    (3, "Addetto alle pulizie", "9112", "81.21", "determinato", "part", 3, "public",
     {"employer_visible": False}),
    (3, "Tirocinante receptionist", "4224", "55.10", "tirocinio", "full", 1, "draft",
     {"languages": (("en", "B1"), ("de", "A2")), "employer_name": "Albergo di esempio"}),
    (3, "Carrellista", "8344", "52.10", "somministrazione", "full", 2, "expired",
     {"employer_visible": False}),
    (4, "Panettiere", "7512", "10.71", "indeterminato", "full", 1, "public",
     {"experience_years": 2, "employer_name": "Forno di esempio"}),
    (4, "Idraulico", "7126", "43.22", "determinato", "full", 1, "public",
     {"driving_licence": "B", "employer_name": "Termoidraulica di esempio"}),
    (4, "Montatore meccanico", "8211", "28.29", "somministrazione", "full", 3, "public",
     {"employer_visible": False}),
    (4, "Falegname serramentista", "7115", "16.23", "apprendistato", "full", 1,
     "network", {"employer_name": "Serramenti di esempio"}),
    (5, "Manovale edile", "9313", "41.00", "determinato", "full", 2, "public",
     {"employer_name": "Impresa edile di esempio"}),
    (5, "Infermiere", "2221", "86.10", "indeterminato", "full", 2, "public",
     {"education_level": "laurea", "employer_visible": False}),
    (5, "Barista", "5132", "56.30", "intermittente", "part", 1, "public",
     {"employer_name": "Caffè di esempio"}),
    (6, "Meccanico di autoveicoli", "7231", "95.31", "indeterminato", "full", 1,
     "public",
     {"experience_years": 3,
      "driving_licence": "B",
      "employer_name": "Autofficina di esempio"}),
    (6, "Addetto al confezionamento", "8183", "22.22", "determinato", "full", 4,
     "public", {"employer_visible": False}),
    (6, "Assistente familiare", "5322", "88.10", "collaborazione", "part", 1, "public",
     {"languages": (("it", "B1"),), "employer_name": "Cooperativa di esempio"}),
    (6, "Rappresentante di commercio", "3322", "46.90", "autonomo", "full", 1, "draft",
     {"driving_licence": "B", "employer_name": "Commercio di esempio"}),
    (7, "Aiuto cuoco", "9412", "56.11", "determinato", "part", 1, "public",
     {"employer_name": "Trattoria faentina di esempio"}),
    (7, "Operaio addetto macchine alimentari", "8160", "10.13", "somministrazione",
     "full", 2, "public", {"employer_visible": False}),
    (7, "Cassiere", "5230", "47.11", "tirocinio", "part", 1, "public",
     {"employer_name": "Supermercato faentino di esempio"}),
]
# fmt: on


def _vacancies(desks: list[Sportello]) -> int:
    """The example vacancies of the example desks (those not loaded yet)."""
    today = datetime.date.today()
    created = 0
    for number, spec in enumerate(VACANCIES, start=1):
        index, title, isco, ateco_code, contract, time, positions, state, extra = spec
        sportello = desks[index]
        external_id = f"DEMO-{number:02d}"
        if Vacancy.objects.filter(
            sportello=sportello, external_id=external_id
        ).exists():
            continue
        operator = (
            DeskRole.objects.filter(sportello=sportello, role=DeskRole.Role.OPERATOR)
            .select_related("user")
            .first()
            .user
        )
        employer = extra.get("employer_name", "")
        details = VacancyDetails(
            title=title,
            isco_code=isco,
            ateco_code=ateco_code,
            contract_type=contract,
            working_time=time,
            positions=positions,
            municipality=sportello.municipality,
            deadline=today + datetime.timedelta(days=20 + 3 * number),
            description=(
                "Offerta di esempio (dimostrazione di Esplora Lavoro). "
                f"Per un'impresa del territorio di {sportello.municipality.name} "
                f"cerchiamo: {title.lower()}.\n\n"
                "Sede di lavoro raggiungibile con i mezzi pubblici; inserimento "
                "con affiancamento nelle prime settimane."
            ),
            how_to_apply=(
                f"Inviare il curriculum a {sportello.email} indicando il codice "
                f"{external_id}, oppure presentarsi allo sportello negli orari di "
                "apertura."
            ),
            cp2011_code=extra.get("cp2011_code", ""),
            education_level=extra.get("education_level", "nessuno"),
            languages=extra.get("languages", ()),
            driving_licence=extra.get("driving_licence", ""),
            experience_years=extra.get("experience_years", 0),
            employer_name=employer,
            employer_visible=extra.get("employer_visible", True),
            visibility="network" if state == "network" else "public",
            external_id=external_id,
        )
        item = services.vacancy_create(
            sportello=sportello, by=operator, details=details
        )
        Vacancy.objects.filter(pk=item.pk).update(is_example=True)
        if state != "draft":
            item = services.vacancy_publish(vacancy=item, by=operator)
        if state == "filled":
            services.vacancy_close(vacancy=item, by=operator, reason="filled")
        if state == "expired":
            Vacancy.objects.filter(pk=item.pk).update(
                deadline=today - datetime.timedelta(days=number % 5 + 1)
            )
        created += 1
    services.vacancy_expire_due(today=today)
    return created


def load(*, home, stdout) -> None:
    # The whole ISTAT list, so a referente can pick any municipality.
    municipalities_load_file()
    created = 0
    with transaction.atomic():
        for spec in DESKS:
            created += _desk(spec)
        desks = [
            Sportello.objects.get(
                organisation__name=spec["organisation"][0], name=spec["name"]
            )
            for spec in DESKS
        ]
        new_vacancies = _vacancies(desks)
    stdout.write(
        f"Job desks: {Sportello.objects.filter(is_example=True).count()} example "
        f"desks ({created} new), "
        f"{Vacancy.objects.filter(is_example=True).count()} example vacancies "
        f"({new_vacancies} new)."
    )
    # Imported here: both modules read this one's desks.
    from . import candidatures, exchange

    new_candidatures = candidatures.load(stdout=stdout)
    new_proposals = exchange.load(stdout=stdout)
    stdout.write(
        f"Job-desk network: {new_candidatures} new example candidatures, "
        f"{new_proposals} new proposals between desks."
    )
