"""django-allauth adapter: the portal's hooks into sign-up, login and email."""

from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portal.clientip import client_ip
from portal.mail.services import email_send
from portal.services import absolute_url, portal_site

# Context entries that allauth fills with absolute URLs built from the request;
# the portal writes them on its own address instead (PORTAL_BASE_URL).
_URL_KEYS = ("activate_url", "password_reset_url", "signup_url")


def _on_portal(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return absolute_url(path) if parts.scheme else url


class AccountAdapter(DefaultAccountAdapter):
    """Send allauth's emails (verification, password reset) through the task queue,
    with links on the portal's public address.

    A slow or unreachable SMTP server then never holds up the page the user waits
    on, and a link never depends on the Host header a request happened to carry.
    """

    def send_mail(self, template_prefix, email, context):
        ctx = {
            "request": allauth_context.request,
            "email": email,
            "current_site": portal_site(),
            **context,
        }
        for key in _URL_KEYS:
            if isinstance(ctx.get(key), str):
                ctx[key] = _on_portal(ctx[key])
        message = self.render_mail(template_prefix, email, ctx)
        html_body = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        email_send(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html_body=html_body,
            headers=dict(message.extra_headers) or None,
        )

    def get_email_confirmation_url(self, request, emailconfirmation):
        path = reverse("account_confirm_email", args=[emailconfirmation.key])
        return absolute_url(path)

    def get_reset_password_from_key_url(self, key):
        path = reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}
        )
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def save_user(self, request, user, form, commit=True):
        """A new account reads its emails in the language of the page it signed
        up on; the profile page changes it."""
        language = translation.get_language() or ""
        if language in {code for code, _name in settings.LANGUAGES}:
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        return client_ip(request)
