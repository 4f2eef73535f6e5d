"""Turning what a visitor typed into a safe search query."""

import re

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+")


def query_terms(raw: str) -> list[str]:
    """The words of a query, lower-cased, without operators or punctuation.

    Quotes, asterisks, colons, parentheses and the like have a meaning to search
    engines (FTS5, PostgreSQL, Elasticsearch) and a malformed use of them is an
    error there; visitors mean words. The pattern is a single character class, so
    matching is linear in the input (no catastrophic backtracking), and the input is
    cut to MAX_QUERY_CHARS before it is read.
    """
    return [word.lower() for word in _WORD.findall(raw[:MAX_QUERY_CHARS])][:MAX_TERMS]
