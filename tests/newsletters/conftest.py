import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from .factories import make_archive


@dataclass
class Received:
    sender: str
    recipients: list[str]
    content: bytes


@dataclass
class Handler:
    """Accepts everything except the addresses in ``refuse`` (550)."""

    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    refuse_sender: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return self.refuse_sender
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"

    def parsed(self):
        return [
            email.message_from_bytes(message.content, policy=email.policy.default)
            for message in self.messages
        ]


class SmtpServer:
    def __init__(self, handler: Handler):
        self.handler = handler
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        self.running = True

    def stop(self):
        if getattr(self, "running", False):
            self.controller.stop()
            self.running = False


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a loopback port, used by Django's SMTP
    backend and by the newsletter's own transport."""
    handler = Handler()
    server = SmtpServer(handler)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def archive(tree):
    return make_archive(tree.home)


@pytest.fixture(autouse=True)
def _italian():
    """A request to /en/ leaves English active in the thread; start in Italian."""
    from django.utils import translation

    translation.activate("it")
    yield
    translation.activate("it")
