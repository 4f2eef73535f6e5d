"""Demo of the AgID pages: the accessibility statement, contacts and legal
notes, in Italian with English translations (run by ``load_demo``).

The statement is filled as it honestly stands for this portal: partially
compliant, with the content editors and users publish that the portal cannot
make accessible by itself. Addresses are the demo's own (``.example``).
"""

import datetime as dt

from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page, Site

from portal.legal.models import (
    AccessibilityStatementPage,
    ContactPage,
    LegalNotesPage,
)
from portal.models import PortalSettings
from portal.services import page_translate, site_url

STATEMENT_SLUG = "dichiarazione-accessibilita"

# (Italian, English) pairs; lists are paragraphs of a rich-text field.
STATEMENT = {
    "title": ("Dichiarazione di accessibilità", "Accessibility statement"),
    "summary": (
        "Quanto il portale rispetta i requisiti di accessibilità, quali contenuti "
        "non sono ancora accessibili e come segnalarci un problema.",
        "How far the portal meets the accessibility requirements, which content "
        "is not accessible yet and how to report a problem to us.",
    ),
    "administration_name": ("FormezPA", "FormezPA"),
    "conformance_notes": (
        [
            "Le pagine del portale, i moduli e le funzioni della comunità sono "
            "progettati e verificati per il livello AA. Non lo sono ancora del tutto "
            "alcuni documenti e alcune tabelle, elencati qui sotto con le "
            "alternative disponibili."
        ],
        [
            "The portal's pages, forms and community features are designed and "
            "checked for level AA. Some documents and some tables are not fully "
            "there yet; they are listed below with the alternatives available."
        ],
    ),
    "evaluation_notes": (
        "Autovalutazione della redazione: controlli automatici con axe-core su ogni "
        "tipo di pagina in italiano e in inglese, prove di navigazione da tastiera "
        "e con lettore di schermo (NVDA), verifica dei documenti a campione.",
        "Self-assessment by the editorial team: automated checks with axe-core on "
        "every page type in Italian and English, keyboard and screen-reader (NVDA) "
        "tests, and a sample of the documents checked by hand.",
    ),
}

# (reason, (content, explanation, alternative) in Italian, the same in English)
NON_ACCESSIBLE = [
    (
        "non_conformity",
        (
            "Documenti PDF allegati alle pagine dalla redazione",
            "Una parte dei PDF caricati come allegati (schede di progetto, report, "
            "materiali dei seminari) è una scansione o non ha tag di struttura, "
            "testo alternativo per le immagini e lingua del documento (criteri "
            "WCAG 1.1.1, 1.3.1 e 3.1.1).",
            "Chiedi alla redazione una versione accessibile (testo, ODT o PDF "
            "taggato) all'indirizzo indicato sotto: la inviamo entro 15 giorni. I "
            "nuovi allegati sono controllati prima della pubblicazione.",
        ),
        (
            "PDF documents attached to pages by the editorial team",
            "Some of the PDFs uploaded as attachments (project sheets, reports, "
            "seminar materials) are scans or lack structure tags, text alternatives "
            "for images and the document language (WCAG criteria 1.1.1, 1.3.1 and "
            "3.1.1).",
            "Ask the editorial team for an accessible version (text, ODT or tagged "
            "PDF) at the address below: we send it within 15 days. New attachments "
            "are checked before they are published.",
        ),
    ),
    (
        "non_conformity",
        (
            "Tabelle degli obiettivi e dei report di monitoraggio",
            "Su schermi stretti e con lo zoom al 200% le tabelle più larghe "
            "richiedono lo scorrimento orizzontale (criterio WCAG 1.4.10, "
            "ridisposizione del contenuto).",
            "Gli stessi dati sono scaricabili da ogni pagina come dati aperti in "
            "CSV e JSON, leggibili con qualsiasi foglio di calcolo.",
        ),
        (
            "Tables of the monitoring objectives and reports",
            "On narrow screens and at 200% zoom the widest tables need horizontal "
            "scrolling (WCAG criterion 1.4.10, reflow).",
            "The same data can be downloaded from each page as open data in CSV and "
            "JSON, which any spreadsheet can read.",
        ),
    ),
    (
        "out_of_scope",
        (
            "Documenti d'archivio dei progetti 2010-2013",
            "Documenti in formato office pubblicati prima del 23 settembre 2018 e "
            "non necessari a procedimenti amministrativi in corso: la normativa li "
            "esclude dall'obbligo.",
            "Su richiesta alla redazione ne forniamo una versione accessibile.",
        ),
        (
            "Archive documents of the 2010-2013 projects",
            "Office-format documents published before 23 September 2018 and not "
            "needed for administrative processes under way: the law exempts them.",
            "On request, the editorial team provides an accessible version.",
        ),
    ),
    (
        "out_of_scope",
        (
            "Allegati e testi pubblicati dagli utenti nella comunità",
            "Sono contenuti di terzi, non prodotti né controllati "
            "dall'amministrazione. Il portale chiede a chi pubblica un titolo e una "
            "descrizione per ogni file.",
            "Puoi chiedere a chi ha pubblicato il file, o alla redazione, una "
            "versione accessibile.",
        ),
        (
            "Attachments and texts that users post in the community",
            "They are third-party content, neither produced nor controlled by the "
            "administration. The portal asks whoever posts a file for a title and a "
            "description.",
            "You can ask the person who posted the file, or the editorial team, for "
            "an accessible version.",
        ),
    ),
]

