"""Every email the stack sent during the run (named to run after the journeys):
no development or internal address anywhere, every link on the public site."""

import pytest

from tests.stack import journeys
from tests.stack.conftest import BASE_URL

pytestmark = pytest.mark.stack

# Added by the SMTP capture, not sent by the portal.
CAPTURE_HEADERS = {"x-capture-mail-from", "x-capture-rcpt-to"}


def _decoded(message) -> str:
    """Headers (RFC 2047 decoded) and every text part (transfer-decoded)."""
    lines = [
        f"{name}: {value}"
        for name, value in message.items()
        if name.lower() not in CAPTURE_HEADERS
    ]
    for part in message.walk():
        if not part.is_multipart() and part.get_content_maintype() == "text":
            lines.append(part.get_content())
    return "\n".join(lines)


def _name(message) -> str:
    return f"{getattr(message, 'filename', '?')} {message.get('Subject')!r}"


def test_no_email_shows_an_internal_address_and_every_link_is_public(stack):
    messages = stack.mailbox.messages()
    assert messages, "the run captured no email at all"
    leaks, outside = [], []
    for message in messages:
        text = _decoded(message)
        for needle in journeys.LEAKS:
            if needle in text:
                line = next(line for line in text.splitlines() if needle in line)
                leaks.append(f"{_name(message)}: {needle!r} in {line.strip()[:160]!r}")
        outside.extend(
            f"{_name(message)}: {link}"
            for link in stack.mailbox.links(message)
            if not link.startswith(BASE_URL + "/")
        )
    assert leaks == [], "\n".join(leaks)
    assert outside == [], "\n".join(outside)
