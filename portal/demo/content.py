"""Demo content for the portal's skeleton, in Italian with English translations.

Facts come from the source documents in shared/seeds (FormezPA project sheets,
the SILLA 2 sheet, the provincial objective 2023_3504 and the programme report);
the prose is the portal's own.
"""

# Each field as (Italian, English). Rich-text fields are lists of paragraphs.
HOME = {
    "title": ("Esplora Lavoro", "Esplora Lavoro"),
    "hero_title": (
        "Esplora Lavoro: i servizi per l'impiego in rete",
        "Esplora Lavoro: employment services working as a network",
    ),
    "summary": (
        "Il portale dei programmi che rafforzano i servizi per l'impiego: "
        "Osservatori sul mercato del lavoro, Sportelli Lavoro SILLA, Centri per "
        "l'Impiego.",
        "The portal of the programmes that strengthen employment services: "
        "labour-market observatories, SILLA job desks and job centres.",
    ),
    "intro": (
        [
            "Buone pratiche, progetti, seminari e newsletter per chi lavora nei servizi "
            "per l'impiego: dai Centri per l'Impiego agli Osservatori provinciali, fino "
            "agli Sportelli Lavoro dei Comuni."
        ],
        [
            "Good practices, projects, seminars and newsletters for people who work in "
            "employment services: from job centres to the provincial observatories and "
            "the job desks of municipalities."
        ],
    ),
}

# (slug, Italian title, summary, intro; English title, summary, intro)
SECTIONS = [
    (
        "buone-pratiche",
        "Buone pratiche",
        "Le esperienze dei servizi per l'impiego raccolte e analizzate dagli "
        "Osservatori per diffonderle e trasferirle ad altri territori.",
        "L'Ambito A del progetto Osservatori seleziona e raccoglie le esperienze già in "
        "atto, le analizza nei gruppi di lavoro e nei laboratori e ne diffonde le buone "
        "pratiche: collocamento mirato, transizione pena-lavoro, emersione del lavoro "
        "irregolare.",
        "Good practices",
        "Experiences of the employment services, collected and analysed by the "
        "observatories so that other territories can adopt them.",
        "Strand A of the observatories project selects and collects experiences already "
        "under way, analyses them in working groups and workshops and spreads the good "
        "practices: targeted placement, the transition from prison to work, bringing "
        "undeclared work into the open.",
    ),
    (
        "progetti",
        "Progetti",
        "Le schede dei quattro progetti FormezPA per i servizi per il lavoro e del "
        "progetto SILLA 2.",
        "Il Ministero del Lavoro e delle Politiche Sociali, d'intesa con il Dipartimento "
        "della Funzione Pubblica, ha affidato a FormezPA un piano in quattro progetti: "
        "Servizi innovativi, Osservatori sul mercato del lavoro, SILLA e VESPRO.",
        "Projects",
        "The sheets of the four FormezPA projects for employment services and of the "
        "SILLA 2 project.",
        "The Ministry of Labour and Social Policies, with the Department of Public "
        "Administration, entrusted FormezPA with a plan in four projects: Innovative "
        "services, Labour-market observatories, SILLA and VESPRO.",
    ),
    (
        "osservatori",
        "Osservatori",
        "La rete degli Osservatori sul mercato del lavoro nelle aree provinciali pivot "
        "delle Regioni dell'Obiettivo Convergenza.",
        "Il progetto sostiene circa 15 aree provinciali pivot nell'attivare la funzione "
        "di Osservatorio sul mercato del lavoro, con reti tra INPS, Direzioni provinciali "
        "del lavoro, Centri per l'Impiego, camere di commercio, università e parti "
        "sociali. Le province elencate in questa demo sono un esempio.",
        "Observatories",
        "The network of labour-market observatories in the pivot provinces of the "
        "Convergence regions.",
        "The project supports about 15 pivot provinces in setting up a labour-market "
        "observatory, with networks linking INPS, the provincial labour directorates, "
        "job centres, chambers of commerce, universities and social partners. The provinces "
        "listed in this demo are an example.",
    ),
    (
        "seminari",
        "Seminari",
        "Seminari informativi e formativi per dirigenti e funzionari dei servizi per "
        "l'impiego.",
        "L'Ambito B aggiorna le conoscenze e le competenze in materia di mercato del "
        "lavoro e di vigilanza dei dirigenti e dei funzionari delle DPL, dei CPI e dei "
        "CLES attraverso seminari informativi e formativi.",
        "Seminars",
        "Information and training seminars for managers and officers of the employment "
        "services.",
        "Strand B updates the knowledge and skills of managers and officers of the "
        "provincial labour directorates, job centres and CLES on the labour market and "
        "on labour inspection, through information and training seminars.",
    ),
    (
        "newsletter",
        "Newsletter",
        "Lavoro Informa e le newsletter degli Osservatori: i numeri pubblicati e "
        "l'iscrizione.",
        "Gli Osservatori diffondono periodicamente note, indagini e newsletter sul "
        "mercato del lavoro locale; il programma prevede dieci numeri digitali l'anno "
        "di Lavoro Informa.",
        "Newsletters",
        "Lavoro Informa and the observatories' newsletters: published issues and "
        "subscription.",
        "The observatories regularly publish notes, surveys and newsletters on the "
        "local labour market; the programme plans ten digital issues of Lavoro Informa "
        "a year.",
    ),
    (
        "comunita",
        "Comunità",
        "La comunità professionale degli operatori dei servizi per l'impiego e la rete "
        "degli Sportelli Lavoro.",
        "Gli operatori dei servizi per l'impiego confrontano esperienze nei gruppi della "
        "comunità; gli Sportelli Lavoro attivati con SILLA si scambiano informazioni su "
        "candidature e offerte di lavoro.",
        "Community",
        "The professional community of employment-service operators and the network of "
        "job desks.",
        "Employment-service operators compare experiences in the community's groups; "
        "the job desks opened with SILLA exchange information on candidates and "
        "vacancies.",
    ),
    (
        "kit",
        "Kit SILLA",
        "Le amministrazioni registrate scaricano il kit SILLA e i suoi aggiornamenti e "
        "lo installano sulla propria infrastruttura.",
        "Dopo una semplice registrazione, le amministrazioni possono scaricare dal "
        "portale il kit SILLA, con le applicazioni già utilizzate dagli Sportelli Lavoro "
        "della prima edizione del progetto, e installarlo in piena autonomia.",
        "SILLA kit",
        "Registered administrations download the SILLA kit and its updates and install "
        "it on their own infrastructure.",
        "After a simple registration, administrations can download the SILLA kit from "
        "the portal, with the applications already used by the job desks of the "
        "project's first edition, and install it on their own.",
    ),
]

