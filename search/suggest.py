"""“Did you mean”: for each word the index does not know, the closest word it
does know, by edit distance (rapidfuzz's Levenshtein), over the words of the
public documents of the visitor's language (titles and texts).

Restricted documents (private discussions) are left out: their words must not
leak through suggestions. Among equally close words the most frequent wins.
"""

from collections import Counter

from django.core.cache import cache
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .models import SearchDocument
from .query import _WORD, fold

VOCABULARY_SECONDS = 10 * 60
MAX_VOCABULARY = 50_000
MAX_DOCUMENTS = 20_000
MIN_WORD = 3


def max_distance(word: str) -> int:
    """Edits allowed for a word of this length: one up to five letters, two up
    to ten, three beyond ("observatry" → "observatory", "sportelo" → "sportello")."""
    if len(word) <= 5:
        return 1
    return 2 if len(word) <= 10 else 3


def vocabulary(language: str) -> dict[str, int]:
    """Folded words of at least three letters of the public documents of
    ``language``, with how many times they occur (titles count double)."""
    key = f"search:vocabulary:{language}:v2"
    words = cache.get(key)
    if words is None:
        counts: Counter[str] = Counter()
        rows = (
            SearchDocument.objects.live()
            .filter(language=language, group_id__isnull=True)
            .order_by("-date", "-pk")
            .values_list("title", "text")[:MAX_DOCUMENTS]
        )
        for title, text in rows.iterator(chunk_size=2000):
            title_words = [w for w in _WORD.findall(fold(title)) if len(w) >= MIN_WORD]
            counts.update(title_words)
            counts.update(title_words)
            counts.update(w for w in _WORD.findall(fold(text)) if len(w) >= MIN_WORD)
        words = dict(counts.most_common(MAX_VOCABULARY))
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def closest(word: str, known: dict[str, int]) -> str | None:
    """The known word nearest ``word`` within ``max_distance``, or None."""
    limit = max_distance(word)
    matches = process.extract(
        word,
        known.keys(),
        scorer=Levenshtein.distance,
        score_cutoff=limit,
        limit=20,
    )
    if not matches:
        return None
    best = min(matches, key=lambda match: (match[1], -known[match[0]], match[0]))
    return best[0]


def did_you_mean(words: list[str], language: str) -> str:
    """The query with unknown words replaced by their closest known word, or ""
    when nothing would change."""
    known = vocabulary(language)
    if not known:
        return ""
    changed = False
    result = []
    for word in words:
        folded = fold(word)
        if folded in known or len(folded) < MIN_WORD or folded.isdigit():
            result.append(word)
            continue
        best = closest(folded, known)
        if best is None:
            result.append(word)
        else:
            changed = True
            result.append(best)
    return " ".join(result) if changed else ""
