"""Notification emails: rendering, the signed unsubscribe link, the daily digest.

Every email is rendered in its recipient's own language (``User.language``).
Whether the notification still concerns the recipient (they may read the post,
they still moderate the group...) is checked again here, at send time, with
the selectors the pages use.
"""

import logging

from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from portal.mail.services import email_send_to_user, user_language
from portal.services import absolute_url

from . import selectors
from .models import CommunityProfile, Notification
from .names import display_name, moderator_name

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "community.unsubscribe"


def unsubscribe_token(*, user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["user"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(*, user) -> str:
    return absolute_url(
        reverse("community:unsubscribe", kwargs={"token": unsubscribe_token(user=user)})
    )


def _send(*, user, subject, template: str, context: dict, subject_params: dict) -> None:
    """Every community email: rendered in the recipient's own language, with the
    one-click unsubscribe link."""
    with translation.override(user_language(user)):
        link = unsubscribe_url(user=user)
    email_send_to_user(
        user=user,
        subject=subject,
        subject_params=subject_params,
        template=f"community/email/{template}.txt",
        context={**context, "unsubscribe_url": link},
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


# Notifications that ask a moderator to decide about someone.
MODERATOR_KINDS = {Notification.Kind.FLAG, Notification.Kind.JOIN_REQUEST}

SUBJECTS = {
    Notification.Kind.MENTION: gettext_lazy("%(author)s mentioned you in “%(thread)s”"),
    Notification.Kind.NEW_THREAD: gettext_lazy("New thread in %(group)s: “%(thread)s”"),
    Notification.Kind.REPLY: gettext_lazy("New reply in “%(thread)s”"),
    Notification.Kind.FLAG: gettext_lazy("A post was reported in %(group)s"),
    Notification.Kind.JOIN_REQUEST: gettext_lazy("%(person)s asks to join %(group)s"),
    Notification.Kind.POST_HIDDEN: gettext_lazy(
        "Your post in “%(thread)s” was hidden by the moderators"
    ),
    Notification.Kind.THREAD_HIDDEN: gettext_lazy(
        "Your thread “%(thread)s” was hidden by the moderators"
    ),
    Notification.Kind.POST_RESTORED: gettext_lazy(
        "Your post in “%(thread)s” is visible again"
    ),
    Notification.Kind.THREAD_RESTORED: gettext_lazy(
        "Your thread “%(thread)s” is visible again"
    ),
    Notification.Kind.THREAD_MOVED: gettext_lazy(
        "Your thread “%(thread)s” was moved to %(group)s"
    ),
}


def _wants_email(*, user, kind: str) -> bool:
    """News about posts follows the user's choice (each, digest, none); a
    moderation event is sent at once unless they turned community emails off."""
    profile = selectors.profile_for(user=user)
    mode = profile.email_mode if profile else CommunityProfile.EmailMode.IMMEDIATE
    if kind in Notification.POST_KINDS:
        return mode == CommunityProfile.EmailMode.IMMEDIATE
    return mode != CommunityProfile.EmailMode.OFF


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification if the recipient still wants it and it still
    concerns them (checked now, with the rules the pages use)."""
    notification = (
        Notification.objects.select_related(
            "recipient",
            "post__thread__group",
            "post__author",
            "thread__group",
            "group",
            "actor",
        )
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    if not _wants_email(user=user, kind=notification.kind):
        return False
    if not selectors.notification_still_relevant(notification=notification):
        logger.info(
            "Notification %s not emailed: it no longer concerns user %s",
            notification.pk,
            user.pk,
        )
        return False
    post = notification.post
    thread = notification.thread or (post.thread if post else None)
    group = notification.group or (thread.group if thread else None)
    with translation.override(user_language(user)):
        # Names that fall back to a translated label ("Former member").
        params = {
            "author": display_name(post.author) if post else "",
            # Moderators deciding on a request need to know who asks.
            "person": (
                moderator_name(notification.actor)
                if notification.kind in MODERATOR_KINDS
                else display_name(notification.actor)
            ),
            "thread": thread.title if thread else "",
            "group": group.name if group else "",
        }
        link = absolute_url(notification.get_target_url())
    if notification.kind in Notification.POST_KINDS:
        template = "notification"
        context = {"notification": notification, "post": post}
    else:
        template = "moderation"
        context = {
            "notification": notification,
            "post": post,
            "thread": thread,
            "group": group,
            "person": params["person"],
            "link": link,
        }
    _send(
        user=user,
        subject=SUBJECTS[notification.kind],
        subject_params=params,
        template=template,
        context=context,
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_send(*, user) -> int:
    """Send one user their digest of news about posts not yet emailed; returns
    how many items it listed (0: nothing sent). Moderation events are never left
    for the digest: they are sent at once."""
    pending = list(
        selectors.notification_list(user=user).filter(
            kind__in=Notification.POST_KINDS,
            emailed_at__isnull=True,
            read_at__isnull=True,
        )[:200]
    )
    readable = [
        n for n in pending if selectors.user_can_read_post(user=user, post=n.post)
    ]
    now = timezone.now()
    if readable:
        _send(
            user=user,
            subject=gettext_lazy("Your community digest"),
            subject_params={},
            template="digest",
            context={"notifications": readable},
        )
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    CommunityProfile.objects.filter(user=user).update(last_digest_at=now)
    return len(readable)


def digest_send_all() -> int:
    """The daily digest for every user who chose it; returns emails sent."""
    sent = 0
    profiles = CommunityProfile.objects.filter(
        email_mode=CommunityProfile.EmailMode.DIGEST, user__is_active=True
    ).select_related("user")
    for profile in profiles:
        if digest_send(user=profile.user):
            sent += 1
    return sent
