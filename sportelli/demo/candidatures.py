"""Demo candidatures: forty pseudonymous profiles, five at each of the eight
example desks of ``sportelli.demo``, with ISCO-08 occupations and skills that
fit each territory (food and hospitality in the Langhe, mechanics around
Pinerolo and Castelfranco, cosmetics in Crema, logistics and dairy in Lodi,
furniture and jewellery in Bassano, knitwear in Carpi, ceramics in Faenza).

Made up and marked as examples (``is_example``); reference codes and external
ids ``DEMO-Cnn``. Created through the services, each with a recorded consent,
so loading twice adds none. Run after the desks exist: ``load(stdout=...)``.
"""

import datetime

from django.db import transaction

from ..models import Candidature, DeskRole, Sportello
from ..services.candidatures import (
    CandidatureDetails,
    candidature_create,
    candidature_set_status,
)
from . import DESKS

IT = ("it", "C2")

# (desk index in DESKS, ISCO-08 occupations, skills, education, mobility,
#  km, availability, working time, languages, licence, experience, summary,
#  consent scope, shared)
# fmt: off
CANDIDATURES = [
    # Bra (Cuneo): food, wine, hospitality
    (0, ("5120", "9412"), ("HACCP", "cucina piemontese", "pasta fresca"),
     "qualifica", "km", 30, "subito", "full", (IT, ("en", "A2")), "B", 6,
     "Cuoco con esperienza in trattorie e agriturismi delle Langhe.",
     "proposals", True),
    (0, ("5131", "5246"), ("servizio ai tavoli", "sommelier AIS I livello",
     "cassa"), "diploma", "provincia", None, "subito", "part",
     (IT, ("en", "B2"), ("de", "A2")), "B", 3,
     "Cameriera di sala, stagioni in ristoranti e cantine con visite.",
     "proposals", True),
    (0, ("6112", "9211"), ("potatura vite", "vendemmia", "trattore"),
     "media", "km", 20, "subito", "full", (("ro", "C2"), ("it", "B1")), "B", 8,
     "Operaio agricolo esperto di vigneto e nocciolo.",
     "proposals", True),
    (0, ("7512",), ("lievito madre", "pasticceria secca", "HACCP"),
     "qualifica", "comune", None, "1m", "full", (IT,), "", 2,
     "Giovane panettiere in cerca di laboratorio artigiano.",
     "network", True),
    (0, ("8160", "7514"), ("linee di confezionamento", "controllo qualità"),
     "diploma", "provincia", None, "3m", "full", (IT,), "B", 4,
     "Addetto macchine nell'industria dolciaria e conserviera.",
     "proposals", False),
    # Pinerolo (Torino): mechanics, care
    (1, ("7223",), ("CNC Fanuc", "tornio", "lettura disegno tecnico"),
     "qualifica", "km", 40, "subito", "full", (IT,), "B", 10,
     "Tornitore CNC con esperienza nella meccanica di precisione.",
     "proposals", True),
    (1, ("7233", "8211"), ("oleodinamica", "manutenzione trattori",
     "saldatura"), "qualifica", "provincia", None, "1m", "full", (IT,), "C", 7,
     "Meccanico di macchine agricole e movimento terra.",
     "proposals", True),
    (1, ("5322", "5321"), ("assistenza anziani", "attestato OSS",
     "primo soccorso"), "qualifica", "km", 25, "subito", "part",
     (("uk", "C2"), ("it", "B2")), "B", 5,
     "Assistente familiare, disponibile anche per notti.",
     "proposals", True),
    (1, ("4321", "8344"), ("patentino muletto", "gestionale magazzino",
     "inventari"), "diploma", "regione", None, "subito", "full", (IT,), "B", 3,
     "Magazziniere con patentino del carrello elevatore.",
     "network", True),
    (1, ("7411",), ("impianti civili", "domotica", "PES PAV"),
     "qualifica", "provincia", None, "3m", "full", (IT,), "B", 12,
     "Elettricista impiantista, cerca impresa stabile.",
     "proposals", True),
    # Crema (Cremona): cosmetics, mechanics, agri-food
    (2, ("8131",), ("miscelazione", "GMP cosmetiche", "pulizia impianti"),
     "diploma", "km", 30, "subito", "full", (IT,), "B", 4,
     "Operatore di reparto nella produzione cosmetica.",
     "proposals", True),
    (2, ("9321", "9329"), ("confezionamento", "turni", "etichettatura"),
     "media", "km", 15, "subito", "full", (("sq", "C2"), ("it", "B1")), "", 2,
     "Addetta al confezionamento, disponibile su tre turni.",
     "proposals", True),
    (2, ("3122",), ("lean production", "gestione turni", "ISO 9001"),
     "laurea", "regione", None, "3m", "full", (IT, ("en", "B2")), "B", 9,
     "Capo reparto con esperienza in aziende cosmetiche conto terzi.",
     "network", True),
    (2, ("4311", "4110"), ("contabilità generale", "Excel", "fatturazione"),
     "diploma", "provincia", None, "1m", "part", (IT, ("en", "B1")), "B", 6,
     "Impiegata contabile, cerca part-time.",
     "proposals", True),
    (2, ("5142",), ("trattamenti viso", "onicotecnica"),
     "qualifica", "comune", None, "subito", "", (IT,), "", 1,
     "Estetista qualificata al primo impiego stabile.",
     "proposals", False),
    # Lodi: logistics, dairy, agriculture
    (3, ("8332",), ("patente C+CQC", "carta tachigrafica", "ADR base"),
     "media", "italia", None, "subito", "full", (IT,), "C+CQC", 11,
     "Autista di mezzi pesanti, anche trasferte nazionali.",
     "proposals", True),
    (3, ("9333", "4321"), ("picking", "radiofrequenza", "patentino muletto"),
     "media", "km", 35, "subito", "full", (("ar", "C2"), ("it", "B1")), "B", 3,
     "Addetto alla movimentazione merci in polo logistico.",
     "proposals", True),
    (3, ("7513",), ("caseificazione", "grana padano", "HACCP"),
     "qualifica", "provincia", None, "1m", "full", (IT,), "B", 5,
     "Casaro con esperienza in caseifici della bassa.",
     "proposals", True),
    (3, ("6121",), ("mungitura robotizzata", "alimentazione bovine"),
     "media", "km", 25, "subito", "full", (("it", "A2"), ("en", "B2")), "B", 7,
     "Operaio zootecnico in stalle da latte.",
     "network", True),
    (3, ("8344", "9333"), ("patentino muletto", "carroponte"),
     "media", "km", 30, "1m", "full", (IT,), "B", 2,
     "Carrellista con abilitazione, disponibile a turni.",
     "proposals", True),
    # Bassano del Grappa (Vicenza): furniture, jewellery, mechanics
    (4, ("7522", "7115"), ("falegnameria", "macchine CNC legno", "restauro"),
     "qualifica", "km", 30, "subito", "full", (IT,), "B", 14,
     "Falegname ebanista, mobile su misura e restauro.",
     "proposals", True),
    (4, ("7313",), ("incastonatura", "microfusione", "saldatura laser"),
     "qualifica", "provincia", None, "1m", "full", (IT,), "B", 6,
     "Orafo con esperienza di banco e incastonatura.",
     "proposals", True),
    (4, ("7212",), ("saldatura TIG", "saldatura MIG", "patentino EN 9606"),
     "qualifica", "regione", None, "subito", "full", (IT,), "B", 8,
     "Saldatore certificato, carpenteria media e leggera.",
     "proposals", True),
    (4, ("2163",), ("AutoCAD", "Rhino", "design d'arredo"),
     "magistrale", "regione", None, "3m", "full", (IT, ("en", "C1")), "B", 2,
     "Designer di prodotto con portfolio nell'arredo.",
     "network", True),
    (4, ("3343", "4110"), ("segreteria commerciale", "inglese commerciale",
     "gestione agenda"), "diploma", "km", 20, "1m", "part",
     (IT, ("en", "B2"), ("de", "B1")), "B", 9,
     "Segretaria commerciale con esperienza nell'export.",
     "proposals", True),
    # Castelfranco Veneto (Treviso): mechanics, furniture, retail
    (5, ("7223", "8211"), ("CNC Heidenhain", "fresa", "controllo quote"),
     "qualifica", "km", 30, "subito", "full", (IT,), "B", 5,
     "Fresatore CNC, anche montaggio meccanico.",
     "proposals", True),
    (5, ("2144",), ("SolidWorks", "progettazione macchine", "FEM"),
     "magistrale", "regione", None, "3m", "full", (IT, ("en", "C1")), "B", 3,
     "Ingegnere meccanico junior orientato alla progettazione.",
     "proposals", True),
    (5, ("3115",), ("manutenzione impianti", "PLC Siemens", "pneumatica"),
     "its", "km", 40, "1m", "full", (IT, ("en", "B1")), "B", 4,
     "Tecnico manutentore diplomato ITS meccatronica.",
     "proposals", True),
    (5, ("5223",), ("vendita assistita", "visual merchandising", "cassa"),
     "diploma", "comune", None, "subito", "part", (IT, ("en", "B1")), "", 3,
     "Commessa con esperienza nell'abbigliamento.",
     "network", True),
    (5, ("7212", "7223"), ("saldatura a filo", "piegatrice"),
     "media", "km", 25, "subito", "full", (("sq", "C2"), ("it", "B2")), "B", 6,
     "Operaio di carpenteria metallica.",
     "proposals", False),
    # Carpi (Modena): knitwear and fashion
    (6, ("8153", "7533"), ("macchina lineare", "tagliacuci", "rammendo"),
     "media", "km", 20, "subito", "full", (("zh", "C2"), ("it", "B1")), "", 10,
     "Cucitrice esperta di maglieria.",
     "proposals", True),
    (6, ("7531",), ("modellistica", "sartoria su misura", "cartamodelli"),
     "qualifica", "provincia", None, "1m", "full", (IT,), "B", 15,
     "Modellista e sarta con lunga esperienza nel distretto.",
     "proposals", True),
    (6, ("2163", "3118"), ("Adobe Illustrator", "CAD tessile", "tendenze moda"),
     "laurea", "regione", None, "3m", "full", (IT, ("en", "B2")), "B", 2,
     "Stilista junior per collezioni di maglieria.",
     "network", True),
    (6, ("4110",), ("gestione ordini", "bolle e DDT", "Excel"),
     "diploma", "km", 15, "subito", "part", (IT, ("en", "A2")), "B", 4,
     "Impiegata d'ufficio nel settore tessile.",
     "proposals", True),
    (6, ("7543",), ("controllo qualità capi", "stiro"),
     "media", "comune", None, "subito", "part", (IT,), "", 6,
     "Addetta al controllo qualità e stiro.",
     "proposals", True),
    # Faenza (Ravenna): ceramics, fruit, care
    (7, ("7314", "7316"), ("tornio ceramico", "decorazione a mano", "smalti"),
     "qualifica", "provincia", None, "1m", "full", (IT, ("en", "A2")), "B", 7,
     "Ceramista formata all'istituto d'arte, tornio e decoro.",
     "proposals", True),
    (7, ("9211",), ("raccolta frutta", "potatura", "magazzino ortofrutta"),
     "nessuno", "km", 20, "subito", "full", (("ro", "C2"), ("it", "A2")), "B", 5,
     "Bracciante agricolo per frutteti e magazzini.",
     "proposals", True),
    (7, ("5321",), ("attestato OSS", "movimentazione pazienti", "igiene"),
     "qualifica", "km", 30, "subito", "part", (IT,), "B", 4,
     "Operatrice socio-sanitaria con esperienza in RSA.",
     "proposals", True),
    (7, ("2431",), ("social media", "Google Analytics", "copywriting"),
     "magistrale", "regione", None, "3m", "full",
     (IT, ("en", "C1"), ("fr", "B1")), "B", 2,
     "Esperta di marketing digitale per piccole imprese.",
     "network", True),
    (7, ("8160", "9329"), ("linea di lavorazione", "turni", "sanificazione"),
     "media", "km", 25, "subito", "full", (IT,), "B", 3,
     "Addetto di linea nell'industria alimentare.",
     "proposals", True),
]
# fmt: on


