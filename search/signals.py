"""Keep the index in step with the content: publish, unpublish, move, delete,
view restrictions, and community threads and posts. Each change is indexed by a
background task once the transaction that made it has committed.

Who may read a group's discussions is not indexed: every query filters by the
visitor's readable groups, so a membership change needs no re-indexing.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import tasks
from .documents import page_key, post_key, thread_key


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


def connect_community() -> None:
    from community.models import Post, Thread

    def thread_saved(sender, instance, **kwargs):
        _enqueue(tasks.thread_index_task, thread_id=instance.pk)

    def thread_deleted(sender, instance, **kwargs):
        _enqueue(tasks.documents_delete_task, keys=[thread_key(instance.pk)])

    def post_saved(sender, instance, **kwargs):
        _enqueue(tasks.post_index_task, post_id=instance.pk)

    def post_deleted(sender, instance, **kwargs):
        _enqueue(tasks.documents_delete_task, keys=[post_key(instance.pk)])

    post_save.connect(
        thread_saved, sender=Thread, weak=False, dispatch_uid="search_thread_saved"
    )
    post_delete.connect(
        thread_deleted, sender=Thread, weak=False, dispatch_uid="search_thread_deleted"
    )
    post_save.connect(
        post_saved, sender=Post, weak=False, dispatch_uid="search_post_saved"
    )
    post_delete.connect(
        post_deleted, sender=Post, weak=False, dispatch_uid="search_post_deleted"
    )
