"""Every write of the community: membership, posting, moderation, notifications.

Services take keyword-only arguments, check the actor's rights against the
database (so a removal or a ban takes effect at once), run ``full_clean()`` and
raise ``ValidationError`` (a message for the user) or ``PermissionDenied``.
"""

import re
from collections.abc import Iterable
from datetime import timedelta

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.forbidden import Forbidden
from portal.ratelimit import services as ratelimit

from . import conf, selectors
from .images import IMAGE_FORMATS, image_reencode
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
    PostRevision,
    PublicationStatus,
    Thread,
    ThreadRead,
    Watch,
    WatchLevel,
)
from .sanitize import sanitize_post

# Allowed attachment types: extension -> MIME type as detected from the content.
ALLOWED_ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9_-]{1,39})", re.IGNORECASE)
Action = ModerationAction.Action


# --- Profiles -----------------------------------------------------------------


def profile_get_or_create(*, user: User) -> CommunityProfile:
    """The user's community profile, made on first use with a unique @handle."""
    profile = CommunityProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    base = slugify(user.get_full_name()) or slugify(user.email.split("@")[0])
    base = (base or "utente")[:32]
    handle = base
    suffix = 1
    while CommunityProfile.objects.filter(handle=handle).exists():
        suffix += 1
        handle = f"{base}-{suffix}"
    try:
        with transaction.atomic():
            return CommunityProfile.objects.create(user=user, handle=handle)
    except IntegrityError:
        return CommunityProfile.objects.get(user=user)


def profile_update(*, user: User, handle: str, email_mode: str) -> CommunityProfile:
    profile = profile_get_or_create(user=user)
    profile.handle = handle.lower()
    profile.email_mode = email_mode
    profile.full_clean()
    profile.save()
    return profile


# --- Membership ---------------------------------------------------------------


def _log(
    *,
    actor: User,
    group: Group,
    action: str,
    target_user: User | None = None,
    thread: Thread | None = None,
    post: Post | None = None,
    details: str = "",
) -> ModerationAction:
    return ModerationAction.objects.create(
        actor=actor,
        group=group,
        action=action,
        target_user=target_user,
        thread=thread,
        post=post,
        details=details[:500],
    )


def _require_moderator(*, actor: User, group: Group) -> selectors.Access:
    access = selectors.group_access(user=actor, group=group)
    if not access.can_moderate:
        raise Forbidden(_("Only the group's moderators can do this."))
    return access


