import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class MailSink:
    """An SMTP peer that answers the DATA command with ``replies`` in turn (a
    temporary or permanent refusal), then accepts every message."""

    replies: list[str] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            self.received.append(envelope.content)
        return "250 Accepted"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(raw, policy=email.policy.default)
            for raw in self.received
        ]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, used through
    the portal's SMTP backend."""
    sink = MailSink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "portal.mail.backends.SMTPBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    controller.stop()
