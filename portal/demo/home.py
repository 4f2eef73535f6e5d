"""The home page's hero call to action and highlighted items, in Italian with
the English home's words, set once the pages they point to exist (run last by
``load_demo``; idempotent)."""

from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from portal.demo import content
from portal.services import MissingStringsError, page_translate

# The call to action: (path of the page under the home, Italian words, English
# words).
HERO_LINK = (
    "buone-pratiche",
    "Scopri le buone pratiche",
    "Discover the good practices",
)

# Highlighted items: (path under the home, Italian title, Italian text,
# English title, English text); an empty title or text shows the page's own.
HIGHLIGHTS = [
    (
        "buone-pratiche/collocamento-mirato-icf",
        "",
        "Come un Centro per l'Impiego ha portato il modello ICF nel collocamento "
        "mirato delle persone con disabilità.",
        "",
        "How a job centre brought the ICF model into the targeted placement of "
        "people with disabilities.",
    ),
    (
        "kit/silla",
        "Il kit SILLA per gli Sportelli Lavoro",
        "Le applicazioni per candidature, offerte e appuntamenti, gratuite per le "
        "amministrazioni registrate.",
        "The SILLA kit for job desks",
        "The applications for applications, vacancies and appointments, free for "
        "registered administrations.",
    ),
    (
        "progetti/servizi-per-il-lavoro",
        "",
        "",
        "",
        "",
    ),
]


def _find(home, path: str) -> Page | None:
    return Page.objects.filter(
        url_path=f"{home.url_path}{path}/", locale_id=home.locale_id, live=True
    ).first()


def load(*, home, stdout) -> None:
    home = home.specific
    link = _find(home, HERO_LINK[0])
    items = []
    english = {}
    for path, title, text, en_title, en_text in HIGHLIGHTS:
        page = _find(home, path)
        if page is None:
            continue  # that app's demo did not run
        items.append(("item", {"page": page, "title": title, "text": text}))
        english.update({title: en_title, text: en_text})
    wanted = [(block["page"].pk, block["title"], block["text"]) for _, block in items]
    current = [
        (item["value"]["page"], item["value"]["title"], item["value"]["text"])
        for item in home.highlights.raw_data
    ]
    if wanted == current and home.hero_link_page_id == (link and link.pk):
        return
    home.highlights = items
    home.hero_link_page = link
    home.hero_link_text = HERO_LINK[1] if link else ""
    home.save_revision().publish()
    stdout.write("Home page: call to action and highlighted items set.")

    home_en = home.get_translations().filter(locale__language_code="en").first()
    if home_en is None:
        return
    # The English home follows: its source gets the new fields, then every
    # string of the home is given its English words again.
    TranslationSource.update_or_create_from_instance(home)
    strings = {HERO_LINK[1]: HERO_LINK[2]}
    for italian_value, english_value in content.HOME.values():
        if isinstance(italian_value, list):
            strings.update(zip(italian_value, english_value, strict=True))
        else:
            strings[italian_value] = english_value
    strings.update({key: value for key, value in english.items() if key})
    # A home whose words are not the demo's (edited by hand) keeps its English
    # title and summary.
    strings.setdefault(home.title, home_en.title)
    if home.summary:
        strings.setdefault(home.summary, home_en.specific.summary)
    try:
        page_translate(
            page=home, language_code="en", strings=strings, slug=home_en.slug
        )
    except MissingStringsError as error:
        stdout.write(f"English home not updated: {error}")