def group_join(*, user: User, group: Group) -> GroupMembership:
    """Join an open group at once, or ask to join a moderated one."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    existing = GroupMembership.objects.filter(group=group, user=user).first()
    if existing is not None:
        if existing.status == GroupMembership.Status.BANNED:
            raise ValidationError(_("You have been banned from this group."))
        return existing
    if group.is_private:
        raise PermissionDenied
    status = (
        GroupMembership.Status.ACTIVE
        if group.visibility == Group.Visibility.OPEN
        else GroupMembership.Status.PENDING
    )
    membership = GroupMembership(group=group, user=user, status=status)
    membership.full_clean()
    with transaction.atomic():
        membership.save()
        if status == GroupMembership.Status.PENDING:
            notify_moderators(
                kind=Notification.Kind.JOIN_REQUEST, group=group, actor=user
            )
    return membership


def group_leave(*, user: User, group: Group) -> None:
    """Leave a group (a ban stays in place: leaving does not lift it)."""
    GroupMembership.objects.filter(group=group, user=user).exclude(
        status=GroupMembership.Status.BANNED
    ).delete()


def membership_approve(*, actor: User, membership: GroupMembership) -> None:
    _require_moderator(actor=actor, group=membership.group)
    if membership.status != GroupMembership.Status.PENDING:
        return
    membership.status = GroupMembership.Status.ACTIVE
    membership.save(update_fields=["status"])
    _log(
        actor=actor,
        group=membership.group,
        action=Action.MEMBER_APPROVE,
        target_user=membership.user,
    )


def member_add(
    *, actor: User, group: Group, user: User, role: str = GroupMembership.Role.MEMBER
) -> GroupMembership:
    """Add someone to a group directly (the only way into a private group)."""
    _require_moderator(actor=actor, group=group)
    membership, created = GroupMembership.objects.get_or_create(
        group=group, user=user, defaults={"role": role}
    )
    if not created:
        if membership.status == GroupMembership.Status.BANNED:
            raise ValidationError(_("This user is banned: lift the ban first."))
        membership.status = GroupMembership.Status.ACTIVE
        membership.save(update_fields=["status"])
    _log(actor=actor, group=group, action=Action.MEMBER_INVITE, target_user=user)
    return membership


def member_remove(*, actor: User, group: Group, user: User) -> None:
    """Remove a member: from the next request on they can no longer post (nor
    read, in a private group)."""
    _require_moderator(actor=actor, group=group)
    deleted, _rows = GroupMembership.objects.filter(group=group, user=user).delete()
    if deleted:
        _log(actor=actor, group=group, action=Action.MEMBER_REMOVE, target_user=user)


def member_ban(*, actor: User, group: Group, user: User, reason: str = "") -> None:
    """Ban a user from a group: they cannot post, join again or (if the group is
    private) read it."""
    _require_moderator(actor=actor, group=group)
    if user == actor:
        raise ValidationError(_("You cannot ban yourself."))
    GroupMembership.objects.update_or_create(
        group=group,
        user=user,
        defaults={
            "status": GroupMembership.Status.BANNED,
            "role": GroupMembership.Role.MEMBER,
            "ban_reason": reason[:255],
        },
    )
    _log(
        actor=actor,
        group=group,
        action=Action.MEMBER_BAN,
        target_user=user,
        details=reason,
    )


def member_unban(*, actor: User, group: Group, user: User) -> None:
    _require_moderator(actor=actor, group=group)
    deleted, _rows = GroupMembership.objects.filter(
        group=group, user=user, status=GroupMembership.Status.BANNED
    ).delete()
    if deleted:
        _log(actor=actor, group=group, action=Action.MEMBER_UNBAN, target_user=user)


def member_set_role(*, actor: User, group: Group, user: User, role: str) -> None:
    _require_moderator(actor=actor, group=group)
    if role not in GroupMembership.Role.values:
        raise ValidationError(_("Unknown role."))
    updated = GroupMembership.objects.filter(
        group=group, user=user, status=GroupMembership.Status.ACTIVE
    ).update(role=role)
    if updated:
        _log(
            actor=actor,
            group=group,
            action=Action.MEMBER_ROLE,
            target_user=user,
            details=role,
        )


# --- Posting ------------------------------------------------------------------


def _require_poster(*, user: User, group: Group) -> selectors.Access:
    """The single gate for every way of writing in a group."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    access = selectors.group_access(user=user, group=group)
    if access.is_banned:
        raise Forbidden(_("You have been banned from this group."))
    if not access.can_read:
        raise PermissionDenied
    if not access.can_post:
        raise Forbidden(_("Only members of the group can write here."))
    return access


def _check_text(body: str) -> None:
    """The cheap checks on what was typed, before any parsing."""
    if len(body or "") > conf.max_post_length():
        raise ValidationError(
            _(
                "The text is too long: %(length)s characters, the limit is "
                "%(limit)s. Split it into more posts."
            )
            % {"length": len(body), "limit": conf.max_post_length()},
            code="too_long",
        )
    if not (body or "").strip():
        raise ValidationError(_("Write some text."), code="empty")


def _check_body(body: str) -> str:
    """The sanitised post; call ``_check_text`` (and the rate limit) first."""
    html = sanitize_post(body)
    if not strip_tags(html).strip():
        raise ValidationError(_("Write some text."), code="empty")
    if len(html) > conf.max_post_length() * 2:
        raise ValidationError(_("The text is too long."), code="too_long")
    return html


POST_LIMIT_SCOPE = "community:post"


def _rate_limited() -> ValidationError:
    return ValidationError(
        _(
            "You have written %(count)s posts in the last minute, the most "
            "allowed. Wait a minute and try again."
        )
        % {"count": conf.rate_limit_posts()},
        code="rate_limited",
    )


def _rate_limit_args(user: User) -> dict:
    return {
        "key": ratelimit.user_key(scope=POST_LIMIT_SCOPE, user=user),
        "limit": conf.rate_limit_posts(),
        "window": timedelta(seconds=conf.rate_limit_window_seconds()),
    }


def _check_rate_limit(*, user: User) -> None:
    """Refuse early, before sanitising, when the user's posts are used up.

    Advisory only: ``_rate_limit_take`` decides, atomically, inside the
    transaction that saves the post.
    """
    if ratelimit.counter_is_exhausted(**_rate_limit_args(user)):
        raise _rate_limited()