CONTACTS = {
    "title": ("Contatti", "Contacts"),
    "summary": (
        "Gli uffici che curano il portale e il kit SILLA: indirizzi, email, PEC, "
        "telefono e orari.",
        "The offices behind the portal and the SILLA kit: addresses, email, "
        "certified email, phone and opening hours.",
    ),
    "intro": (
        [
            "Per le comunicazioni con valore legale usa la posta elettronica "
            "certificata (PEC). Per le domande sui contenuti e sul kit scrivi "
            "all'ufficio competente: rispondiamo di norma entro cinque giorni "
            "lavorativi."
        ],
        [
            "For communications with legal value use certified email (PEC). For "
            "questions about the content or the kit, write to the office concerned: "
            "we usually reply within five working days."
        ],
    ),
}

ADDRESS = "FormezPA\nViale Carlo Marx 15\n00137 Roma"
# (name, description, email, pec, phone, hours) in Italian and in English
OFFICES = [
    (
        (
            "Redazione di Esplora Lavoro",
            "Contenuti del portale, comunità, segnalazioni di problemi di "
            "accessibilità e richieste di documenti accessibili.",
            "redazione@esploralavoro.example",
            "esploralavoro@pec.esploralavoro.example",
            "+39 06 0000 0000",
            "Dal lunedì al venerdì, 9:00-13:00 e 14:30-16:30",
        ),
        (
            "Esplora Lavoro editorial team",
            "The portal's content, the community, reports of accessibility "
            "problems and requests for accessible documents.",
            None,
            None,
            "+39 06 0000 0000",
            "Monday to Friday, 9:00-13:00 and 14:30-16:30",
        ),
    ),
    (
        (
            "Assistenza kit SILLA",
            "Registrazione delle amministrazioni, download e installazione del kit "
            "SILLA e dei suoi aggiornamenti.",
            "assistenza-silla@esploralavoro.example",
            "",
            "+39 06 0000 0001",
            "Dal lunedì al giovedì, 10:00-12:00",
        ),
        (
            "SILLA kit support",
            "Registration of administrations, download and installation of the "
            "SILLA kit and its updates.",
            None,
            None,
            "+39 06 0000 0001",
            "Monday to Thursday, 10:00-12:00",
        ),
    ),
]

LEGAL_NOTES = {
    "title": ("Note legali", "Legal notes"),
    "summary": (
        "Licenza dei contenuti, condizioni d'uso del sito, dati personali e cookie.",
        "Licence of the content, terms of use of the site, personal data and cookies.",
    ),
    "copyright_holder": ("FormezPA", "FormezPA"),
    "licence_notes": (
        [
            "Fanno eccezione i loghi e i marchi, i documenti che indicano una "
            "licenza propria e i contenuti pubblicati dagli utenti nella comunità, "
            "che restano dei rispettivi autori.",
            'Per riutilizzare i contenuti cita la fonte come "Esplora Lavoro - '
            'FormezPA" con il collegamento alla pagina di origine.',
        ],
        [
            "Logos and trademarks, documents that state a licence of their own and "
            "content that users post in the community are excepted: they remain "
            "their authors'.",
            'To reuse the content, credit the source as "Esplora Lavoro - '
            'FormezPA" with a link to the original page.',
        ],
    ),
    "terms_of_use": (
        [
            "La redazione cura l'esattezza e l'aggiornamento delle informazioni, ma "
            "non risponde di eventuali errori o di decisioni prese solo sulla base "
            "dei contenuti del portale: fanno fede gli atti ufficiali.",
            "I collegamenti a siti esterni sono forniti per comodità: la redazione "
            "non ne controlla i contenuti.",
            "Chi partecipa alla comunità si impegna a rispettarne le regole; la "
            "redazione può rimuovere i contenuti che le violano.",
        ],
        [
            "The editorial team takes care that the information is correct and up "
            "to date, but is not liable for errors or for decisions taken only on "
            "the basis of the portal's content: the official acts prevail.",
            "Links to external sites are provided for convenience: the editorial "
            "team does not control their content.",
            "Whoever takes part in the community agrees to follow its rules; the "
            "editorial team may remove content that breaks them.",
        ],
    ),
    "cookies": (
        [
            "Il portale usa solo cookie tecnici, necessari al suo funzionamento: il "
            "cookie di sessione per chi accede con le proprie credenziali e il "
            "cookie che protegge i moduli dagli invii contraffatti (CSRF).",
            "Non usa cookie di profilazione, né cookie o strumenti di terze parti "
            "che tracciano i visitatori: per questo non chiede il consenso.",
        ],
        [
            "The portal uses only technical cookies that it needs to work: the "
            "session cookie for people who sign in, and the cookie that protects "
            "forms from forged submissions (CSRF).",
            "It uses no profiling cookies and no third-party cookies or tools that "
            "track visitors: so it does not ask for consent.",
        ],
    ),
}


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def _strings(spec: dict) -> dict[str, str]:
    strings: dict[str, str] = {}
    for italian, english in spec.values():
        if isinstance(italian, list):
            strings.update(zip(italian, english, strict=True))
        else:
            strings[italian] = english
    return strings


