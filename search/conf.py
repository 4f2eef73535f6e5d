"""Search settings, read lazily so that base.py need not change."""

from django.conf import settings


def elasticsearch_url() -> str:
    return getattr(settings, "ELASTICSEARCH_URL", "") or ""


def index_prefix() -> str:
    return getattr(settings, "SEARCH_INDEX_PREFIX", "esplora")


def page_size() -> int:
    return getattr(settings, "SEARCH_PAGE_SIZE", 10)


def elasticsearch_refresh() -> bool:
    """Make each write searchable at once (tests); production lets ES refresh."""
    return bool(getattr(settings, "SEARCH_ELASTICSEARCH_REFRESH", False))


def elasticsearch_plain_json() -> bool:
    """Send plain application/json instead of the ES 8 compatibility media type
    (needed by osmem-server in tests; Elasticsearch 8 accepts both)."""
    return bool(getattr(settings, "SEARCH_ELASTICSEARCH_PLAIN_JSON", False))


def exact_limit() -> int:
    """PostgreSQL counts a search's matches exactly up to this many; beyond it
    the page says "more than" this number (see DatabaseSearchBackend)."""
    return int(getattr(settings, "SEARCH_EXACT_LIMIT", 10_000))


def rank_candidates() -> int:
    """Beyond ``exact_limit``, how many of the matches counted (those with the
    most words in the title) are ranked in full, besides every match with all
    the words in its title."""
    return int(getattr(settings, "SEARCH_RANK_CANDIDATES", 1_000))
