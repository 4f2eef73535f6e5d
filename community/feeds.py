"""A group's latest threads as an Atom feed. Feed readers are anonymous, so the
same selector gives private groups a 404."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import selectors
from .names import display_name


class GroupThreadsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        # Always as an anonymous reader: a feed URL is shared and cached.
        return selectors.group_get_readable(user=AnonymousUser(), slug=slug)

    def title(self, access):
        return _("%(group)s – latest threads") % {"group": access.group.name}

    def link(self, access):
        return access.group.get_absolute_url()

    def subtitle(self, access):
        return access.group.description

    def items(self, access):
        return (
            selectors.thread_list_visible(user=AnonymousUser(), access=access)
            .select_related("last_post")
            .order_by("-created_at", "-id")[:20]
        )

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        body = thread.last_post.body if thread.last_post else ""
        return Truncator(strip_tags(body)).chars(300)

    def item_pubdate(self, thread):
        return thread.created_at

    def item_updateddate(self, thread):
        return thread.last_post_at

    def item_author_name(self, thread):
        return display_name(thread.author)
