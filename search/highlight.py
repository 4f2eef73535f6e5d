"""Matching words in bold: escape the text first, then wrap the words whose
stem the query asked for in <mark>. Content HTML is never trusted."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import fold, stem

_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 36


def _matches(word: str, stems: frozenset[str], language: str) -> bool:
    return stem(fold(word), language) in stems


def highlight(
    text: str, stems: list[str] | tuple[str, ...], language: str, *, snippet=False
) -> SafeString:
    """``text`` escaped, with matching words marked; a window of about
    SNIPPET_WORDS words around the first match when ``snippet`` is true."""
    wanted = frozenset(stems)
    words = list(_WORD.finditer(text))
    start, end, prefix, suffix = 0, len(text), "", ""
    if snippet and len(words) > SNIPPET_WORDS:
        first = next(
            (i for i, m in enumerate(words) if _matches(m.group(), wanted, language)),
            0,
        )
        lo = max(0, first - SNIPPET_WORDS // 3)
        hi = min(len(words), lo + SNIPPET_WORDS)
        start, end = words[lo].start(), words[hi - 1].end()
        prefix = "… " if lo > 0 else ""
        suffix = " …" if hi < len(words) else ""
    parts = [prefix]
    position = start
    for match in words:
        if match.start() < start or match.end() > end:
            continue
        parts.append(escape(text[position : match.start()]))
        word = escape(match.group())
        if _matches(match.group(), wanted, language):
            word = f"<mark>{word}</mark>"
        parts.append(word)
        position = match.end()
    parts.append(escape(text[position:end]))
    parts.append(suffix)
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
