"""The configured search backends: the embedded one always (it holds the
normalised documents), Elasticsearch as well when ELASTICSEARCH_URL is set."""

from ..conf import elasticsearch_url
from .base import SearchBackend


def database_backend() -> SearchBackend:
    from .database import DatabaseSearchBackend

    return DatabaseSearchBackend()


def elastic_backend(url: str | None = None) -> SearchBackend | None:
    url = url or elasticsearch_url()
    if not url:
        return None
    from .elastic import ElasticSearchBackend

    return ElasticSearchBackend(url)


def query_backend() -> SearchBackend:
    """The backend that answers visitors' queries."""
    return elastic_backend() or database_backend()


def index_backends() -> list[SearchBackend]:
    """Every backend a change must reach."""
    backends = [database_backend()]
    elastic = elastic_backend()
    if elastic is not None:
        backends.append(elastic)
    return backends
