"""Keep the index in step with the content: publish, unpublish, move, delete,
view restrictions, and the saves and deletes of every model another app
registered (``registry``). Each change is indexed by a background task once the
transaction that made it has committed.

Who may read restricted documents is not indexed: every query asks the access
providers, so a membership change needs no re-indexing.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import registry, tasks
from .documents import page_key


def _on_commit(callback) -> None:
    transaction.on_commit(callback, robust=True)


def _enqueue(task, **kwargs) -> None:
    _on_commit(lambda: task.enqueue(**kwargs))


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    _enqueue(tasks.pages_index_task, page_ids=[instance.pk])


@receiver(post_page_move)
def _page_moved(sender, instance, **kwargs):
    _enqueue(tasks.page_subtree_index_task, page_id=instance.pk)


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and sender is Page:
        _enqueue(tasks.documents_delete_task, keys=[page_key(instance.pk)])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender, instance, **kwargs):
    _enqueue(tasks.page_subtree_index_task, page_id=instance.page_id)


def connect_sources() -> None:
    """Index a registered model's row when it is saved, drop it when deleted."""
    for source in registry.sources():

        def saved(sender, instance, source=source, **kwargs):
            _enqueue(tasks.source_index_task, model=source.label, pks=[instance.pk])

        def deleted(sender, instance, source=source, **kwargs):
            _enqueue(tasks.documents_delete_task, keys=source.deleted_keys(instance.pk))

        post_save.connect(
            saved,
            sender=source.model,
            weak=False,
            dispatch_uid=f"search_saved_{source.label}",
        )
        post_delete.connect(
            deleted,
            sender=source.model,
            weak=False,
            dispatch_uid=f"search_deleted_{source.label}",
        )