def _existing(home: Page, model, slug: str):
    """The page at ``slug`` under ``home`` if it is a ``model``; an older page
    of another type there (the statement used to be a plain page) is removed
    with its translations."""
    page = home.get_children().filter(slug=slug).first()
    if page is None:
        return None
    if page.specific_class is model:
        return page.specific
    for translation in page.get_translations():
        translation.delete()
    page.delete()
    return None


def _create(home: Page, page: Page) -> Page:
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _statement(home: Page) -> AccessibilityStatementPage:
    page = _existing(home, AccessibilityStatementPage, STATEMENT_SLUG)
    if page is not None:
        return page
    items = [
        (
            "item",
            {
                "content": italian[0],
                "reason": reason,
                "explanation": italian[1],
                "alternative": italian[2],
            },
        )
        for reason, italian, _english in NON_ACCESSIBLE
    ]
    return _create(
        home,
        AccessibilityStatementPage(
            slug=STATEMENT_SLUG,
            title=STATEMENT["title"][0],
            summary=STATEMENT["summary"][0],
            administration_name=STATEMENT["administration_name"][0],
            site_url=site_url() + "/",
            conformance_status=AccessibilityStatementPage.Conformance.PARTIAL,
            conformance_notes=_paragraphs(STATEMENT["conformance_notes"][0]),
            non_accessible_content=items,
            prepared_on=dt.date(2026, 9, 15),
            reviewed_on=dt.date(2026, 11, 30),
            evaluation_method=AccessibilityStatementPage.Method.SELF,
            evaluation_notes=STATEMENT["evaluation_notes"][0],
            feedback_email="accessibilita@esploralavoro.example",
            feedback_response_days=30,
        ),
    )


def _contacts(home: Page) -> ContactPage:
    page = _existing(home, ContactPage, "contatti")
    if page is not None:
        return page
    offices = [
        (
            "office",
            {
                "name": italian[0],
                "description": italian[1],
                "address": ADDRESS,
                "email": italian[2],
                "pec": italian[3],
                "phone": italian[4],
                "hours": italian[5],
            },
        )
        for italian, _english in OFFICES
    ]
    return _create(
        home,
        ContactPage(
            slug="contatti",
            title=CONTACTS["title"][0],
            summary=CONTACTS["summary"][0],
            intro=_paragraphs(CONTACTS["intro"][0]),
            offices=offices,
        ),
    )


def _legal_notes(home: Page, privacy: Page | None) -> LegalNotesPage:
    page = _existing(home, LegalNotesPage, "note-legali")
    if page is not None:
        return page
    return _create(
        home,
        LegalNotesPage(
            slug="note-legali",
            title=LEGAL_NOTES["title"][0],
            summary=LEGAL_NOTES["summary"][0],
            copyright_holder=LEGAL_NOTES["copyright_holder"][0],
            licence=LegalNotesPage.Licence.CC_BY_4,
            licence_notes=_paragraphs(LEGAL_NOTES["licence_notes"][0]),
            terms_of_use=_paragraphs(LEGAL_NOTES["terms_of_use"][0]),
            privacy_page=privacy,
            cookies=_paragraphs(LEGAL_NOTES["cookies"][0]),
        ),
    )


def _translate(page: Page, strings: dict[str, str]) -> None:
    if page.get_translations().filter(locale__language_code="en").exists():
        return
    page_translate(page=page, language_code="en", strings=strings)


def _statement_strings() -> dict[str, str]:
    strings = _strings(STATEMENT)
    for _reason, italian, english in NON_ACCESSIBLE:
        strings.update(zip(italian, english, strict=True))
    return strings


def _contact_strings() -> dict[str, str]:
    strings = _strings(CONTACTS)
    # wagtail-localize keeps a multi-line text as one string with <br/>.
    address = ADDRESS.replace("\n", "<br/>")
    strings[address] = address
    for italian, english in OFFICES:
        for source, target in zip(italian, english, strict=True):
            if target is not None:
                strings[source] = target
    return strings


def load(*, home: Page, stdout) -> None:
    with transaction.atomic():
        privacy = home.get_children().filter(slug="privacy").first()
        statement = _statement(home)
        contacts = _contacts(home)
        notes = _legal_notes(home, privacy)
        site = Site.objects.filter(root_page=home).first()
        if site is not None:
            portal_settings = PortalSettings.for_site(site)
            portal_settings.accessibility_page = statement
            portal_settings.save()
        _translate(statement, _statement_strings())
        _translate(contacts, _contact_strings())
        _translate(notes, _strings(LEGAL_NOTES))
    stdout.write("Accessibility statement, contacts and legal notes ready.")
