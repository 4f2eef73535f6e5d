"""Notification emails: rendering, the signed unsubscribe link, the daily digest.

Whether the recipient may read the post is checked again here, at send time,
with the same selector the pages use.
"""

import logging

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.mail.services import email_send
from portal.services import absolute_url, site_url

from . import selectors
from .models import CommunityProfile, Notification
from .names import display_name

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


def _send(*, user, subject: str, template: str, context: dict) -> None:
    link = unsubscribe_url(user=user)
    context = {**context, "site_url": site_url(), "unsubscribe_url": link}
    email_send(
        subject=f"[Esplora Lavoro] {subject}",
        body=render_to_string(f"community/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification if the recipient still wants it and may read it."""
    notification = (
        Notification.objects.select_related(
            "recipient", "post__thread__group", "post__author"
        )
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    profile = selectors.profile_for(user=user)
    mode = profile.email_mode if profile else CommunityProfile.EmailMode.IMMEDIATE
    if mode != CommunityProfile.EmailMode.IMMEDIATE:
        return False
    if not selectors.user_can_read_post(user=user, post=notification.post):
        logger.info(
            "Notification %s not emailed: user %s may no longer read post %s",
            notification.pk,
            user.pk,
            notification.post_id,
        )
        return False
    post = notification.post
    with translation.override(settings.LANGUAGE_CODE):
        subject = {
            Notification.Kind.MENTION: _("%(author)s mentioned you in “%(thread)s”"),
            Notification.Kind.NEW_THREAD: _("New thread in %(group)s: “%(thread)s”"),
            Notification.Kind.REPLY: _("New reply in “%(thread)s”"),
        }[notification.kind] % {
            "author": display_name(post.author),
            "thread": post.thread.title,
            "group": post.thread.group.name,
        }
        _send(
            user=user,
            subject=subject,
            template="notification",
            context={"notification": notification, "post": post},
        )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_send(*, user) -> int:
    """Send one user their digest of notifications not yet emailed; returns how
    many items it listed (0: nothing sent)."""
    pending = list(
        selectors.notification_list(user=user).filter(
            emailed_at__isnull=True, read_at__isnull=True
        )[:200]
    )
    readable = [
        n for n in pending if selectors.user_can_read_post(user=user, post=n.post)
    ]
    now = timezone.now()
    if readable:
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                user=user,
                subject=_("Your community digest"),
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
