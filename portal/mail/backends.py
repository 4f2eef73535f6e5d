"""The SMTP backend the portal sends through.

Django names every message it builds after the machine (``DNS_NAME``), which is
``localhost`` on many servers: a Message-ID like ``<...@localhost>`` is marked as
spam by some receivers and leaks an internal name. Every message that leaves
without a Message-ID of its own (Wagtail's moderation emails, allauth's, the
portal's) gets one on the portal's public host instead.
"""

from urllib.parse import urlsplit

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import make_msgid

from portal.services import site_url


def message_id_domain() -> str:
    return urlsplit(site_url()).hostname or "localhost"


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, with Message-IDs on the portal's host."""

    def send_messages(self, email_messages):
        domain = message_id_domain()
        for message in email_messages:
            headers = message.extra_headers
            if not any(name.lower() == "message-id" for name in headers):
                headers["Message-ID"] = make_msgid(domain=domain)
        return super().send_messages(email_messages)
