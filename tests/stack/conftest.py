"""Fixtures for the journeys through the production stack (`make test-stack`).

The tests here talk to the live stack that `make stack` started (nginx on
127.0.0.1:443 for https://esplora.test, gunicorn, the RQ worker, PostgreSQL, the
SMTP capture in var/stack/mail); they never use the Django test database. They
are marked `stack` and are left out unless the marker is asked for
(`pytest -m stack tests/stack`).

- BASE_URL: the site's address.
- stack (session): stack.manage(*args) runs manage.py with the stack's
  environment and returns its standard output; stack.mailbox reads captured mail.
- browser (session), page (per test, console errors in page.console_errors).
- https_request(method, path, *, source_ip=...): one raw HTTPS request to nginx
  from a loopback address of your choice, without following redirects. Also
  importable: `from tests.stack.conftest import https_request, unique_email`.
- unique_email(prefix): a fresh address.
"""

import email
import email.policy
import email.utils
import html
import importlib.util
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from http.client import HTTPMessage, HTTPSConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]


def _load_stack_script():
    """deploy/stack/stack.py, which starts the stack: its environment file and
    the clean process environment are read the same way here."""
    spec = importlib.util.spec_from_file_location(
        "esplora_stack_script", ROOT / "deploy" / "stack" / "stack.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STACK_SCRIPT = _load_stack_script()
STACK_DIR = ROOT / "var" / "stack"
HOST = "esplora.test"
BASE_URL = f"https://{HOST}"
# The stack's host name resolves to the nginx on this machine.
STACK_CHROMIUM_ARGS = [f"--host-resolver-rules=MAP {HOST} 127.0.0.1", *CHROMIUM_ARGS]


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/stack `stack`, and leave them out unless the
    marker expression asks for them (plain `make test` has no stack running)."""
    here = Path(__file__).parent
    wanted = "stack" in (config.option.markexpr or "")
    kept, dropped = [], []
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.stack)
            (kept if wanted else dropped).append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# Raw HTTPS -------------------------------------------------------------------


def _tls_context() -> ssl.SSLContext:
    """Verifies nginx's certificate against the stack's own self-signed one."""
    return ssl.create_default_context(cafile=str(STACK_DIR / "tls" / "cert.pem"))


class _LoopbackHTTPSConnection(HTTPSConnection):
    """Connects to nginx on 127.0.0.1:443 from a chosen source address, with
    esplora.test as SNI and Host, whatever the resolver says."""

    def __init__(self, source_ip: str, timeout: float):
        super().__init__(HOST, 443, timeout=timeout, context=_tls_context())
        self._source_ip = source_ip

    def connect(self):
        raw = socket.create_connection(
            ("127.0.0.1", 443), self.timeout, source_address=(self._source_ip, 0)
        )
        self.sock = self._context.wrap_socket(raw, server_hostname=HOST)


def https_request(
    method: str,
    path: str,
    *,
    source_ip: str = "127.0.0.1",
    data: dict | str | bytes | None = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, HTTPMessage, bytes]:
    """One request to https://esplora.test<path> through nginx; redirects are
    returned, not followed. A dict `data` is sent as a urlencoded form (add the
    csrftoken cookie, the csrfmiddlewaretoken field and a Referer for Django's
    CSRF check yourself)."""
    headers = dict(headers or {})
    body = None
    if isinstance(data, dict):
        body = urlencode(data, doseq=True).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif isinstance(data, str):
        body = data.encode()
    elif data is not None:
        body = data
    if cookies:
        headers["Cookie"] = "; ".join(
            f"{key}={value}" for key, value in cookies.items()
        )
    connection = _LoopbackHTTPSConnection(source_ip, timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}@example.org"


@pytest.fixture(name="https_request")
def https_request_fixture():
    return https_request


@pytest.fixture(name="unique_email")
def unique_email_fixture():
    return unique_email


# Captured mail ---------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.found.extend(
                value for name, value in attrs if name == "href" and value
            )


_URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass
class Mailbox:
    """The messages the SMTP capture wrote to var/stack/mail, oldest first."""

    directory: Path
    consumed: set[str] = field(default_factory=set)

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob("*.eml"))

    @staticmethod
    def _read(path: Path) -> EmailMessage:
        message = email.message_from_bytes(
            path.read_bytes(), policy=email.policy.default
        )
        message.filename = path.name
        return message

    def messages(self) -> list[EmailMessage]:
        return [self._read(path) for path in self._files()]

    @staticmethod
    def recipients(message: EmailMessage) -> list[str]:
        values = []
        for header in ("To", "Cc", "X-Capture-Rcpt-To"):
            values.extend(str(value) for value in message.get_all(header, []))
        return [address.lower() for _name, address in email.utils.getaddresses(values)]

    def wait_for(
        self, *, to: str, subject_contains: str = "", timeout: float = 30
    ) -> EmailMessage:
        """The newest message to `to` whose subject contains `subject_contains`
        that no earlier wait_for returned; waits up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for path in reversed(self._files()):
                if path.name in self.consumed:
                    continue
                message = self._read(path)
                if to.lower() in self.recipients(message) and (
                    subject_contains in str(message.get("Subject", ""))
                ):
                    self.consumed.add(path.name)
                    return message
            if time.monotonic() > deadline:
                seen = [
                    f"{', '.join(self.recipients(m))}: {m.get('Subject')}"
                    for m in self.messages()[-15:]
                ]
                pytest.fail(
                    f"no email to {to} with {subject_contains!r} in the subject "
                    f"within {timeout:.0f}s; the last ones captured:\n  "
                    + "\n  ".join(seen)
                )
            time.sleep(0.25)

    @staticmethod
    def body_text(message: EmailMessage) -> str:
        """The plain-text body, or the HTML one without tags when there is none."""
        part = message.get_body(preferencelist=("plain",))
        if part is not None:
            return part.get_content()
        part = message.get_body(preferencelist=("html",))
        if part is None:
            return ""
        return html.unescape(re.sub(r"<[^>]+>", " ", part.get_content()))

    @staticmethod
    def links(message: EmailMessage) -> list[str]:
        """Every http(s) link in the message (HTML hrefs, then text URLs), once."""
        found = []
        for part in message.walk():
            if part.is_multipart() or part.get_content_maintype() != "text":
                continue
            content = part.get_content()
            if part.get_content_subtype() == "html":
                parser = _Links()
                parser.feed(content)
                found.extend(html.unescape(link) for link in parser.found)
            found.extend(_URL.findall(content))
        return list(dict.fromkeys(link for link in found if link.startswith("http")))


# The stack -------------------------------------------------------------------


@dataclass
class Stack:
    env: dict[str, str]
    mailbox: Mailbox

    def manage(self, *args: str) -> str:
        """Run manage.py against the stack (its database, Redis, settings)."""
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *map(str, args)],
            cwd=ROOT,
            env=STACK_SCRIPT.process_env(self.env),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(
                f"manage.py {' '.join(map(str, args))} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def query(self, code: str):
        """Run Python ``code`` in the stack's Django shell; it prints one JSON
        value last, which is returned decoded (for facts no page shows)."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])


@pytest.fixture(scope="session")
def stack():
    env_file = STACK_DIR / "env"
    if not env_file.exists():
        pytest.fail("the stack was never started: run `make stack` first")
    try:
        status, _headers, _body = https_request("GET", "/healthz", timeout=10)
    except OSError as error:
        pytest.fail(f"the stack is not up ({error}): run `make stack` first")
    if status != 200:
        pytest.fail(f"the stack is not healthy: /healthz answered {status}")
    return Stack(env=STACK_SCRIPT.read_env(), mailbox=Mailbox(STACK_DIR / "mail"))


# The browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(stack):
    """Debian's chromium through Playwright, with esplora.test on 127.0.0.1."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(f"the stack tests need chromium at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; these tests make
    # no ORM calls, but Django's check would refuse any made by a fixture.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=STACK_CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.console_errors = []
    tab.on(
        "console",
        lambda message: (
            message.type == "error"
            and tab.console_errors.append(f"{message.text} ({message.location})")
        ),
    )
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    context.close()
