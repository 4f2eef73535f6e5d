"""The FormezPA programme for the employment services and its project sheets
(seeds 000, 001 and 002)."""

import datetime

from django.utils.html import escape
from wagtail.models import Locale

from portal.models import SectionPage
from portal.services import page_translate
from portal.taxonomy.models import FundingSource

from .models import ProgrammePage, ProjectPage

PROGRAMME = {
    "slug": "servizi-per-il-lavoro",
    "title": "Programma per i servizi per il lavoro",
    "summary": "Il piano affidato a FormezPA per innalzare la qualità delle prestazioni dei servizi per il lavoro, in quattro progetti.",
    "intro": [
        "Il Ministero del Lavoro e delle Politiche Sociali, in accordo con il Dipartimento della Funzione Pubblica, ha affidato a FormezPA un piano d'intervento per innalzare la qualità delle prestazioni dei servizi per il lavoro, in particolare dei Servizi pubblici per l'impiego, e rafforzare l'efficacia delle politiche per il lavoro.",
        "Gli interventi accrescono la capacità delle amministrazioni di coordinare le politiche di inserimento al lavoro e di workfare, semplificare l'incontro tra domanda e offerta, valutare e monitorare le politiche, e diffondere le buone pratiche individuate sul territorio nazionale.",
    ],
    "commissioned_by": "Ministero del Lavoro e delle Politiche Sociali, Dipartimento della Funzione Pubblica",
    "implemented_by": "FormezPA",
    "en": {
        "title": "Programme for the employment services",
        "summary": "The plan entrusted to FormezPA to raise the quality of employment services, in four projects.",
        "intro": [
            "The Ministry of Labour and Social Policies, with the Department of Public Administration, entrusted FormezPA with a plan to raise the quality of employment services, especially public employment services, and to make labour policies more effective.",
            "The actions build the administrations' capacity to coordinate job-placement and workfare policies, simplify the matching of supply and demand, evaluate and monitor policies, and spread the good practices found across the country.",
        ],
        "commissioned_by": "Ministry of Labour and Social Policies, Department of Public Administration",
        "implemented_by": "FormezPA",
    },
}

