"""The FormezPA programme for the employment services and its project sheets
(seeds 000, 001 and 002)."""

import datetime

from django.utils.html import escape
from wagtail.models import Locale

from portal.demo.english import translate_once
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


# English versions of two project sheets: Italian text -> English text.
ENGLISH = {
    "osservatori-mercato-lavoro": {
        "Sviluppo di Osservatori sui mercati del lavoro": "Developing labour-market observatories",
        "Osservatori, reti e partnership tra attori pubblici e privati del mercato del lavoro in circa 15 aree provinciali pivot delle Regioni dell'Obiettivo Convergenza.": "Observatories, networks and partnerships between public and private labour-market actors in about 15 pivot provinces of the Convergence regions.",
        "Dirigenti, responsabili e operatori dei Servizi pubblici per l'Impiego, a livello regionale e provinciale, e gli attori dei sistemi del lavoro, con particolare riferimento alle Direzioni provinciali del lavoro.": "Managers, officers and operators of the public employment services at regional and provincial level, and the actors of the labour systems, in particular the provincial labour directorates.",
        "Regioni dell'Obiettivo Convergenza": "Convergence regions",
        "Centro di competenza Diffusione qualità, e-government": "Competence centre for quality and e-government",
        "Il progetto contribuisce allo sviluppo del sistema dei Servizi per l'Impiego e al miglioramento degli standard qualitativi dei servizi erogati dai Centri per l'Impiego attraverso la realizzazione di Osservatori con funzioni di analisi, studio, confronto e raccolta di dati sul territorio, per anticipare il fabbisogno di competenze e professionalità a livello locale. L'iniziativa rientra tra le misure anticrisi previste dall'art. 19 del D.L. 185/2008 e dall'art. 1 del D.L. 78/2009.": "The project helps develop the employment-services system and raise the quality of the services delivered by job centres by setting up observatories that analyse, study, compare and collect data on their territory, so as to anticipate the skills and professions needed locally. It is one of the anti-crisis measures of art. 19 of Decree-Law 185/2008 and art. 1 of Decree-Law 78/2009.",
        "A": "A",
        "B": "B",
        "Analisi delle esperienze": "Analysis of experiences",
        "Selezione e raccolta delle esperienze già in atto di Osservatori sul mercato del lavoro e Osservatori economici, per diffonderne le buone pratiche e individuare un modello di sintesi e un piano di sostenibilità del servizio.": "Selecting and collecting the experiences of existing labour-market and economic observatories, to spread their good practices and define a summary model and a sustainability plan for the service.",
        "Analisi e confronto delle esperienze selezionate in gruppi di lavoro, laboratori e incontri in presenza, e online nella comunità professionale degli operatori dei servizi per l'impiego.": "Analysing and comparing the selected experiences in working groups, workshops and meetings in person, and online in the professional community of employment-service operators.",
        "Attivazione della funzione di Osservatori": "Setting up the observatory function",
        "Promozione di Osservatori sul mercato del lavoro in circa 15 aree provinciali pivot individuate con le Regioni.": "Promoting labour-market observatories in about 15 pivot provinces chosen with the regions.",
        "Aggiornamento delle competenze dei dirigenti e dei funzionari delle DPL, dei CPI e dei CLES con seminari informativi e formativi.": "Updating the skills of managers and officers of the provincial labour directorates, job centres and CLES with information and training seminars.",
        "Supporto alle amministrazioni provinciali nell'attivazione e nella stabilizzazione della funzione di Osservatorio.": "Supporting provincial administrations in setting up the observatory function and making it permanent.",
        "Analisi delle esperienze in atto sul territorio nazionale e diffusione delle buone pratiche rilevate.": "Analysis of the experiences under way across the country and spread of the good practices found.",
        "Attivazione della funzione di Osservatorio in 15 aree provinciali pivot, anche presso i CPI.": "The observatory function set up in 15 pivot provinces, including at job centres.",
        "Migliore integrazione tra gli attori dei mercati del lavoro locali e creazione di reti provinciali.": "Better integration between the actors of local labour markets and new provincial networks.",
        "Supporto tecnico ai servizi per l'impiego delle 15 aree pivot sugli strumenti introdotti dai provvedimenti anticrisi.": "Technical support to the employment services of the 15 pivot provinces on the tools introduced by the anti-crisis measures.",
    },
    "silla-2-competitivita": {
        "SILLA 2 - Competitività": "SILLA 2 - Competitiveness",
        "Sportelli Lavoro in almeno 8 comuni delle Regioni dell'Obiettivo Competitività e un portale da cui le amministrazioni scaricano il kit SILLA.": "Job desks in at least 8 municipalities of the Competitiveness regions and a portal from which administrations download the SILLA kit.",
        "Amministrazioni comunali delle aree delle Regioni Ob. Competitività.": "Municipal administrations in the Competitiveness regions.",
        "Dirigenti, funzionari e operatori dei Comuni delle aree delle Regioni Ob. Competitività.": "Managers, officers and operators of the municipalities in the Competitiveness regions.",
        "Regioni Ob. Competitività": "Competitiveness regions",
        "Stefania Melegari": "Stefania Melegari",
        "Il progetto diffonde l'eredità della prima edizione di SILLA affiancando alcuni comuni di medie dimensioni dell'Obiettivo Competitività nell'attivazione di Sportelli Lavoro, per avvicinare cittadini, imprese e amministrazioni competenti in materia di servizi per il lavoro.": "The project spreads the legacy of SILLA's first edition by helping some medium-sized municipalities of the Competitiveness regions open job desks, bringing citizens, businesses and the administrations responsible for employment services closer together.",
        "A": "A",
        "B": "B",
        "C": "C",
        "Individuazione delle amministrazioni per l'apertura degli Sportelli Lavoro": "Choosing the administrations that open job desks",
        "Selezione di almeno 8 amministrazioni, 2 per almeno 4 Regioni dell'Obiettivo Competitività, rappresentative di diverse vocazioni territoriali.": "Selecting at least 8 administrations, 2 in each of at least 4 Competitiveness regions, representing different local economies.",
        "Avvio degli Sportelli Lavoro": "Opening the job desks",
        "Affiancamento consulenziale delle 8 realtà pilota per erogare un set minimo di prestazioni.": "Advising the 8 pilot municipalities so that they deliver a minimum set of services.",
        "Accordi di programma con associazioni di categoria, CPI e altri soggetti dell'intermediazione; stesura della Carta dei servizi.": "Programme agreements with trade associations, job centres and other intermediaries; drafting the service charter.",
        "Interconnessione con le banche dati istituzionali e con Cliclavoro.": "Connection to the institutional databases and to Cliclavoro.",
        "Portale dei servizi locali per il lavoro": "Portal of the local employment services",
        "Un portale da cui le amministrazioni, dopo una semplice registrazione, scaricano il kit SILLA e lo installano sulla propria infrastruttura.": "A portal from which administrations, after a simple registration, download the SILLA kit and install it on their own infrastructure.",
        "Una rete tra gli sportelli attivati per lo scambio di informazioni su candidature e vacancy.": "A network of the new job desks to exchange information on candidates and vacancies.",
        "Sportelli Lavoro attivati in almeno 8 amministrazioni comunali.": "Job desks open in at least 8 municipal administrations.",
        "Kit SILLA disponibile a tutte le amministrazioni attraverso il portale.": "The SILLA kit available to every administration through the portal.",
    },
}


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
    for slug, strings in ENGLISH.items():
        translate_once(
            ProjectPage.objects.child_of(programme).filter(slug=slug).first(), strings
        )
    stdout.write(f"Projects: {ProjectPage.objects.child_of(programme).count()}")