def _rate_limit_take(*, user: User) -> None:
    """Count this post against the limit; call inside the saving transaction, so a
    post that is not saved is not counted and twin requests cannot both pass."""
    if not ratelimit.counter_hit(**_rate_limit_args(user)):
        raise _rate_limited()


def attachment_check(*, upload: UploadedFile) -> tuple[str, str]:
    """Check one upload by its content; return (safe filename, detected MIME type)."""
    if upload.size > conf.max_attachment_bytes():
        raise ValidationError(
            _("%(name)s is larger than the limit of %(limit)s MB.")
            % {
                "name": upload.name,
                "limit": conf.max_attachment_bytes() // (1024 * 1024),
            },
            code="too_big",
        )
    name = get_valid_filename(upload.name.rsplit("/", 1)[-1])[-150:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = ALLOWED_ATTACHMENT_TYPES.get(extension)
    if expected is None:
        raise ValidationError(
            _(
                "%(name)s: this type of file is not accepted. Allowed: PDF, ODT, "
                "ODS, DOCX, XLSX, PNG, JPG, GIF, WebP."
            )
            % {"name": upload.name},
            code="type",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != expected:
        raise ValidationError(
            _("%(name)s: the content of the file does not match its name.")
            % {"name": upload.name},
            code="mismatch",
        )
    return name, expected


def attachment_prepare(*, upload: UploadedFile) -> dict:
    """Check one upload and, for a picture, re-encode it (upright, at most 2000
    pixels a side, no EXIF, GPS or other metadata).

    Returns the fields of the ``Attachment`` to save: ``filename``,
    ``content_type``, ``size``, ``width``, ``height`` and ``content`` (the file).
    Raises ``ValidationError`` with a message naming the file.
    """
    name, mime = attachment_check(upload=upload)
    if mime not in IMAGE_FORMATS:
        return {
            "filename": name,
            "content_type": mime,
            "size": upload.size,
            "width": None,
            "height": None,
            "content": upload,
        }
    upload.seek(0)
    image = image_reencode(data=upload.read(), mime=mime, name=upload.name)
    upload.seek(0)
    return {
        "filename": name,
        "content_type": mime,
        "size": image.content.size,
        "width": image.width,
        "height": image.height,
        "content": image.content,
    }


def _attachments_check(files: Iterable[UploadedFile]) -> list[dict]:
    files = list(files)
    if len(files) > conf.max_attachments_per_post():
        raise ValidationError(
            _("At most %(count)s attachments per post.")
            % {"count": conf.max_attachments_per_post()}
        )
    return [attachment_prepare(upload=upload) for upload in files]


def _attachments_save(*, post: Post, checked: list[dict]) -> None:
    for fields in checked:
        fields = dict(fields)
        content = fields.pop("content")
        attachment = Attachment(post=post, **fields)
        attachment.file.save(fields["filename"], content, save=False)
        attachment.save()


def _needs_premoderation(*, access: selectors.Access, user: User) -> bool:
    limit = access.group.premoderated_posts
    if not limit or access.can_moderate:
        return False
    published = Post.objects.filter(
        author=user,
        thread__group=access.group,
        status=PublicationStatus.PUBLISHED,
        is_deleted=False,
    ).count()
    return published < limit


def thread_create(
    *,
    author: User,
    group: Group,
    title: str,
    body: str,
    files: Iterable[UploadedFile] = (),
) -> Thread:
    """Open a discussion with its first post; the author watches it."""
    access = _require_poster(user=author, group=group)
    # Others can mention the author (and the autocomplete find them) by handle.
    profile_get_or_create(user=author)
    _check_text(body)
    _check_rate_limit(user=author)
    html = _check_body(body)
    checked = _attachments_check(files)
    status = (
        PublicationStatus.PENDING
        if _needs_premoderation(access=access, user=author)
        else PublicationStatus.PUBLISHED
    )
    now = timezone.now()
    with transaction.atomic():
        _rate_limit_take(user=author)
        thread = Thread(
            group=group,
            # One line: titles go into email subjects.
            title=" ".join((title or "").split()),
            author=author,
            status=status,
            last_post_at=now,
            last_post_author=author,
        )
        thread.full_clean()
        thread.save()
        post = Post(thread=thread, author=author, body=html, status=status)
        post.full_clean()
        post.save()
        _attachments_save(post=post, checked=checked)
        Thread.objects.filter(pk=thread.pk).update(last_post=post)
        thread.last_post = post
        Watch.objects.get_or_create(
            user=author, thread=thread, defaults={"level": WatchLevel.WATCHING}
        )
        if status == PublicationStatus.PUBLISHED:
            transaction.on_commit(lambda: notify_post(post_id=post.pk))
    return thread


def _quote_html(quote: Post) -> str:
    """The quoted text as stored in the reply: a blockquote without a header.

    Who wrote it is not stored in the text: ``Post.quoted`` points at the quoted
    post and the page renders "<name> wrote:" in the reader's language, without
    the name for a reader who cannot read the quoted post.
    """
    return f"<blockquote>{quote.body}</blockquote>"


def post_create(
    *,
    author: User,
    thread: Thread,
    body: str,
    quote: Post | None = None,
    files: Iterable[UploadedFile] = (),
) -> Post:
    """Reply in a thread, optionally quoting one of its posts.

    The thread row is locked while its counters move, so concurrent replies keep
    ``reply_count`` and the last-post fields exact.
    """
    access = _require_poster(user=author, group=thread.group)
    if not selectors.thread_list_visible(user=author, access=access).filter(
        pk=thread.pk, status=PublicationStatus.PUBLISHED
    ):
        raise PermissionDenied
    profile_get_or_create(user=author)
    if quote is not None:
        if quote.thread_id != thread.pk or not selectors.user_can_read_post(
            user=author, post=quote, access=access
        ):
            raise PermissionDenied
    _check_text(body)
    _check_rate_limit(user=author)
    if quote is not None:
        body = _quote_html(quote) + _check_body(body)
        _check_text(body)
    html = _check_body(body)
    checked = _attachments_check(files)
    status = (
        PublicationStatus.PENDING
        if _needs_premoderation(access=access, user=author)
        else PublicationStatus.PUBLISHED
    )
    with transaction.atomic():
        # The user's counter row before the thread row, always in this order.
        _rate_limit_take(user=author)
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.is_deleted:
            raise PermissionDenied
        if locked.is_locked and not access.can_moderate:
            raise ValidationError(
                _("This thread is locked: no new replies."), code="locked"
            )
        post = Post(
            thread=locked, author=author, body=html, status=status, quoted=quote
        )
        post.full_clean()
        post.save()
        _attachments_save(post=post, checked=checked)
        if status == PublicationStatus.PUBLISHED:
            Thread.objects.filter(pk=locked.pk).update(
                reply_count=F("reply_count") + 1,
                last_post=post,
                last_post_author=author,
                last_post_at=post.created_at,
            )
            transaction.on_commit(lambda: notify_post(post_id=post.pk))
    return post


def post_preview(
    *, author: User, group: Group, body: str, quote: Post | None = None
) -> str:
    """The sanitised HTML a post would be saved with, without saving anything.

    The same gate and checks as writing (so a preview never shows what could not
    be published), but no rate limit is counted and no attachment is read.
    ``quote`` must be a post of ``group`` that ``author`` can read.
    """
    access = _require_poster(user=author, group=group)
    _check_text(body)
    html = _check_body(body)
    if quote is not None:
        if quote.thread.group_id != group.pk or not selectors.user_can_read_post(
            user=author, post=quote, access=access
        ):
            raise PermissionDenied
        html = _quote_html(quote) + html
    return html


def post_edit(*, editor: User, post: Post, body: str) -> Post:
    """Change a post's text, keeping the previous text for the moderators."""
    access = selectors.group_access(user=editor, group=post.thread.group)
    is_author = post.author_id == editor.pk
    if access.is_banned or not access.can_read:
        raise PermissionDenied
    if not access.can_moderate:
        if not is_author or not access.can_post or post.is_deleted:
            raise PermissionDenied
        if post.status == PublicationStatus.HIDDEN:
            raise PermissionDenied
        if post.thread.is_locked:
            raise ValidationError(
                _("This thread is locked: posts can no longer be edited.")
            )
    _check_text(body)
    html = _check_body(body)
    if html == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
        post.body = html
        post.edited_at = timezone.now()
        post.full_clean()
        post.save(update_fields=["body", "edited_at"])
        if not is_author:
            _log(
                actor=editor,
                group=post.thread.group,
                action=Action.POST_EDIT,
                post=post,
                thread=post.thread,
                target_user=post.author,
            )
    return post


def thread_refresh_stats(*, thread_id: int) -> None:
    """Recount replies and the last post after a post is hidden, restored or
    deleted (not on the hot path of replying)."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread_id)
        visible = Post.objects.filter(
            thread=thread, status=PublicationStatus.PUBLISHED, is_deleted=False
        )
        last = visible.order_by("-id").select_related("author").first()
        thread.reply_count = max(visible.count() - 1, 0)
        thread.last_post = last
        if last is not None:
            thread.last_post_author = last.author
            thread.last_post_at = last.created_at
        thread.save(
            update_fields=[
                "reply_count",
                "last_post",
                "last_post_author",
                "last_post_at",
            ]
        )


def _first_post_id(thread: Thread) -> int | None:
    return (
        Post.objects.filter(thread=thread).order_by("id").values_list("pk", flat=True)
    ).first()


def post_delete(*, actor: User, post: Post) -> None:
    """Soft-delete a post (its author or a moderator). Deleting the first post
    deletes the thread."""
    access = selectors.group_access(user=actor, group=post.thread.group)
    is_author = post.author_id == actor.pk
    if not access.can_moderate and not (is_author and access.can_post):
        raise PermissionDenied
    thread = post.thread
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_deleted=True)
        post.is_deleted = True
        if _first_post_id(thread) == post.pk:
            Thread.objects.filter(pk=thread.pk).update(is_deleted=True)
        if not is_author:
            _log(
                actor=actor,
                group=thread.group,
                action=Action.POST_DELETE,
                post=post,
                thread=thread,
                target_user=post.author,
            )
    thread_refresh_stats(thread_id=thread.pk)


def post_moderate(*, actor: User, post: Post, action: str, reason: str = "") -> None:
    """Hide, restore or approve a post; resolves its open flags.

    ``reason`` (the pages require one to hide) goes to the log's details and to
    the author, who is told when their post or thread is hidden or restored."""
    _require_moderator(actor=actor, group=post.thread.group)
    transitions = {
        "hide": (PublicationStatus.HIDDEN, Action.POST_HIDE),
        "restore": (PublicationStatus.PUBLISHED, Action.POST_RESTORE),
        "approve": (PublicationStatus.PUBLISHED, Action.POST_APPROVE),
    }
    if action not in transitions:
        raise ValidationError(_("Unknown moderation action."))
    status, logged = transitions[action]
    thread = post.thread
    was_pending = post.status == PublicationStatus.PENDING
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=status)
        post.status = status
        if action == "restore":
            Post.objects.filter(pk=post.pk).update(is_deleted=False)
            post.is_deleted = False
        if _first_post_id(thread) == post.pk:
            updates = {"status": status}
            if action == "restore":
                updates["is_deleted"] = False
            Thread.objects.filter(pk=thread.pk).update(**updates)
        Flag.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
        reason = reason.strip()[:500]
        _log(
            actor=actor,
            group=thread.group,
            action=logged,
            post=post,
            thread=thread,
            target_user=post.author,
            details=reason,
        )
        if was_pending and status == PublicationStatus.PUBLISHED:
            transaction.on_commit(lambda: notify_post(post_id=post.pk))
        elif action in ("hide", "restore"):
            is_first = _first_post_id(thread) == post.pk
            Kind = Notification.Kind
            kinds = {
                ("hide", True): Kind.THREAD_HIDDEN,
                ("hide", False): Kind.POST_HIDDEN,
                ("restore", True): Kind.THREAD_RESTORED,
                ("restore", False): Kind.POST_RESTORED,
            }
            notify_author(
                kind=kinds[(action, is_first)],
                actor=actor,
                author=post.author,
                group=thread.group,
                thread=thread,
                post=post,
                reason=reason,
            )
    thread_refresh_stats(thread_id=thread.pk)


def thread_moderate(*, actor: User, thread: Thread, action: str) -> None:
    """Lock, unlock, pin, unpin or delete a thread."""
    _require_moderator(actor=actor, group=thread.group)
    changes = {
        "lock": ({"is_locked": True}, Action.THREAD_LOCK),
        "unlock": ({"is_locked": False}, Action.THREAD_UNLOCK),
        "pin": ({"is_pinned": True}, Action.THREAD_PIN),
        "unpin": ({"is_pinned": False}, Action.THREAD_UNPIN),
        "delete": ({"is_deleted": True}, Action.THREAD_DELETE),
    }
    if action not in changes:
        raise ValidationError(_("Unknown moderation action."))
    fields, logged = changes[action]
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(**fields)
        for name, value in fields.items():
            setattr(thread, name, value)
        _log(actor=actor, group=thread.group, action=logged, thread=thread)


def thread_move(
    *, actor: User, thread: Thread, to_group: Group, reason: str = ""
) -> None:
    """Move a thread to another group; the actor must moderate both. Its author
    is told (with the optional ``reason``) if they can read the new group."""
    source = thread.group
    _require_moderator(actor=actor, group=source)
    _require_moderator(actor=actor, group=to_group)
    if to_group.pk == source.pk:
        return
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(group=to_group)
        thread.group = to_group
        reason = reason.strip()[:500]
        details = _("from %(source)s to %(target)s") % {
            "source": source.name,
            "target": to_group.name,
        }
        if reason:
            details = f"{details}: {reason}"
        for group in (source, to_group):
            _log(
                actor=actor,
                group=group,
                action=Action.THREAD_MOVE,
                thread=thread,
                target_user=thread.author,
                details=details,
            )
        notify_author(
            kind=Notification.Kind.THREAD_MOVED,
            actor=actor,
            author=thread.author,
            group=to_group,
            thread=thread,
            reason=reason,
        )


def flag_create(*, reporter: User, post: Post, reason: str, comment: str = "") -> Flag:
    """Report a post to the group's moderators (once per reporter while open)."""
    if not reporter.is_authenticated or not selectors.user_can_read_post(
        user=reporter, post=post
    ):
        raise PermissionDenied
    existing = Flag.objects.filter(
        post=post, reporter=reporter, resolved_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    flag = Flag(post=post, reporter=reporter, reason=reason, comment=comment.strip())
    flag.full_clean()
    with transaction.atomic():
        flag.save()
        notify_moderators(
            kind=Notification.Kind.FLAG,
            group=post.thread.group,
            actor=reporter,
            post=post,
            thread=post.thread,
            reason=flag.reason,
        )
    return flag


def flag_dismiss(*, actor: User, flag: Flag) -> None:
    group = flag.post.thread.group
    _require_moderator(actor=actor, group=group)
    Flag.objects.filter(pk=flag.pk).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    _log(
        actor=actor,
        group=group,
        action=Action.FLAG_DISMISS,
        post=flag.post,
        thread=flag.post.thread,
        details=flag.reason,
    )


# --- Reading and watching -------------------------------------------------------


def watch_set(
    *, user: User, level: str, thread: Thread | None = None, group: Group | None = None
) -> Watch:
    if level not in WatchLevel.values:
        raise ValidationError(_("Unknown notification level."))
    watch, _created = Watch.objects.update_or_create(
        user=user, thread=thread, group=group, defaults={"level": level}
    )
    return watch


def thread_mark_read(*, user: User, thread: Thread) -> None:
    if not user.is_authenticated:
        return
    now = timezone.now()
    # One UPDATE on every visit but the first.
    if not ThreadRead.objects.filter(user=user, thread=thread).update(read_at=now):
        try:
            with transaction.atomic():
                ThreadRead.objects.create(user=user, thread=thread, read_at=now)
        except IntegrityError:
            ThreadRead.objects.filter(user=user, thread=thread).update(read_at=now)


def group_mark_all_read(*, user: User, group: Group) -> None:
    GroupRead.objects.update_or_create(
        user=user, group=group, defaults={"read_at": timezone.now()}
    )


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Notifications ------------------------------------------------------------


def _mentioned_users(post: Post) -> list[User]:
    text = strip_tags(
        re.sub(r"<blockquote>.*?</blockquote>", "", post.body, flags=re.S)
    )
    handles = {match.lower() for match in MENTION.findall(text)}
    if not handles:
        return []
    return [
        profile.user
        for profile in CommunityProfile.objects.filter(
            handle__in=handles
        ).select_related("user")
    ]


def notify_post(*, post_id: int) -> list[Notification]:
    """Create the on-site notifications for a newly visible post and queue the
    emails. Only users who may read the post are ever considered."""
    from .tasks import notification_email_task

    post = (
        Post.objects.select_related("thread__group", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not post.is_visible_to_all:
        return []
    thread = post.thread
    is_first = _first_post_id(thread) == post.pk
    watches = Watch.objects.filter(thread=thread) | Watch.objects.filter(
        group=thread.group
    )
    thread_levels: dict[int, str] = {}
    group_levels: dict[int, str] = {}
    for watch in watches.select_related("user"):
        target = thread_levels if watch.thread_id else group_levels
        target[watch.user_id] = watch.level
    candidates: dict[int, str] = {}
    for user_id, level in group_levels.items():
        if level == WatchLevel.WATCHING:
            candidates[user_id] = (
                Notification.Kind.NEW_THREAD if is_first else Notification.Kind.REPLY
            )
    for user_id, level in thread_levels.items():
        if level == WatchLevel.WATCHING and not is_first:
            candidates[user_id] = Notification.Kind.REPLY
        elif level == WatchLevel.MUTED:
            candidates.pop(user_id, None)
    for user in _mentioned_users(post):
        if thread_levels.get(user.pk) != WatchLevel.MUTED:
            candidates[user.pk] = Notification.Kind.MENTION
    candidates.pop(post.author_id, None)
    recipients = User.objects.filter(pk__in=candidates, is_active=True)
    notifications = [
        Notification(recipient=user, kind=candidates[user.pk], post=post)
        for user in recipients
        if selectors.user_can_read_post(user=user, post=post)
    ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(
            post=post,
            kind__in=Notification.POST_KINDS,
            recipient__in=[n.recipient for n in notifications],
        )
        .filter(
            recipient__community_profile__email_mode=CommunityProfile.EmailMode.IMMEDIATE
        )
        .values_list("pk", flat=True)
    )
    without_profile = list(
        Notification.objects.filter(
            post=post,
            kind__in=Notification.POST_KINDS,
            recipient__in=[n.recipient for n in notifications],
            recipient__community_profile__isnull=True,
        ).values_list("pk", flat=True)
    )
    for notification_id in created + without_profile:
        notification_email_task.enqueue(notification_id=notification_id)
    return notifications


def _notify(
    *,
    recipients: Iterable[User],
    kind: str,
    group: Group,
    actor: User | None,
    post: Post | None = None,
    thread: Thread | None = None,
    reason: str = "",
) -> list[Notification]:
    """On-site notifications about a moderation event, and their emails queued
    for after the commit. These are sent at once (unless the recipient turned
    community emails off): they ask for an action or concern the recipient's
    own writing."""
    from .tasks import notification_email_task

    notifications = [
        Notification.objects.create(
            recipient=user,
            kind=kind,
            group=group,
            actor=actor,
            post=post,
            thread=thread,
            reason=reason[:500],
        )
        for user in recipients
    ]
    for notification in notifications:
        transaction.on_commit(
            lambda pk=notification.pk: notification_email_task.enqueue(
                notification_id=pk
            )
        )
    return notifications


def notify_moderators(
    *,
    kind: str,
    group: Group,
    actor: User,
    post: Post | None = None,
    thread: Thread | None = None,
    reason: str = "",
) -> list[Notification]:
    """Tell a group's moderators (or the global ones, when it has none) that a
    flag or a join request waits for them; never the person who caused it."""
    recipients = [
        user
        for user in selectors.group_moderators(group=group).exclude(pk=actor.pk)
        if selectors.group_access(user=user, group=group).can_moderate
    ]
    return _notify(
        recipients=recipients,
        kind=kind,
        group=group,
        actor=actor,
        post=post,
        thread=thread,
        reason=reason,
    )


def notify_author(
    *,
    kind: str,
    actor: User,
    author: User | None,
    group: Group,
    thread: Thread,
    post: Post | None = None,
    reason: str = "",
) -> list[Notification]:
    """Tell an author that a moderator hid, restored or moved their writing,
    if they can read the group it is in (a private group is not revealed)."""
    if author is None or author.pk == actor.pk or not author.is_active:
        return []
    if not selectors.group_access(user=author, group=group).can_read:
        return []
    return _notify(
        recipients=[author],
        kind=kind,
        group=group,
        actor=actor,
        post=post,
        thread=thread,
        reason=reason,
    )
