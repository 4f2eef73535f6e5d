"""Turning what a visitor typed into a safe search query, and text into terms.

Every backend sees the same words: the query is cut, split on a single character
class (linear time, no catastrophic backtracking), lower-cased, accent-folded,
stripped of stop words and stemmed the same way the documents were, so
"attività" finds "attivita", "osservatorio" finds "Osservatori" and "policy"
finds "policies" on SQLite, PostgreSQL and Elasticsearch. Changing the stemmer
(``SEARCH_STEMMER``) needs ``manage.py search_reindex``.
"""

import functools
import re
import unicodedata

from django.conf import settings

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+")
_VOWELS = frozenset("aeiou")


def fold(text: str) -> str:
    """Lower-case ``text`` and remove accents ("Attività" -> "attivita")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_terms(raw: str) -> list[str]:
    """The words of a query, lower-cased, without operators or punctuation.

    Quotes, asterisks, colons, parentheses and the like have a meaning to search
    engines (FTS5, PostgreSQL, Elasticsearch) and a malformed use of them is an
    error there; visitors mean words. The pattern is a single character class, so
    matching is linear in the input (no catastrophic backtracking), and the input is
    cut to MAX_QUERY_CHARS before it is read.
    """
    return [word.lower() for word in _WORD.findall(raw[:MAX_QUERY_CHARS])][:MAX_TERMS]


# Function words that carry no meaning for a search, folded; elided forms
# ("dell'", "l'", "un'") appear as their own word once the apostrophe splits them.
STOP_WORDS = {
    "it": frozenset(
        """a ad agli al alla alle allo ai all c che col con d da dagli dai dal
        dall dalla dalle dallo de degli dei del dell della delle dello di e ed gli
        i il in l la le lo ma ne negli nei nel nell nella nelle nello o od per
        quell quest s su sugli sui sul sull sulla sulle sullo tra fra un una uno
        è""".split()
    ),
    "en": frozenset(
        """a an and are as at be by for from in into is it its of on or the to
        with""".split()
    ),
}


def _light_stem(word: str, language: str) -> str:
    """A light, predictable stem of a folded word.

    Italian: "-ita" (from "-ità") goes with its vowel ("disabilita",
    "disabili" -> "disabil"); then up to two final vowels while at least three
    letters remain, and a final "ch"/"gh" back to "c"/"g" (pratica, pratiche ->
    pratic; osservatorio, osservatori -> osservator). English: "-ies" is "-y"
    (policies -> policy), then a plural "s" and a final "e" go (practices,
    practice -> practic). Digits are kept as they are.
    """
    if word.isdigit():
        return word
    if language == "en":
        if len(word) > 4 and word.endswith("ies"):
            return word[:-3] + "y"
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
        return word
    if len(word) > 6 and word.endswith("ita"):
        word = word[:-3]
    for _ in range(2):
        if len(word) > 3 and word[-1] in _VOWELS:
            word = word[:-1]
    if len(word) > 3 and word.endswith(("ch", "gh")):
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=8)
def _snowball(language: str):
    import Stemmer

    return Stemmer.Stemmer("english" if language == "en" else "italian")


def stem(word: str, language: str) -> str:
    """The stem of a folded word with the configured stemmer
    (``SEARCH_STEMMER``: "light", the default, or "snowball")."""
    return _stem(word, language, stemmer_name())


@functools.lru_cache(maxsize=200_000)
def _stem(word: str, language: str, stemmer: str) -> str:
    if stemmer == "snowball" and not word.isdigit():
        return _snowball(language).stemWord(word)
    return _light_stem(word, language)


def stemmer_name() -> str:
    return getattr(settings, "SEARCH_STEMMER", "light")


def is_stop_word(folded: str, language: str) -> bool:
    return folded in STOP_WORDS.get(language, STOP_WORDS["it"])


def analyse(text: str, language: str) -> list[str]:
    """Every stemmed, folded word of ``text`` but the stop words (for
    indexing), in order."""
    return [
        stem(word, language)
        for word in _WORD.findall(fold(text))
        if not is_stop_word(word, language)
    ]


def query_stems(raw: str, language: str) -> list[str]:
    """The distinct stems of a visitor's query, in the order typed, without
    stop words (unless the query has nothing else)."""
    parts = [part for word in query_terms(raw) for part in _WORD.findall(fold(word))]
    meaningful = [part for part in parts if not is_stop_word(part, language)]
    stems: list[str] = []
    for part in meaningful or parts:
        stemmed = stem(part, language)
        if stemmed not in stems:
            stems.append(stemmed)
    return stems[:MAX_TERMS]


def normalise_query(raw: str) -> str:
    """The query as logged and matched by promotions: its folded words, joined."""
    return " ".join(fold(word) for word in query_terms(raw))[:MAX_QUERY_CHARS]
