"""Steps shared by the stack journeys: what a visitor does, through the public site.

Every step drives the deployed site in Chromium (or, for what a browser cannot
show, a raw HTTPS request) and follows links only from captured emails.
"""

import re
import time
from email.message import EmailMessage
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from tests.stack.conftest import BASE_URL

PASSWORD = "Esplora-journey-2026!"
ADMIN_EMAIL = "admin@esploralavoro.example"
ADMIN_PASSWORD = "esplora-demo-2026"

# Text that betrays an address the deployment should never show to a user.
LEAKS = ("127.0.0.1", "localhost", ":8000")
# A placeholder rendered empty leaves a space before punctuation: "Ciao da !".
EMPTY_PLACEHOLDER = re.compile(r"(?m)(?:\S \s*[!.,:;?](?:\s|$))|\{\{|\}\}|%\(")


def path_of(url: str) -> str:
    """The path (and query) of an absolute URL on the site, checking its origin."""
    assert url.startswith(BASE_URL + "/"), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_containing(stack, message: EmailMessage, fragment: str) -> str:
    """The one link of an email whose URL contains ``fragment``."""
    links = [link for link in stack.mailbox.links(message) if fragment in link]
    assert links, (fragment, stack.mailbox.links(message))
    assert len(set(links)) == 1, links
    return links[0]


def mail_seen(stack) -> set[str]:
    """The messages captured so far, to wait for one sent after this moment."""
    return {message.filename for message in stack.mailbox.messages()}


def wait_for_new(
    stack, seen: set[str], *, to: str, subject_contains: str = "", timeout=30
) -> EmailMessage:
    """The next email to ``to`` that is not in ``seen``: an address used by an
    earlier run (a demo user) has older, similar messages in the mailbox."""
    deadline = time.monotonic() + timeout
    while True:
        message = stack.mailbox.wait_for(
            to=to,
            subject_contains=subject_contains,
            timeout=max(1.0, deadline - time.monotonic()),
        )
        if message.filename not in seen:
            return message


def assert_site_links(stack, message: EmailMessage) -> list[str]:
    """Every link of the email points to the public site; returns them."""
    links = stack.mailbox.links(message)
    assert links, stack.mailbox.body_text(message)
    assert [link for link in links if not link.startswith(BASE_URL + "/")] == []
    return links


def assert_no_empty_placeholders(text: str) -> None:
    assert "Ciao da !" not in text, text
    assert "Hello from !" not in text, text
    match = EMPTY_PLACEHOLDER.search(text)
    assert match is None, (match.group(0), text)


# Browser steps -------------------------------------------------------------


def field(scope, label: str):
    """The form field labelled ``label`` (a required field's label ends in "*")."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def sign_up(page, *, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{BASE_URL}/account/signup/")
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    field(page, "Password (nuovamente)").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Registrazione").click()
    assert "/account/confirm-email/" in page.url, page.url


def verify_email(page, stack, *, email: str) -> EmailMessage:
    """Open the verification email's link and confirm; the user is logged in."""
    message = stack.mailbox.wait_for(to=email, subject_contains="email")
    text = stack.mailbox.body_text(message)
    assert_no_empty_placeholders(text)
    assert email in text, text
    link = link_containing(stack, message, "/account/confirm-email/")
    assert link.startswith(BASE_URL + "/account/confirm-email/"), link
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Conferma").click()
    assert page.url == f"{BASE_URL}/account/profilo/", page.url
    assert page.get_by_test_id("account-email").inner_text() == email
    return message


def sign_up_verified(page, stack, *, email: str, password: str = PASSWORD) -> None:
    sign_up(page, email=email, password=password)
    verify_email(page, stack, email=email)


def log_in(page, *, email: str, password: str = PASSWORD, next_path: str = "") -> None:
    url = f"{BASE_URL}/account/login/"
    if next_path:
        url += f"?next={next_path}"
    page.goto(url)
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Accedi").click()
    assert "/account/login/" not in page.url, page.locator("main").inner_text()


def log_out(page) -> None:
    page.goto(f"{BASE_URL}/account/profilo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Esci").click()
    page.goto(f"{BASE_URL}/account/profilo/")
    assert "/account/login/" in page.url, page.url


def reset_password(page, stack, *, email: str, new_password: str) -> EmailMessage:
    """Ask for a reset link, follow it from the email and set a new password."""
    page.goto(f"{BASE_URL}/account/login/")
    with page.expect_navigation():
        page.get_by_role("link", name="Password dimenticata?").click()
    field(page, "Email").fill(email)
    seen = mail_seen(stack)
    with page.expect_navigation():
        page.get_by_role("button", name="Reimposta la mia password").click()
    message = wait_for_new(stack, seen, to=email, subject_contains="password")
    assert_no_empty_placeholders(stack.mailbox.body_text(message))
    link = link_containing(stack, message, "/account/password/reset/key/")
    assert link.startswith(BASE_URL + "/account/password/reset/key/"), link
    page.goto(link)
    field(page, "Nuova password").fill(new_password)
    field(page, "Nuova password (nuovamente)").fill(new_password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button").first.click()
    assert "/account/password/reset/key/done/" in page.url, page.url
    return message


def admin_log_in(page, *, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD):
    page.goto(f"{BASE_URL}/admin/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="Accedi").click()
    assert "/admin/login/" not in page.url, page.url


def session_cookies(page) -> dict[str, str]:
    """The browser's cookies for the site, to repeat a request outside it."""
    host = urlsplit(BASE_URL).hostname
    return {
        cookie["name"]: cookie["value"]
        for cookie in page.context.cookies()
        if cookie["domain"].lstrip(".") == host
    }


# Raw HTTPS -----------------------------------------------------------------


def header(headers, name: str) -> str | None:
    """A response header, whatever mapping ``https_request`` returns."""
    if hasattr(headers, "get_all"):
        return headers.get(name)
    for key, value in dict(headers).items():
        if key.lower() == name.lower():
            return value
    return None


def set_cookies(headers) -> dict[str, str]:
    if hasattr(headers, "get_all"):
        raw = headers.get_all("Set-Cookie") or []
    else:
        raw = [
            value
            for key, value in (
                headers.items() if hasattr(headers, "items") else headers
            )
            if key.lower() == "set-cookie"
        ]
    jar = SimpleCookie()
    for line in raw:
        jar.load(line)
    return {key: morsel.value for key, morsel in jar.items()}


def form_csrf(https_request, path: str, *, source_ip: str) -> tuple[dict, str]:
    """GET a form page as a fresh client: its cookies and CSRF token."""
    status, headers, body = https_request("GET", path, source_ip=source_ip)
    assert status == 200, (status, body[:500])
    cookies = set_cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None, body[:500]
    return cookies, token.group(1).decode()
