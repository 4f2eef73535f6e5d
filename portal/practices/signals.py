"""Tell proposers what happened to their practice."""

from django.dispatch import receiver
from wagtail.signals import page_published, task_rejected

from .models import GoodPracticePage
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
