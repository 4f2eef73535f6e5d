"""What the post composer and the post display add to a stored post.

Stored bodies stay as ``sanitize.sanitize_post`` made them. At display time this
module turns ``@handle`` into a link to the person's page (only for a person
who can read the group), works out whether the reader may see who a quote
quotes, and finds each author's administration, with a fixed number of queries
per page whatever the number of posts or authors.

The reads here depend on who is asking, like those in ``selectors``, and use
its visibility rules.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape

from portal.accounts.models import Membership, Organisation, User

from . import selectors
from .models import (
    CommunityProfile,
    GroupMembership,
    Post,
    PublicationStatus,
)
from .names import display_name
from .selectors import Access
from .services import MENTION

MENTION_SUGGESTIONS = 8
# A tag of sanitised HTML (attribute values are quoted and escaped by bleach).
_TAG = re.compile(r"(<[^>]*>)")
# Text inside these elements is never turned into a mention link.
_NO_MENTIONS = frozenset({"a", "code", "pre"})
# The marker of a mention link. The sanitiser keeps no ``class`` attribute, so a
# post cannot contain a link that looks like one of these.
MENTION_CLASS = "mention"


def _text_segments(html: str) -> Iterable[tuple[bool, str]]:
    """(is_text_outside_links_and_code, piece) for each piece of ``html``."""
    depth = 0
    for piece in _TAG.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            match = re.match(r"<(/?)([a-zA-Z0-9]+)", piece)
            if match and match.group(2).lower() in _NO_MENTIONS:
                depth = max(0, depth + (-1 if match.group(1) else 1))
            yield False, piece
        else:
            yield depth == 0, piece


def mention_handles(html: str) -> set[str]:
    """The lowercase handles written as ``@handle`` in the text of ``html``."""
    handles: set[str] = set()
    for is_text, piece in _text_segments(html):
        if is_text:
            handles.update(match.lower() for match in MENTION.findall(piece))
    return handles


def mentions_link(html: str, links: dict[str, str]) -> str:
    """``html`` with every ``@handle`` found in ``links`` made a link to it."""
    if not links:
        return html

    def link(match: re.Match) -> str:
        url = links.get(match.group(1).lower())
        if url is None:
            return match.group(0)
        return f'<a class="{MENTION_CLASS}" href="{escape(url)}">{match.group(0)}</a>'

    return "".join(
        MENTION.sub(link, piece) if is_text else piece
        for is_text, piece in _text_segments(html)
    )


def mention_targets(*, access: Access, handles: Iterable[str]) -> dict[str, str]:
    """Handle -> person page URL for the handles of active users who can read the
    group (for a private group: its active members). One query."""
    handles = {handle.lower() for handle in handles}
    if not handles:
        return {}
    profiles = CommunityProfile.objects.filter(handle__in=handles, user__is_active=True)
    if access.group.is_private:
        profiles = profiles.filter(
            Q(
                user__community_memberships__group=access.group,
                user__community_memberships__status=GroupMembership.Status.ACTIVE,
            )
            | Q(user__is_superuser=True)
        )
    return {
        handle: reverse("community:person", kwargs={"handle": handle})
        for handle in profiles.values_list("handle", flat=True).distinct()
    }


def mention_suggestions(*, access: Access, prefix: str, user: User) -> list[dict]:
    """Up to ``MENTION_SUGGESTIONS`` active members of the group whose handle or
    name starts with ``prefix``: handle and public name only, never an email."""
    prefix = prefix.strip().lstrip("@")[:40]
    if not prefix or not access.can_post:
        return []
    profiles = (
        CommunityProfile.objects.filter(
            user__is_active=True,
            user__community_memberships__group=access.group,
            user__community_memberships__status=GroupMembership.Status.ACTIVE,
        )
        .filter(
            Q(handle__istartswith=prefix)
            | Q(user__first_name__istartswith=prefix)
            | Q(user__last_name__istartswith=prefix)
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("handle")[:MENTION_SUGGESTIONS]
    )
    return [
        {"handle": profile.handle, "name": display_name(profile.user)}
        for profile in profiles
    ]


def _post_is_listed(*, post: Post, user, access: Access) -> bool:
    """``selectors._post_visibility`` for a post already loaded (no query); the
    quoted post is in the same thread, whose visibility the page has checked."""
    if access.can_moderate:
        return True
    if post.is_deleted:
        return False
    if post.status == PublicationStatus.PUBLISHED:
        return True
    return (
        post.status == PublicationStatus.PENDING
        and user.is_authenticated
        and post.author_id == user.pk
    )


def _approved_organisations(author_ids: set[int]) -> dict[int, Organisation]:
    """Each author's primary approved administration, in one query.

    The same choice as ``portal.accounts.selectors.organisation_primary_for_user``
    restricted to approved administrations: the first by name.
    """
    if not author_ids:
        return {}
    primary: dict[int, Organisation] = {}
    memberships = (
        Membership.objects.filter(
            user_id__in=author_ids,
            organisation__status=Organisation.Status.APPROVED,
        )
        .select_related("organisation")
        .order_by("user_id", "organisation__name")
    )
    for membership in memberships:
        primary.setdefault(membership.user_id, membership.organisation)
    return primary


def posts_prepare(
    posts: Iterable[Post], *, user: User | AnonymousUser, access: Access
) -> list[Post]:
    """Add to each post what its display needs, with two queries in all.

    Sets ``body_html`` (the body with mention links), ``quote_visible`` (the
    reader may see who the quote is from), and ``organisation`` (the author's
    approved administration or ``None``). The quoted posts and authors must
    come with the posts (``selectors.post_list_visible`` selects them).
    """
    posts = list(posts)
    handles: set[str] = set()
    for post in posts:
        handles |= mention_handles(post.body)
    links = mention_targets(access=access, handles=handles)
    organisations = _approved_organisations(
        {post.author_id for post in posts if post.author_id}
    )
    for post in posts:
        post.body_html = mentions_link(post.body, links)
        post.quote_shown = bool(post.quoted_id) and post.body.startswith("<blockquote>")
        post.quote_visible = post.quote_shown and _post_is_listed(
            post=post.quoted, user=user, access=access
        )
        post.organisation = organisations.get(post.author_id)
    return posts


def preview_render(*, html: str, access: Access) -> str:
    """A sanitised body as the page would show it (mention links included)."""
    return mentions_link(
        html, mention_targets(access=access, handles=mention_handles(html))
    )


# --- People ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    profile: CommunityProfile
    organisation: Organisation | None
    posts: list[Post]


def person_get_visible(*, viewer: User, handle: str) -> Person:
    """A person's community page: handle, name, approved administration and
    recent posts in groups ``viewer`` can read.

    Http404 unless the person is active and shares a group the viewer can see,
    or has written something the viewer can read: a handle never reveals the
    member of a private group to outsiders.
    """
    profile = (
        CommunityProfile.objects.filter(handle=handle.lower(), user__is_active=True)
        .select_related("user")
        .first()
    )
    if profile is None:
        raise Http404
    person = profile.user
    posts = list(
        person_recent_posts(viewer=viewer, person=person).select_related(
            "thread__group"
        )[:10]
    )
    if not posts:
        visible_groups = selectors.group_list_visible(user=viewer).values("pk")
        if not GroupMembership.objects.filter(
            user=person,
            status=GroupMembership.Status.ACTIVE,
            group__in=visible_groups,
        ).exists():
            raise Http404
    organisation = _approved_organisations({person.pk}).get(person.pk)
    return Person(profile=profile, organisation=organisation, posts=posts)


def person_recent_posts(*, viewer: User, person: User) -> QuerySet[Post]:
    """The person's published posts that ``viewer`` could find by search."""
    return (
        selectors.post_list_searchable(user=viewer)
        .filter(author=person)
        .order_by("-created_at", "-id")
    )
