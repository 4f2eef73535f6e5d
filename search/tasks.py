"""Index updates run on the task worker, after the change is committed."""

from django_tasks import task

from . import services


@task()
def pages_index_task(*, page_ids: list[int]) -> None:
    services.pages_index(page_ids=page_ids)


@task()
def page_subtree_index_task(*, page_id: int) -> None:
    services.page_subtree_index(page_id=page_id)


@task()
def documents_delete_task(*, keys: list[str]) -> None:
    services.documents_delete(keys=keys)


@task()
def thread_index_task(*, thread_id: int) -> None:
    services.thread_index(thread_id=thread_id)


@task()
def post_index_task(*, post_id: int) -> None:
    services.post_index(post_id=post_id)
