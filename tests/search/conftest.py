import shutil

import pytest


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    """Run index updates as soon as a change is made.

    In production they run once the transaction commits; pytest-django's tests run
    inside a transaction that never commits (test_indexing checks the real path).
    """
    monkeypatch.setattr("search.signals._on_commit", lambda callback: callback())


def _osmem_available() -> bool:
    try:
        from osmem_server import resolve_binary

        return bool(shutil.which(resolve_binary()) or resolve_binary())
    except Exception:  # noqa: BLE001 - not installed or no binary for this platform
        return False


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings):
    """Run a behaviour test on the embedded backend and on the Elasticsearch path
    (against osmem-server, an in-memory imitation started once per session)."""
    if request.param == "elasticsearch":
        if not _osmem_available():
            pytest.skip("osmem-server is not installed (pip install osmem-server)")
        clone = request.getfixturevalue("osmem_clone")
        settings.ELASTICSEARCH_URL = clone.url
        settings.SEARCH_ELASTICSEARCH_REFRESH = True
        settings.SEARCH_ELASTICSEARCH_PLAIN_JSON = True
    return request.param


@pytest.fixture
def tree(tree, request):
    """The shared page tree was indexed by the embedded backend when the session
    built it; on the Elasticsearch path, index it in this test's osmem clone."""
    if (
        "search_backend" in request.fixturenames
        and request.getfixturevalue("search_backend") == "elasticsearch"
    ):
        from search.services import page_subtree_index

        for home in (tree.home, tree.home_en):
            page_subtree_index(page_id=home.pk)
    return tree