def _desks() -> list[Sportello] | None:
    desks = []
    for spec in DESKS:
        sportello = Sportello.objects.filter(
            organisation__name=spec["organisation"][0], name=spec["name"]
        ).first()
        if sportello is None:
            return None
        desks.append(sportello)
    return desks


def load(stdout=None) -> int:
    """Create the example candidatures not loaded yet; returns how many."""
    today = datetime.date.today()
    created = 0
    with transaction.atomic():
        desks = _desks()
        if desks is None:
            if stdout is not None:
                stdout.write("Candidatures: the example desks are not loaded.")
            return 0
        for number, spec in enumerate(CANDIDATURES, start=1):
            (
                index,
                occupations,
                skills,
                education,
                mobility,
                km,
                availability,
                working_time,
                languages,
                licence,
                experience,
                summary,
                scope,
                shared,
            ) = spec
            sportello = desks[index]
            code = f"DEMO-C{number:02d}"
            if Candidature.objects.filter(
                sportello=sportello, external_id=code
            ).exists():
                continue
            operator = (
                DeskRole.objects.filter(
                    sportello=sportello, role=DeskRole.Role.OPERATOR
                )
                .select_related("user")
                .first()
                .user
            )
            item = candidature_create(
                sportello=sportello,
                by=operator,
                details=CandidatureDetails(
                    reference_code=code,
                    external_id=code,
                    municipality=sportello.municipality,
                    occupations=occupations,
                    mobility=mobility,
                    mobility_km=km,
                    availability=availability,
                    working_time=working_time,
                    education_level=education,
                    languages=languages,
                    driving_licence=licence,
                    experience_years=experience,
                    skills=skills,
                    summary=f"{summary} Profilo di esempio.",
                ),
                consent_scope=scope,
                consent_given_on=today - datetime.timedelta(days=number * 2),
            )
            # Spread the deletion days, so some are due for renewal soon.
            Candidature.objects.filter(pk=item.pk).update(
                is_example=True,
                expires_on=today + datetime.timedelta(days=20 + number * 4),
            )
            if not shared:
                candidature_set_status(
                    candidature=item, by=operator, status="suspended"
                )
            created += 1
    if stdout is not None:
        stdout.write(
            "Candidatures: "
            f"{Candidature.objects.filter(is_example=True).count()} example "
            f"profiles ({created} new)."
        )
    return created
