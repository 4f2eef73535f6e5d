"""Handing newsletter messages to the SMTP server, one recipient at a time.

An SMTP server takes responsibility for a message when it receives the final
``.`` of the DATA command. ``SmtpTransport.send`` sends the whole message except
that dot, calls ``handover()`` (which records the delivery as sent in the
database and says whether this worker still owns it), and only then sends the
dot. A worker killed before ``handover()`` commits leaves a message the server
discards (the connection closes in the middle of DATA); one killed after it has
written the dot leaves a message the server delivers. The only gap is the few
microseconds between the commit returning and the dot being written.

When Django is not configured for SMTP (the console backend of development, the
in-memory backend of some tests) ``DjangoTransport`` sends through Django's mail
backend instead, recording the hand-over just before.
"""

import re
import smtplib
import socket
import ssl
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_LEADING_DOT = re.compile(rb"(?m)^\.")
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")


class TemporaryFailure(Exception):
    """The server or the connection failed; sending again later may work."""


class PermanentFailure(Exception):
    """The server refused this recipient for good (for example: no such mailbox).

    Only a refused recipient is permanent: a refused sender or message is a
    problem of the whole send, retried a few times and then given up."""


class NotOwned(Exception):
    """Another worker took over the delivery; this one must not send it."""


def _failure(code: int, message, *, recipient: bool = False) -> Exception:
    text = message.decode(errors="replace") if isinstance(message, bytes) else message
    reason = f"{code} {text}".strip()
    if recipient and 500 <= code < 600:
        return PermanentFailure(reason)
    return TemporaryFailure(reason)


class SmtpTransport:
    """One SMTP connection reused for many messages, opened on first use."""

    def __init__(self, *, host, port, username="", password="", use_tls=False,
                 use_ssl=False, timeout=30):  # fmt: skip
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_tls, self.use_ssl = use_tls, use_ssl
        self.timeout = timeout
        self.connection: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls) -> "SmtpTransport":
        return cls(
            host=settings.EMAIL_HOST or "localhost",
            port=settings.EMAIL_PORT,
            username=settings.EMAIL_HOST_USER,
            password=settings.EMAIL_HOST_PASSWORD,
            use_tls=settings.EMAIL_USE_TLS,
            use_ssl=settings.EMAIL_USE_SSL,
            timeout=settings.EMAIL_TIMEOUT or 30,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _connect(self) -> smtplib.SMTP:
        if self.connection is not None:
            return self.connection
        try:
            if self.use_ssl:
                connection = smtplib.SMTP_SSL(
                    self.host,
                    self.port,
                    timeout=self.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            connection.ehlo_or_helo_if_needed()
            if self.use_tls:
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo_or_helo_if_needed()  # STARTTLS forgets the EHLO
            # The final "." is a small write after the body: without this, Nagle's
            # algorithm holds it back until the server's delayed ACK (~40 ms).
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.username:
                connection.login(self.username, self.password)
        except smtplib.SMTPResponseException as error:
            raise TemporaryFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(
                f"Cannot connect to {self.host}:{self.port}: {error}"
            ) from error
        self.connection = connection
        return connection

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (OSError, smtplib.SMTPException):
            self.connection.close()
        self.connection = None

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def send(self, *, sender: str, recipient: str, message: bytes,
             handover: Callable[[], bool]) -> None:  # fmt: skip
        """Deliver ``message``; raise TemporaryFailure, PermanentFailure or
        NotOwned. ``handover()`` runs before the final dot; False aborts."""
        connection = self._connect()
        try:
            code, reply = connection.mail(sender)
            if code != 250:
                raise _failure(code, reply)
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                raise _failure(code, reply, recipient=True)
            connection.putcmd("data")
            code, reply = connection.getreply()
            if code != 354:
                raise _failure(code, reply)
            body = _LEADING_DOT.sub(b"..", _LINE_ENDS.sub(b"\r\n", message))
            if not body.endswith(b"\r\n"):
                body += b"\r\n"
            connection.send(body)
            if not handover():
                # Closing in the middle of DATA makes the server discard it.
                self._drop()
                raise NotOwned
            connection.send(b".\r\n")
            code, reply = connection.getreply()
        except (TemporaryFailure, PermanentFailure):
            self._reset()
            raise
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            raise TemporaryFailure(f"Connection lost: {error}") from error
        if code != 250:
            self._reset()
            raise _failure(code, reply)

    def _reset(self) -> None:
        try:
            if self.connection is not None:
                self.connection.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()


class DjangoTransport:
    """Sends through Django's configured mail backend (no SMTP dot to hold)."""

    def __init__(self):
        self.connection = get_connection()

    def __enter__(self):
        self.connection.open()
        return self

    def __exit__(self, *exc_info):
        self.connection.close()

    def send_message(self, *, email_message, handover: Callable[[], bool]) -> None:
        if not handover():
            raise NotOwned
        try:
            self.connection.send_messages([email_message])
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(str(error)) from error


def uses_smtp() -> bool:
    return settings.EMAIL_BACKEND == SMTP_BACKEND
