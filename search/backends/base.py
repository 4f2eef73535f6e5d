"""The one behaviour every search backend has.

``SearchBackend`` is what the selectors call: index and delete documents, and
answer a query already reduced to stems, filtered by facets, the visitor's
language and the community groups the visitor may read.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from ..documents import DocumentData

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
FACETS = ("kind", "topic", "target", "region", "year")


@dataclass(frozen=True)
class Filters:
    """Facet values chosen by the visitor: OR within a facet, AND across facets."""

    kind: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    year: tuple[int, ...] = ()

    def active(self) -> bool:
        return any(getattr(self, name) for name in FACETS)


@dataclass
class Hit:
    key: str
    kind: str
    title: str
    text: str
    url: str
    date: dt.date | None


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # The match was larger than the backend counts exactly: ``total`` is that
    # limit (there are more), the facet counts are those of the matches it
    # counted, and the pages go no further.
    approximate: bool = False


@dataclass(frozen=True)
class Query:
    """``stems`` for the embedded backend; ``words`` (folded, no operators) for
    engines that analyse text themselves. ``match_any``: a document needs only
    one of the stems (the fallback when all of them find nothing); those with
    more of them rank first."""

    stems: tuple[str, ...]
    language: str
    group_ids: tuple[int, ...]
    filters: Filters = Filters()
    sort: str = SORT_RELEVANCE
    page: int = 1
    page_size: int = 10
    words: tuple[str, ...] = ()
    match_any: bool = False


class SearchBackend(Protocol):
    name: str

    def index(self, documents: list[DocumentData]) -> None:
        """Add or replace these documents."""

    def delete(self, keys: list[str]) -> None:
        """Remove the documents with these keys (unknown keys are ignored)."""

    def query(self, query: Query) -> Results:
        """One page of hits (a page beyond the last gives the last page) with
        facet counts over every match."""

    def reset(self) -> None:
        """Start a full rebuild (``finish`` makes it visible)."""

    def finish(self) -> None:
        """Make a rebuild started by ``reset`` visible."""


def page_bounds(total: int, page: int, page_size: int) -> tuple[int, int]:
    """(page, num_pages), with the page clamped into 1..num_pages."""
    num_pages = max(1, -(-total // page_size))
    return min(max(1, page), num_pages), num_pages
