"""“Did you mean”: the closest words of the indexed public titles, by a bounded
edit distance (at most two edits, words of similar length only)."""

from django.core.cache import cache

from .models import SearchDocument
from .query import _WORD, fold

VOCABULARY_SECONDS = 10 * 60
MAX_VOCABULARY = 50_000
MAX_DISTANCE = 2


def vocabulary(language: str) -> frozenset[str]:
    """Folded words of at least three letters in public titles of ``language``
    (community titles are left out: they must not leak through suggestions)."""
    key = f"search:vocabulary:{language}:v1"
    words = cache.get(key)
    if words is None:
        found: set[str] = set()
        titles = (
            SearchDocument.objects.filter(language=language, group_id__isnull=True)
            .values_list("title", flat=True)
            .iterator(chunk_size=2000)
        )
        for title in titles:
            found.update(w for w in _WORD.findall(fold(title)) if len(w) >= 3)
            if len(found) >= MAX_VOCABULARY:
                break
        words = frozenset(found)
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def distance(a: str, b: str, limit: int = MAX_DISTANCE) -> int:
    """Levenshtein distance, giving up (limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


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
        if folded in known or len(folded) < 3 or folded.isdigit():
            result.append(word)
            continue
        best, best_distance = word, MAX_DISTANCE + 1
        for candidate in known:
            limit = min(MAX_DISTANCE, best_distance)
            d = distance(folded, candidate, limit)
            if d > limit:
                continue
            if d < best_distance or (d == best_distance and candidate < best):
                best, best_distance = candidate, d
        if best_distance <= MAX_DISTANCE:
            changed = True
            result.append(best)
        else:
            result.append(word)
    return " ".join(result) if changed else ""