PROJECTS = [
    {
        "slug": "servizi-innovativi",
        "title": "Servizi innovativi nel settore dei servizi per il lavoro",
        "summary": "Sviluppo, modernizzazione e innovazione del sistema dei servizi pubblici per l'impiego attraverso servizi innovativi attuati dalle Province.",
        "description": "Il progetto contribuisce al miglioramento dell'efficacia e all'aumento dei livelli qualitativi dei servizi erogati dai Centri per l'Impiego attraverso l'attuazione di servizi innovativi da parte delle Province.",
    },
    {
        "slug": "osservatori-mercato-lavoro",
        "title": "Sviluppo di Osservatori sui mercati del lavoro",
        "summary": "Osservatori, reti e partnership tra attori pubblici e privati del mercato del lavoro in circa 15 aree provinciali pivot delle Regioni dell'Obiettivo Convergenza.",
        "description": "Il progetto contribuisce allo sviluppo del sistema dei Servizi per l'Impiego e al miglioramento degli standard qualitativi dei servizi erogati dai Centri per l'Impiego attraverso la realizzazione di Osservatori con funzioni di analisi, studio, confronto e raccolta di dati sul territorio, per anticipare il fabbisogno di competenze e professionalità a livello locale. L'iniziativa rientra tra le misure anticrisi previste dall'art. 19 del D.L. 185/2008 e dall'art. 1 del D.L. 78/2009.",
        "start": datetime.date(2010, 7, 1),
        "end": datetime.date(2012, 9, 30),
        "recipients": "Dirigenti, responsabili e operatori dei Servizi pubblici per l'Impiego, a livello regionale e provinciale, e gli attori dei sistemi del lavoro, con particolare riferimento alle Direzioni provinciali del lavoro.",
        "territorial_scope": "Regioni dell'Obiettivo Convergenza",
        "funding": "fse",
        "unit": "Centro di competenza Diffusione qualità, e-government",
        "strands": [
            (
                "A",
                "Analisi delle esperienze",
                [
                    "Selezione e raccolta delle esperienze già in atto di Osservatori sul mercato del lavoro e Osservatori economici, per diffonderne le buone pratiche e individuare un modello di sintesi e un piano di sostenibilità del servizio.",
                    "Analisi e confronto delle esperienze selezionate in gruppi di lavoro, laboratori e incontri in presenza, e online nella comunità professionale degli operatori dei servizi per l'impiego.",
                ],
            ),
            (
                "B",
                "Attivazione della funzione di Osservatori",
                [
                    "Promozione di Osservatori sul mercato del lavoro in circa 15 aree provinciali pivot individuate con le Regioni.",
                    "Aggiornamento delle competenze dei dirigenti e dei funzionari delle DPL, dei CPI e dei CLES con seminari informativi e formativi.",
                    "Supporto alle amministrazioni provinciali nell'attivazione e nella stabilizzazione della funzione di Osservatorio.",
                ],
            ),
        ],
        "results": [
            "Analisi delle esperienze in atto sul territorio nazionale e diffusione delle buone pratiche rilevate.",
            "Attivazione della funzione di Osservatorio in 15 aree provinciali pivot, anche presso i CPI.",
            "Migliore integrazione tra gli attori dei mercati del lavoro locali e creazione di reti provinciali.",
            "Supporto tecnico ai servizi per l'impiego delle 15 aree pivot sugli strumenti introdotti dai provvedimenti anticrisi.",
        ],
    },
    {
        "slug": "silla",
        "title": "Servizi di intermediazione locale per il lavoro (SILLA)",
        "summary": "Servizi di intermediazione presso gli enti comunali e sinergie tra i livelli istituzionali nella gestione dei servizi per l'impiego.",
        "description": "Il progetto istituisce servizi di intermediazione presso gli enti comunali e sviluppa le sinergie tra i livelli istituzionali e i principali attori locali del mercato del lavoro. La prima edizione ha coinvolto amministrazioni pilota in Sicilia, Calabria, Campania e Puglia.",
    },
    {
        "slug": "vespro",
        "title": "Valutazione dell'Efficacia delle Strutture e delle Politiche Rivolte all'Occupabilità (VESPRO)",
        "summary": "Analisi dei raccordi tra Regioni, Province, CPI e INPS e nuovi modelli di gestione delle politiche attive e passive del lavoro.",
        "description": "Il progetto analizza i raccordi stabilmente attivati tra le amministrazioni pubbliche (Regioni, Province, CPI, INPS) ai sensi dell'art. 19 del D.L. 185/2008 e definisce nuovi modelli tecnico-operativi di gestione delle politiche attive e passive del lavoro da parte delle pubbliche amministrazioni.",
    },
    {
        "slug": "silla-2-competitivita",
        "title": "SILLA 2 - Competitività",
        "summary": "Sportelli Lavoro in almeno 8 comuni delle Regioni dell'Obiettivo Competitività e un portale da cui le amministrazioni scaricano il kit SILLA.",
        "description": "Il progetto diffonde l'eredità della prima edizione di SILLA affiancando alcuni comuni di medie dimensioni dell'Obiettivo Competitività nell'attivazione di Sportelli Lavoro, per avvicinare cittadini, imprese e amministrazioni competenti in materia di servizi per il lavoro.",
        "start": datetime.date(2012, 9, 1),
        "end": datetime.date(2013, 12, 31),
        "recipients": "Amministrazioni comunali delle aree delle Regioni Ob. Competitività.",
        "recipient_types": "Dirigenti, funzionari e operatori dei Comuni delle aree delle Regioni Ob. Competitività.",
        "territorial_scope": "Regioni Ob. Competitività",
        "manager": "Stefania Melegari",
        "strands": [
            (
                "A",
                "Individuazione delle amministrazioni per l'apertura degli Sportelli Lavoro",
                [
                    "Selezione di almeno 8 amministrazioni, 2 per almeno 4 Regioni dell'Obiettivo Competitività, rappresentative di diverse vocazioni territoriali.",
                ],
            ),
            (
                "B",
                "Avvio degli Sportelli Lavoro",
                [
                    "Affiancamento consulenziale delle 8 realtà pilota per erogare un set minimo di prestazioni.",
                    "Accordi di programma con associazioni di categoria, CPI e altri soggetti dell'intermediazione; stesura della Carta dei servizi.",
                    "Interconnessione con le banche dati istituzionali e con Cliclavoro.",
                ],
            ),
            (
                "C",
                "Portale dei servizi locali per il lavoro",
                [
                    "Un portale da cui le amministrazioni, dopo una semplice registrazione, scaricano il kit SILLA e lo installano sulla propria infrastruttura.",
                    "Una rete tra gli sportelli attivati per lo scambio di informazioni su candidature e vacancy.",
                ],
            ),
        ],
        "results": [
            "Sportelli Lavoro attivati in almeno 8 amministrazioni comunali.",
            "Kit SILLA disponibile a tutte le amministrazioni attraverso il portale.",
        ],
    },
]


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def load(*, home, stdout) -> None:
    section = SectionPage.objects.child_of(home).filter(slug="progetti").first()
    if section is None:
        return
    programme = (
        ProgrammePage.objects.child_of(section).filter(slug=PROGRAMME["slug"]).first()
    )
    if programme is None:
        programme = ProgrammePage(
            slug=PROGRAMME["slug"],
            title=PROGRAMME["title"],
            summary=PROGRAMME["summary"],
            intro=_html(PROGRAMME["intro"]),
            commissioned_by=PROGRAMME["commissioned_by"],
            implemented_by=PROGRAMME["implemented_by"],
        )
        section.add_child(instance=programme)
        programme.save_revision().publish()
    italian = Locale.objects.get(language_code="it")
    funding = {f.slug: f for f in FundingSource.objects.filter(locale=italian)}
    for spec in PROJECTS:
        if ProjectPage.objects.child_of(programme).filter(slug=spec["slug"]).exists():
            continue
        project = ProjectPage(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            description=_html([spec["description"]]),
            start_date=spec.get("start"),
            end_date=spec.get("end"),
            recipients=spec.get("recipients", ""),
            recipient_types=spec.get("recipient_types", ""),
            territorial_scope=spec.get("territorial_scope", ""),
            funding_source=funding.get(spec.get("funding", "")),
            project_manager=spec.get("manager", ""),
            organisational_unit=spec.get("unit", ""),
            strands=[
                ("strand", {"code": code, "title": title, "activities": activities})
                for code, title, activities in spec.get("strands", [])
            ],
            expected_results="<ul>{}</ul>".format(
                "".join(f"<li>{escape(item)}</li>" for item in spec.get("results", []))
            )
            if spec.get("results")
            else "",
        )
        programme.add_child(instance=project)
        project.save_revision().publish()

    if not programme.get_translations().filter(locale__language_code="en").exists():
        english = PROGRAMME["en"]
        strings = {
            PROGRAMME[key]: english[key]
            for key in ("title", "summary", "commissioned_by", "implemented_by")
        }
        strings.update(zip(PROGRAMME["intro"], english["intro"], strict=True))
        page_translate(page=programme, language_code="en", strings=strings)
    stdout.write(f"Projects: {ProjectPage.objects.child_of(programme).count()}")
