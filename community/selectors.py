"""Who may read what: the one visibility rule of the community.

Every view, feed, notification, email and attachment download asks these
functions. Private groups are invisible to non-members everywhere (404); open and
moderated groups can be read by anyone; pending and hidden posts are seen only by
their author (pending) and the group's moderators.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import (
    DateTimeField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from portal.accounts.models import User

from .models import (
    Attachment,
    CommunityProfile,
    Flag,
    Group,
    GroupMembership,
    GroupRead,
    ModerationAction,
    Notification,
    Post,
    PublicationStatus,
    Thread,
    ThreadRead,
    Watch,
    WatchLevel,
)
from .permissions import MODERATE_ALL_GROUPS, can_moderate_all_groups

PUBLIC_VISIBILITIES = (Group.Visibility.OPEN, Group.Visibility.MODERATED)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Access:
    """What one user may do in one group (computed once per request)."""

    group: Group
    membership: GroupMembership | None
    # The user moderates every group (community.moderate_all_groups).
    moderates_all: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.is_active

    @property
    def is_banned(self) -> bool:
        return (
            self.membership is not None
            and self.membership.status == GroupMembership.Status.BANNED
        )

    @property
    def is_pending(self) -> bool:
        return (
            self.membership is not None
            and self.membership.status == GroupMembership.Status.PENDING
        )

    @property
    def can_read(self) -> bool:
        return (
            self.group.visibility in PUBLIC_VISIBILITIES
            or self.is_member
            or self.moderates_all
        )

    @property
    def can_moderate(self) -> bool:
        return self.moderates_all or (
            self.membership is not None and self.membership.is_moderator
        )

    @property
    def can_post(self) -> bool:
        return self.is_member or self.moderates_all

    @property
    def can_join(self) -> bool:
        return self.membership is None and not self.group.is_private


def group_ids_readable(*, user: User | AnonymousUser) -> list[int]:
    """Ids of the groups whose discussions ``user`` may read.

    For the search index: filter threads and posts by ``group_id__in`` this list
    at query time.
    """
    return list(group_list_visible(user=user).values_list("pk", flat=True))


def post_list_searchable(*, user: User | AnonymousUser) -> QuerySet[Post]:
    """Posts a search may show ``user``: published, not deleted, in published
    threads of the groups ``user`` may read (moderators' extra view excluded)."""
    return Post.objects.filter(
        thread__group_id__in=group_ids_readable(user=user),
        thread__status=PublicationStatus.PUBLISHED,
        thread__is_deleted=False,
        status=PublicationStatus.PUBLISHED,
        is_deleted=False,
    )


def group_list_visible(*, user: User | AnonymousUser) -> QuerySet[Group]:
    """The groups ``user`` can see: every open and moderated group, plus the
    private ones where the user is an active member (global moderators see all)."""
    groups = Group.objects.all()
    if can_moderate_all_groups(user):
        return groups
    condition = Q(visibility__in=PUBLIC_VISIBILITIES)
    if user.is_authenticated and user.is_active:
        condition |= Q(
            pk__in=GroupMembership.objects.filter(
                user=user, status=GroupMembership.Status.ACTIVE
            ).values("group_id")
        )
    return groups.filter(condition)


def thread_list_public_active(*, limit: int) -> list[Thread]:
    """The ``limit`` discussions with the latest activity that anyone may read,
    for the home page: what an anonymous visitor sees, whoever asks (private
    groups never, pending, hidden and deleted threads never), so the page is
    the same for everyone. One query, with the groups."""
    anonymous = AnonymousUser()
    return list(
        Thread.objects.filter(
            group__in=group_list_visible(user=anonymous),
            status=PublicationStatus.PUBLISHED,
            is_deleted=False,
        )
        .select_related("group")
        .only(
            "id",
            "title",
            "reply_count",
            "last_post_at",
            "group__name",
            "group__slug",
            "group__visibility",
        )
        .order_by("-last_post_at", "-id")[:limit]
    )


def group_access(*, user: User | AnonymousUser, group: Group) -> Access:
    membership = None
    if user.is_authenticated and user.is_active:
        membership = GroupMembership.objects.filter(group=group, user=user).first()
    return Access(
        group=group, membership=membership, moderates_all=can_moderate_all_groups(user)
    )


def group_get_readable(*, user: User | AnonymousUser, slug: str) -> Access:
    """The group with this slug if ``user`` may read it, else Http404."""
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        raise Http404
    access = group_access(user=user, group=group)
    if not access.can_read:
        raise Http404
    return access


def _post_visibility(*, user, access: Access) -> Q:
    if access.can_moderate:
        return Q()
    condition = Q(status=PublicationStatus.PUBLISHED, is_deleted=False)
    if user.is_authenticated:
        condition |= Q(status=PublicationStatus.PENDING, is_deleted=False, author=user)
    return condition


def _thread_visibility(*, user, access: Access) -> Q:
    if access.can_moderate:
        return Q()
    condition = Q(status=PublicationStatus.PUBLISHED, is_deleted=False)
    if user.is_authenticated:
        condition |= Q(status=PublicationStatus.PENDING, is_deleted=False, author=user)
    return condition


def thread_list_visible(
    *, user: User | AnonymousUser, access: Access
) -> QuerySet[Thread]:
    """A group's threads that ``user`` may see, pinned first then by activity, with
    authors and (for a logged-in user) the unread flag in the same query."""
    if not access.can_read:
        return Thread.objects.none()
    threads = (
        Thread.objects.filter(group=access.group)
        .filter(_thread_visibility(user=user, access=access))
        .select_related("group", "author", "last_post_author")
        .order_by("-is_pinned", "-last_post_at", "-id")
    )
    if user.is_authenticated:
        thread_read = ThreadRead.objects.filter(
            user=user, thread=OuterRef("pk")
        ).values("read_at")[:1]
        group_read = GroupRead.objects.filter(
            user=user, group=OuterRef("group_id")
        ).values("read_at")[:1]
        epoch = Value(_EPOCH, output_field=DateTimeField())
        threads = threads.annotate(
            read_at=Greatest(
                Coalesce(Subquery(thread_read), epoch),
                Coalesce(Subquery(group_read), epoch),
            )
        )
    return threads


def thread_get_visible(
    *, user: User | AnonymousUser, access: Access, pk: int, watch_level: bool = False
) -> Thread:
    """One thread ``user`` may see; with ``watch_level`` the user's notification
    level for it is fetched in the same query."""
    threads = thread_list_visible(user=user, access=access).filter(pk=pk)
    if watch_level and user.is_authenticated:
        level = Watch.objects.filter(user=user, thread=OuterRef("pk")).values("level")[
            :1
        ]
        threads = threads.annotate(
            watch_level=Coalesce(Subquery(level), Value(WatchLevel.NORMAL.value))
        )
    elif watch_level:
        threads = threads.annotate(watch_level=Value(WatchLevel.NORMAL.value))
    thread = threads.first()
    if thread is None:
        raise Http404
    return thread


def post_list_visible(
    *, user: User | AnonymousUser, access: Access, thread: Thread
) -> QuerySet[Post]:
    """The posts of a thread that ``user`` may see, oldest first, with authors,
    attachments and quoted authors fetched once for the whole page."""
    if not access.can_read or thread.group_id != access.group.pk:
        return Post.objects.none()
    return (
        Post.objects.filter(thread=thread)
        .filter(_post_visibility(user=user, access=access))
        .select_related("author", "author__community_profile", "quoted__author")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
        .order_by("id")
    )


def post_get_visible(*, user: User | AnonymousUser, pk: int) -> tuple[Post, Access]:
    """A post and the reader's access to its group; Http404 if it is not readable."""
    post = Post.objects.select_related("thread__group", "author").filter(pk=pk).first()
    if post is None:
        raise Http404
    access = group_access(user=user, group=post.thread.group)
    if not user_can_read_post(user=user, post=post, access=access):
        raise Http404
    return post, access


def user_can_read_post(
    *, user: User | AnonymousUser, post: Post, access: Access | None = None
) -> bool:
    """The same rule as the lists, for one post (used at email send time)."""
    if user.is_authenticated and not user.is_active:
        return False
    group = post.thread.group
    access = access or group_access(user=user, group=group)
    if not access.can_read:
        return False
    thread = post.thread
    return (
        Thread.objects.filter(pk=thread.pk)
        .filter(_thread_visibility(user=user, access=access))
        .exists()
        and Post.objects.filter(pk=post.pk)
        .filter(_post_visibility(user=user, access=access))
        .exists()
    )


def attachment_get_visible(
    *, user: User | AnonymousUser, pk: int, filename: str
) -> Attachment:
    attachment = (
        Attachment.objects.select_related("post__thread__group")
        .filter(pk=pk, filename=filename)
        .first()
    )
    if attachment is None:
        raise Http404
    if not user_can_read_post(user=user, post=attachment.post):
        raise Http404
    return attachment


def watch_level(*, user: User, thread: Thread | None = None, group=None) -> str:
    if not user.is_authenticated:
        return WatchLevel.NORMAL
    watch = Watch.objects.filter(user=user, thread=thread, group=group).first()
    return watch.level if watch else WatchLevel.NORMAL


def membership_list(*, access: Access) -> QuerySet[GroupMembership]:
    """A group's members, for its moderators (pending requests first)."""
    if not access.can_moderate:
        return GroupMembership.objects.none()
    return (
        GroupMembership.objects.filter(group=access.group)
        .select_related("user")
        .order_by("status", "-role", "user__last_name", "user__email")
    )


def member_list_visible(*, access: Access) -> QuerySet[GroupMembership]:
    """Active members, for anyone who can read the group."""
    if not access.can_read:
        return GroupMembership.objects.none()
    return (
        GroupMembership.objects.filter(
            group=access.group, status=GroupMembership.Status.ACTIVE
        )
        .select_related("user")
        .order_by("-role", "user__last_name", "user__email")
    )


def flag_queue(*, user: User, group: Group | None = None) -> QuerySet[Flag]:
    """Open flags a moderator must look at: one group's, or those of every group
    the user moderates (all groups for global moderators)."""
    flags = Flag.objects.filter(resolved_at__isnull=True).select_related(
        "post__thread__group", "post__author", "reporter"
    )
    if group is not None:
        return flags.filter(post__thread__group=group)
    if can_moderate_all_groups(user):
        return flags
    return flags.filter(post__thread__group_id__in=_moderated_group_ids(user=user))


def pending_post_queue(*, user: User, group: Group | None = None) -> QuerySet[Post]:
    posts = Post.objects.filter(
        status=PublicationStatus.PENDING, is_deleted=False
    ).select_related("thread__group", "author")
    if group is not None:
        return posts.filter(thread__group=group).order_by("id")
    if not can_moderate_all_groups(user):
        posts = posts.filter(thread__group_id__in=_moderated_group_ids(user=user))
    return posts.order_by("id")


def pending_membership_queue(
    *, user: User, group: Group | None = None
) -> QuerySet[GroupMembership]:
    """Requests to join: one group's, or those of every group the user moderates."""
    memberships = GroupMembership.objects.filter(
        status=GroupMembership.Status.PENDING
    ).select_related("user", "group")
    if group is not None:
        memberships = memberships.filter(group=group)
    elif not can_moderate_all_groups(user):
        memberships = memberships.filter(group_id__in=_moderated_group_ids(user=user))
    return memberships.order_by("created_at", "id")


def user_moderates_any_group(*, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return can_moderate_all_groups(user) or _moderated_group_ids(user=user).exists()


def moderation_log(*, access: Access) -> QuerySet[ModerationAction]:
    if not access.can_moderate:
        return ModerationAction.objects.none()
    return ModerationAction.objects.filter(group=access.group).select_related(
        "actor__community_profile",
        "target_user__community_profile",
        "thread__group",
        "post",
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    """A user's notifications about content they can still read.

    Notifications about a new post need the post to be published; moderation
    notifications (a flag, a join request, the recipient's own post hidden,
    restored or moved) need only the group they concern to be readable: what
    they link to checks the rest when opened.
    """
    readable_groups = group_list_visible(user=user).values("pk")
    about_a_post = Q(
        kind__in=Notification.POST_KINDS,
        post__thread__group__in=readable_groups,
        post__is_deleted=False,
        post__status=PublicationStatus.PUBLISHED,
        post__thread__is_deleted=False,
    )
    about_moderation = ~Q(kind__in=Notification.POST_KINDS) & Q(
        group__in=readable_groups
    )
    return (
        Notification.objects.filter(recipient=user)
        .filter(about_a_post | about_moderation)
        .select_related(
            "post__author", "post__thread__group", "thread__group", "group", "actor"
        )
        .order_by("-created_at", "-id")
    )


def notification_unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return notification_list(user=user).filter(read_at__isnull=True).count()


def notification_still_relevant(*, notification: Notification) -> bool:
    """Whether a notification may still be emailed to its recipient, checked at
    send time with the rules the pages use: a new post must be readable, a flag
    or a join request must still wait for a moderator the recipient still is, a
    hidden post must still be hidden, a restored or moved one readable."""
    user = notification.recipient
    if not user.is_active:
        return False
    kind = notification.kind
    Kind = Notification.Kind
    if kind in Notification.POST_KINDS:
        return notification.post is not None and user_can_read_post(
            user=user, post=notification.post
        )
    group = notification.group
    if group is None:
        return False
    access = group_access(user=user, group=group)
    if kind == Kind.FLAG:
        return (
            access.can_moderate
            and notification.post is not None
            and notification.post.thread.group_id == group.pk
            and Flag.objects.filter(
                post=notification.post, resolved_at__isnull=True
            ).exists()
        )
    if kind == Kind.JOIN_REQUEST:
        return (
            access.can_moderate
            and notification.actor_id is not None
            and GroupMembership.objects.filter(
                group=group,
                user_id=notification.actor_id,
                status=GroupMembership.Status.PENDING,
            ).exists()
        )
    if not access.can_read:
        return False
    post = notification.post
    if kind in (Kind.POST_HIDDEN, Kind.THREAD_HIDDEN):
        return (
            post is not None
            and post.status == PublicationStatus.HIDDEN
            and post.thread.group_id == group.pk
        )
    if kind in (Kind.POST_RESTORED, Kind.THREAD_RESTORED):
        return post is not None and user_can_read_post(user=user, post=post)
    if kind == Kind.THREAD_MOVED:
        thread = notification.thread
        return (
            thread is not None
            and thread.group_id == group.pk
            and thread_list_visible(user=user, access=access)
            .filter(pk=thread.pk)
            .exists()
        )
    return False


def group_moderators(*, group: Group) -> QuerySet[User]:
    """Who is told about a flag or a join request in ``group``: its active
    moderators, or the portal's global moderators when it has none."""
    moderators = User.objects.filter(
        is_active=True,
        community_memberships__group=group,
        community_memberships__role=GroupMembership.Role.MODERATOR,
        community_memberships__status=GroupMembership.Status.ACTIVE,
    )
    if moderators.exists():
        return moderators
    app_label, codename = MODERATE_ALL_GROUPS.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
    return User.objects.filter(
        Q(is_superuser=True)
        | Q(user_permissions__in=permission)
        | Q(groups__permissions__in=permission),
        is_active=True,
    ).distinct()


def _moderated_group_ids(*, user: User) -> QuerySet:
    return GroupMembership.objects.filter(
        user=user,
        role=GroupMembership.Role.MODERATOR,
        status=GroupMembership.Status.ACTIVE,
    ).values("group_id")


class _SubqueryCount(Subquery):
    """COUNT(*) of a queryset as a column, so several counts share one query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


@dataclass(frozen=True)
class Badges:
    """The counts the community navigation shows a logged-in user."""

    unread_notifications: int = 0
    # Open flags, pending posts and pending join requests in the groups the
    # user moderates (every group for global moderators).
    review: int = 0
    is_moderator: bool = False


def badges(*, user: User | AnonymousUser) -> Badges:
    """Unread notifications and the moderation review count, in one query."""
    if not user.is_authenticated or not user.is_active:
        return Badges()
    unread = notification_list(user=user).filter(read_at__isnull=True).values("pk")
    flags = Flag.objects.filter(resolved_at__isnull=True)
    posts = Post.objects.filter(status=PublicationStatus.PENDING, is_deleted=False)
    joins = GroupMembership.objects.filter(status=GroupMembership.Status.PENDING)
    moderates_all = can_moderate_all_groups(user)
    if moderates_all:
        moderated = Group.objects.values("pk")
    else:
        moderated = _moderated_group_ids(user=user)
        flags = flags.filter(post__thread__group_id__in=moderated)
        posts = posts.filter(thread__group_id__in=moderated)
        joins = joins.filter(group_id__in=moderated)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            unread=_SubqueryCount(unread),
            flags=_SubqueryCount(flags.values("pk")),
            posts=_SubqueryCount(posts.values("pk")),
            joins=_SubqueryCount(joins.values("pk")),
            moderated=_SubqueryCount(moderated),
        )
        .values("unread", "flags", "posts", "joins", "moderated")
        .first()
    )
    if row is None:
        return Badges()
    return Badges(
        unread_notifications=row["unread"],
        review=row["flags"] + row["posts"] + row["joins"],
        is_moderator=moderates_all or row["moderated"] > 0,
    )


def thread_moved_from(
    *, user: User | AnonymousUser, slug: str, pk: int
) -> Thread | None:
    """The thread ``pk`` when a URL names it under a group slug that is not its
    group's (an old address after a move, or a mistyped one) and ``user`` may
    read it where it is now; otherwise None, so that nothing reveals it."""
    thread = (
        Thread.objects.select_related("group")
        .filter(pk=pk)
        .exclude(group__slug=slug)
        .first()
    )
    if thread is None:
        return None
    access = group_access(user=user, group=thread.group)
    if not access.can_read:
        return None
    if thread_list_visible(user=user, access=access).filter(pk=pk).exists():
        return thread
    if thread_hidden_for_author(user=user, access=access, pk=pk) is not None:
        return thread
    return None


def thread_hidden_for_author(
    *, user: User | AnonymousUser, access: Access, pk: int
) -> tuple[Thread, str] | None:
    """A thread its own author may not read because a moderator hid its first
    post: the author is told so (with the moderator's reason), nobody else learns
    it exists. Returns the thread and the reason, or None."""
    if not user.is_authenticated or not access.can_read:
        return None
    thread = (
        Thread.objects.select_related("group")
        .filter(
            pk=pk,
            group=access.group,
            author=user,
            status=PublicationStatus.HIDDEN,
            is_deleted=False,
        )
        .first()
    )
    if thread is None:
        return None
    first_post = Post.objects.filter(thread=thread).order_by("id").values("pk")[:1]
    action = (
        ModerationAction.objects.filter(
            thread=thread,
            post_id=Subquery(first_post),
            action=ModerationAction.Action.POST_HIDE,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return thread, action.details if action else ""


def profile_for(*, user: User) -> CommunityProfile | None:
    return CommunityProfile.objects.filter(user=user).first()
