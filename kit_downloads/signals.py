"""Announce a release to the administrations when it is first published."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from portal import pagecache

from .models import (
    KitReleasePage,
    ReleaseChecksumsSignature,
    ReleaseFile,
    SigningKey,
)


@receiver(page_published, sender=KitReleasePage)
def announce_release(sender, instance, **kwargs):
    from .services import release_announce

    # After the commit, so the email never announces a rolled-back publish; the
    # service itself makes sure each release is announced once.
    transaction.on_commit(lambda: release_announce(release=instance))


# Files, keys and signatures are listed on the public product and release pages.
pagecache.invalidate_on(ReleaseFile, SigningKey, ReleaseChecksumsSignature)
