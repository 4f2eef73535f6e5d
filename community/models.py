"""Operator groups, their discussions, moderation and notifications.

Reads that depend on who is asking live in ``selectors.py``; every write goes
through ``services.py``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from portal.storage import PrivateStorage

from . import conf

RESERVED_SLUGS = {
    "attachments",
    "allegati",
    "moderation",
    "moderazione",
    "notifications",
    "notifiche",
    "settings",
    "impostazioni",
    "unsubscribe",
    "disiscrizione",
    "posts",
    "messaggi",
    "flags",
    "segnalazioni",
    "people",
    "persone",
}


private_storage = PrivateStorage(
    root=conf.attachment_root, served_by="community:attachment"
)


def attachment_storage():
    return private_storage


def validate_group_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("This address is reserved; choose another one."), code="reserved"
        )


class Group(ClusterableModel):
    """A group of operators with its own discussions.

    Open and moderated groups can be read by anyone; private groups only by their
    members. Writing always needs an active membership.
    """

    class Visibility(models.TextChoices):
        OPEN = "open", _("Open: any registered user can join")
        MODERATED = "moderated", _("Moderated: joining needs a moderator's approval")
        PRIVATE = "private", _("Private: by invitation, visible only to members")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("address"), max_length=80, unique=True, validators=[validate_group_slug]
    )
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.OPEN,
    )
    premoderated_posts = models.PositiveSmallIntegerField(
        _("pre-moderated first posts"),
        default=0,
        help_text=_(
            "How many of a new member's first posts a moderator must approve before "
            "they appear. 0 turns pre-moderation off."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("visibility"),
        FieldPanel("premoderated_posts"),
    ]

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["name"]
        permissions = [
            ("moderate_all_groups", _("Can read and moderate every community group"))
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:group_detail", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE


class GroupMembership(models.Model):
    """A user's place in a group: role, and whether it is active, pending or banned."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PENDING = "pending", _("Waiting for approval")
        BANNED = "banned", _("Banned")

    group = ParentalKey(
        Group,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    ban_reason = models.CharField(_("ban reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("role"),
        FieldPanel("status"),
        FieldPanel("ban_reason"),
    ]

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="community_membership_unique_user"
            )
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.group} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == self.Role.MODERATOR


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Thread(models.Model):
    """A discussion in a group. Reply count and last-post fields are kept exact by
    ``services.post_create`` under a row lock."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="threads", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    last_post = models.ForeignKey(
        "Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last post"),
    )
    last_post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last post author"),
    )
    last_post_at = models.DateTimeField(_("last activity"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(
                fields=["group", "-is_pinned", "-last_post_at"],
                name="community_thread_listing",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "community:thread_detail",
            kwargs={"slug": self.group.slug, "pk": self.pk},
        )


class Post(models.Model):
    """A message in a thread; ``body`` is always sanitised HTML."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="community_posts",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    quoted = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quoted post"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "id"], name="community_post_in_thread"),
            models.Index(fields=["author", "created_at"], name="community_post_rate"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} – {self.thread}"

    def get_absolute_url(self) -> str:
        return reverse("community:post_goto", kwargs={"pk": self.pk})

    @property
    def is_visible_to_all(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and not self.is_deleted


class PostRevision(models.Model):
    """The text a post had before an edit (moderators read the history)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    body = models.TextField(_("previous text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    created_at = models.DateTimeField(_("edited"), auto_now_add=True)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class Attachment(models.Model):
    """A file attached to a post, stored privately and served by a checked view."""

    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("post"),
    )
    file = models.FileField(
        _("file"), upload_to="%Y/%m/", storage=attachment_storage, max_length=255
    )
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    # Pictures only (re-encoded on upload): shown inline with these dimensions.
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse(
            "community:attachment",
            kwargs={"pk": self.pk, "filename": self.filename},
        )

    @property
    def is_image(self) -> bool:
        """A re-encoded picture, shown inline in its post."""
        return self.width is not None and self.content_type.startswith("image/")


class Flag(models.Model):
    """A report that a post breaks the rules, waiting in the moderation queue."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        PERSONAL_DATA = "personal_data", _("Discloses personal data")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="flags", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="community_flag_one_open_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – {self.post}"


class ModerationAction(models.Model):
    """The audit log: one row for every moderator action."""

    class Action(models.TextChoices):
        MEMBER_APPROVE = "member_approve", _("approved a membership request")
        MEMBER_INVITE = "member_invite", _("added a member")
        MEMBER_REMOVE = "member_remove", _("removed a member")
        MEMBER_BAN = "member_ban", _("banned a user")
        MEMBER_UNBAN = "member_unban", _("lifted a ban")
        MEMBER_ROLE = "member_role", _("changed a member's role")
        POST_HIDE = "post_hide", _("hid a post")
        POST_RESTORE = "post_restore", _("restored a post")
        POST_APPROVE = "post_approve", _("approved a post")
        POST_DELETE = "post_delete", _("deleted a post")
        POST_EDIT = "post_edit", _("edited someone else's post")
        FLAG_DISMISS = "flag_dismiss", _("dismissed a flag")
        THREAD_LOCK = "thread_lock", _("locked a thread")
        THREAD_UNLOCK = "thread_unlock", _("unlocked a thread")
        THREAD_PIN = "thread_pin", _("pinned a thread")
        THREAD_UNPIN = "thread_unpin", _("unpinned a thread")
        THREAD_MOVE = "thread_move", _("moved a thread")
        THREAD_DELETE = "thread_delete", _("deleted a thread")

    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="moderation_actions",
        verbose_name=_("group"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user concerned"),
    )
    thread = models.ForeignKey(
        Thread,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thread"),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()}"

    @property
    def details_display(self) -> str:
        """The details in the reader's language where they are a code (a new
        role, a flag's reason), else as the moderator wrote them."""
        if self.action == self.Action.MEMBER_ROLE:
            if self.details in GroupMembership.Role.values:
                return str(GroupMembership.Role(self.details).label)
        if self.action == self.Action.FLAG_DISMISS:
            if self.details in Flag.Reason.values:
                return str(Flag.Reason(self.details).label)
        return self.details


class WatchLevel(models.TextChoices):
    MUTED = "muted", _("Muted: never notify me")
    NORMAL = "normal", _("Normal: only when someone mentions me")
    WATCHING = "watching", _("Watching: notify me of every new post")


class Watch(models.Model):
    """How closely a user follows a thread or a whole group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_watches",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watches",
        verbose_name=_("group"),
    )
    thread = models.ForeignKey(
        Thread,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watches",
        verbose_name=_("thread"),
    )
    level = models.CharField(_("level"), max_length=16, choices=WatchLevel.choices)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(group__isnull=False, thread__isnull=True)
                    | models.Q(group__isnull=True, thread__isnull=False)
                ),
                name="community_watch_group_xor_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=models.Q(group__isnull=False),
                name="community_watch_unique_group",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="community_watch_unique_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.thread or self.group}: {self.level}"


class ThreadRead(models.Model):
    """When a user last read a thread: newer activity makes it unread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], name="community_threadread_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.thread_id}"


class GroupRead(models.Model):
    """'Mark all read' for a group: everything older than ``read_at`` is read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"], name="community_groupread_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group_id}"


class CommunityProfile(models.Model):
    """A user's community identity (the @handle) and email preferences."""

    class EmailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each notification")
        DIGEST = "digest", _("One daily digest")
        OFF = "off", _("No emails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_profile",
        verbose_name=_("user"),
    )
    handle = models.SlugField(
        _("handle"),
        max_length=40,
        unique=True,
        help_text=_("Others mention you by writing @ followed by this name."),
    )
    email_mode = models.CharField(
        _("emails"),
        max_length=16,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")

    def __str__(self) -> str:
        return f"@{self.handle}"


class Notification(models.Model):
    """Something for a user to see: a reply, a new thread, a mention, or a
    moderation event that concerns them (a flag or a join request to review, their
    post or thread hidden, restored or moved)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        NEW_THREAD = "new_thread", _("New thread")
        MENTION = "mention", _("Mention")
        FLAG = "flag", _("Reported post")
        JOIN_REQUEST = "join_request", _("Membership request")
        POST_HIDDEN = "post_hidden", _("Post hidden")
        POST_RESTORED = "post_restored", _("Post restored")
        THREAD_HIDDEN = "thread_hidden", _("Thread hidden")
        THREAD_RESTORED = "thread_restored", _("Thread restored")
        THREAD_MOVED = "thread_moved", _("Thread moved")

    # Kinds about a new post that the recipient follows; at most one per post.
    POST_KINDS = (Kind.REPLY, Kind.NEW_THREAD, Kind.MENTION)
    # Kinds for the group's moderators: something waits in their queue.
    REVIEW_KINDS = (Kind.FLAG, Kind.JOIN_REQUEST)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_notifications",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=models.Q(kind__in=["reply", "new_thread", "mention"]),
                name="community_notification_once",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.post_id or self.thread_id}"

    @property
    def reason_display(self) -> str:
        """The reason in the reader's language: a flag keeps its reason's code,
        a moderator's reason is their own words."""
        if self.kind == self.Kind.FLAG and self.reason in Flag.Reason.values:
            return str(Flag.Reason(self.reason).label)
        return self.reason

    def get_target_url(self) -> str:
        """Where opening the notification leads (every page checks access)."""
        kind = self.kind
        if self.post_id and (
            kind in self.POST_KINDS
            or kind in (self.Kind.POST_RESTORED, self.Kind.THREAD_RESTORED)
        ):
            return reverse("community:post_goto", kwargs={"pk": self.post_id})
        if kind == self.Kind.FLAG:
            return reverse(
                "community:moderation_queue", kwargs={"slug": self.group.slug}
            )
        if kind == self.Kind.JOIN_REQUEST:
            return reverse("community:group_members", kwargs={"slug": self.group.slug})
        if self.thread_id:
            return self.thread.get_absolute_url()
        if self.group_id:
            return self.group.get_absolute_url()
        return reverse("community:notification_list")
