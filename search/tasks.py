"""Index updates run on the task worker, after the change is committed."""

import logging
from contextlib import contextmanager

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@contextmanager
def _logged(action: str, ids) -> None:
    """Log a failed index update with the ids involved, then let it fail."""
    try:
        yield
    except Exception:
        logger.exception("Search index: %s %s failed", action, ids)
        raise


@task()
def pages_index_task(*, page_ids: list[int]) -> None:
    with _logged("indexing pages", page_ids):
        services.pages_index(page_ids=page_ids)


@task()
def page_subtree_index_task(*, page_id: int) -> None:
    with _logged("indexing the subtree of page", page_id):
        services.page_subtree_index(page_id=page_id)


@task()
def documents_delete_task(*, keys: list[str]) -> None:
    with _logged("deleting documents", keys):
        services.documents_delete(keys=keys)


@task()
def source_index_task(*, model: str, pks: list[int]) -> None:
    with _logged(f"indexing {model}", pks):
        services.source_index(model=model, pks=pks)
