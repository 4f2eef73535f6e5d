"""When an editor publishes a seminar with more places, the queue moves up."""

from django.dispatch import receiver
from wagtail.signals import page_published

from portal import pagecache

from .models import Registration, SeminarPage
from .services import seminar_capacity_changed


@receiver(page_published, sender=SeminarPage)
def promote_after_publish(sender, instance, **kwargs):
    if instance.registrations.filter(status="waiting").exists():
        seminar_capacity_changed(seminar=instance)


# The seminar page shows its free places to every visitor.
pagecache.invalidate_on(Registration)
