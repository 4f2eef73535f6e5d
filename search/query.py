"""Turning what a visitor typed into a safe search query, and text into terms.

Every backend sees the same words: the query is cut, split on a single character
class (linear time, no catastrophic backtracking), lower-cased, accent-folded and
lightly stemmed the same way the documents were, so "attività" finds "attivita"
and "osservatorio" finds "Osservatori" on SQLite, PostgreSQL and Elasticsearch.
"""

import re
import unicodedata

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


def stem(word: str, language: str) -> str:
    """A light, predictable stem of a folded word.

    Italian: drop up to two final vowels while at least three letters remain and
    turn a final "ch"/"gh" back into "c"/"g" (pratica, pratiche -> pratic;
    osservatorio, osservatori -> osservator). English: drop a plural "s" and a
    final "e" (practices, practice -> practic). Digits are kept as they are.
    """
    if word.isdigit():
        return word
    if language == "en":
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
        return word
    for _ in range(2):
        if len(word) > 3 and word[-1] in _VOWELS:
            word = word[:-1]
    if len(word) > 3 and word.endswith(("ch", "gh")):
        word = word[:-1]
    return word


def analyse(text: str, language: str) -> list[str]:
    """Every stemmed, folded word of ``text`` (for indexing), in order."""
    return [stem(word, language) for word in _WORD.findall(fold(text))]


def query_stems(raw: str, language: str) -> list[str]:
    """The distinct stems of a visitor's query, in the order typed."""
    stems: list[str] = []
    for word in query_terms(raw):
        for part in _WORD.findall(fold(word)):
            stemmed = stem(part, language)
            if stemmed not in stems:
                stems.append(stemmed)
    return stems[:MAX_TERMS]


def normalise_query(raw: str) -> str:
    """The query as logged and matched by promotions: its folded words, joined."""
    return " ".join(fold(word) for word in query_terms(raw))[:MAX_QUERY_CHARS]
