"""What other apps contribute to search, declared by them, read here.

Wagtail pages are searchable by being pages: their ``search_fields`` say what
text they carry (see ``documents.page_document``). Anything else an app wants
found declares itself in its own ``search.py``, which ``SearchConfig.ready``
imports for every installed app (as the admin discovers ``admin.py``):

    from search.registry import Kind, Source, register

    register(Source(
        model=Vacancy,
        kinds=(Kind("sportelli.vacancy", _("Job vacancy")),),
        update=vacancies_update,        # changed rows -> keys to replace, documents
        documents=vacancy_documents,    # every document, in batches (reindex)
        deleted_keys=lambda pk: [f"vacancy:{pk}"],
    ))

The search app then keeps the index in step with the model's saves and deletes
(on the task worker, after commit), rebuilds it with ``search_reindex``, offers
each kind in the "content type" facet with its label, and never imports the app.

Documents readable only by some people carry a ``group_id``; an app that owns
such documents registers the function that says which ids a user may read
(``register_access``). Today only the community's groups use it.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise

from .documents import DocumentData


@dataclass(frozen=True)
class Kind:
    """A type of document as visitors see it in results and in the type facet."""

    value: str
    label: Promise | str


@dataclass
class Update:
    """What changed rows mean for the index: drop every key in ``keys`` that is
    not among ``documents``, (re)index ``documents``."""

    keys: list[str] = field(default_factory=list)
    documents: list[DocumentData] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """One model whose rows become search documents."""

    model: type[models.Model]
    kinds: tuple[Kind, ...]
    update: Callable[[Sequence[int]], Update]
    documents: Callable[[int], Iterator[list[DocumentData]]]
    deleted_keys: Callable[[int], list[str]]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_sources: dict[str, Source] = {}
_access: list[Callable[[object], Iterable[int]]] = []


def register(source: Source) -> Source:
    """Declare ``source``; registering the same model again replaces it."""
    _sources[source.label] = source
    return source


def register_access(provider: Callable[[object], Iterable[int]]) -> None:
    """Declare who may read restricted documents: ``provider(user)`` returns the
    ``group_id`` values ``user`` may read."""
    if provider not in _access:
        _access.append(provider)


def sources() -> list[Source]:
    return list(_sources.values())


def source_for(label: str) -> Source | None:
    """The source of the model labelled ``label`` ("app_label.model")."""
    return _sources.get(label)


def kinds() -> dict[str, Kind]:
    """Every registered kind by its value."""
    return {kind.value: kind for source in _sources.values() for kind in source.kinds}


def readable_group_ids(user) -> tuple[int, ...]:
    """The restricted documents' ids ``user`` may read, asked now (never cached:
    a removed member stops finding a private group on the very next query)."""
    ids: set[int] = set()
    for provider in _access:
        ids.update(provider(user))
    return tuple(sorted(ids))
