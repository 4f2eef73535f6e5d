"""Keep cached navigation in step with the page tree, and the Site record in step
with PORTAL_BASE_URL."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .models import PortalSettings
from .navigation import navigation_invalidate
from .opendata.conf import licence_invalidate
from .routing import sites_invalidate
from .services import site_sync


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    navigation_invalidate()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        navigation_invalidate()


@receiver(post_save, sender=PortalSettings)
def _settings_changed(sender, **kwargs):
    navigation_invalidate()
    licence_invalidate()


def site_sync_after_migrate(sender, using="default", **kwargs):
    if using == "default":
        site_sync()


# Page cache (portal.pagecache): pages published, unpublished, moved or deleted,
# the shared things every page shows, and view restrictions (a page stored for
# everybody must not outlive a restriction put on it).
def _declare_page_cache() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site

    from . import pagecache

    pagecache.connect_wagtail()
    pagecache.invalidate_on(
        PortalSettings,
        Site,
        PageViewRestriction,
        get_image_model(),
        get_document_model(),
    )


_declare_page_cache()


def _declare_sites() -> None:
    from wagtail.models import Site

    post_save.connect(sites_invalidate, sender=Site, dispatch_uid="portal-sites")
    post_delete.connect(sites_invalidate, sender=Site, dispatch_uid="portal-sites")


_declare_sites()


def _declare_restrictions() -> None:
    """What ``portal.models.restricted_paths`` caches changes with these."""
    from django.db import transaction
    from wagtail.models import PageViewRestriction

    from .routing import tree_changed

    def changed():
        # Now, and again once committed: a request between the two must not
        # keep what it read before the commit under the new version.
        tree_changed()
        transaction.on_commit(tree_changed)

    def restriction_changed(**kwargs):
        changed()

    def alias_saved(sender, instance, **kwargs):
        if isinstance(instance, Page) and instance.alias_of_id:
            changed()

    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"portal-restrictions-{signal is post_save}",
            weak=False,
        )
    post_save.connect(alias_saved, dispatch_uid="portal-alias-saved", weak=False)


_declare_restrictions()
