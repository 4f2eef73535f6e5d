"""django-allauth adapter: the portal's hooks into sign-up, login and email."""

from allauth.account.adapter import DefaultAccountAdapter

from portal.mail.services import email_send


class AccountAdapter(DefaultAccountAdapter):
    """Send allauth's emails (verification, password reset) through the task queue.

    A slow or unreachable SMTP server then never holds up the page the user waits on.
    """

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
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
