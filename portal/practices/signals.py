"""Tell proposers what happened to their practice."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_rejected,
)

from portal.taxonomy.selectors import TERM_MODELS

from .models import GoodPracticePage
from .selectors import practice_results_invalidate
from .services import practice_notify_proposer


@receiver(page_published, sender=GoodPracticePage)
def _practice_published(sender, instance, revision=None, **kwargs):
    # Only the first publication is news to the proposer.
    if (
        instance.proposed_by_id
        and instance.first_published_at == instance.last_published_at
    ):
        practice_notify_proposer(page=instance, outcome="published")


@receiver(task_rejected)
def _practice_rejected(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    page = getattr(page, "specific", page)
    if isinstance(page, GoodPracticePage):
        practice_notify_proposer(
            page=page, outcome="sent_back", comment=instance.comment or ""
        )


@receiver(page_published, sender=GoodPracticePage)
@receiver(page_unpublished, sender=GoodPracticePage)
@receiver(post_page_move, sender=GoodPracticePage)
@receiver(post_delete, sender=GoodPracticePage)
def _practices_changed(sender, **kwargs):
    practice_results_invalidate()


# Cached facets carry the vocabulary's labels.
for _model in TERM_MODELS:
    post_save.connect(_practices_changed, sender=_model, dispatch_uid=f"px-{_model}")
    post_delete.connect(_practices_changed, sender=_model, dispatch_uid=f"pxd-{_model}")