# (slug, Italian title, summary, paragraphs; English title, summary, paragraphs).
# The accessibility statement, contacts and legal notes are in legal.py.
STANDARD_PAGES = [
    (
        "privacy",
        "Informativa sulla privacy",
        "Come il portale tratta i dati personali di chi lo visita e di chi si registra.",
        [
            "Il portale tratta i dati personali ai sensi del Regolamento (UE) 2016/679 "
            "(GDPR) e del D.Lgs. 196/2003.",
            "Per la registrazione trattiamo l'indirizzo email, il nome e l'eventuale "
            "amministrazione di appartenenza, al solo fine di gestire l'account, "
            "l'accesso ai materiali riservati e la partecipazione alla comunità.",
            "Il sito usa solo cookie tecnici necessari al funzionamento (sessione e "
            "protezione dei moduli) e nessun cookie di profilazione.",
            "Puoi chiedere in ogni momento l'accesso, la rettifica o la cancellazione dei "
            "tuoi dati scrivendo alla redazione.",
        ],
        "Privacy notice",
        "How the portal processes the personal data of visitors and registered users.",
        [
            "The portal processes personal data under Regulation (EU) 2016/679 (GDPR) "
            "and Italian Legislative Decree 196/2003.",
            "For registration we process your email address, your name and the "
            "administration you belong to, if any, only to manage your account, access "
            "to restricted material and participation in the community.",
            "The site uses only the technical cookies it needs to work (session and form "
            "protection) and no profiling cookies.",
            "You can ask at any time to access, correct or delete your data by writing "
            "to the editorial team.",
        ],
    ),
]

ORGANISATIONS = [
    {
        "name": "FormezPA",
        "kind": "altro",
        "region": "12",
        "province": "Roma",
        "website": "https://www.formez.it",
    },
    {
        "name": "Ministero del Lavoro e delle Politiche Sociali",
        "kind": "ministero",
        "region": "12",
        "province": "Roma",
        "website": "https://www.lavoro.gov.it",
    },
]
