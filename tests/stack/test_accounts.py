"""Accounts as deployed: sign up and verify from the email, log out, reset the
password from the email, and the login limit counted per client address."""

import secrets
import uuid
from http import HTTPStatus

import pytest

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, https_request, unique_email

pytestmark = pytest.mark.stack

TOO_MANY = "Troppi tentativi di accesso"
WRONG = "L&#x27;indirizzo email e/o la password che hai usato non sono corretti"


def test_sign_up_verify_log_out_and_reset_the_password(page, stack):
    email = unique_email("account")
    journeys.sign_up(page, email=email)
    message = journeys.verify_email(page, stack, email=email)
    text = stack.mailbox.body_text(message)
    assert "Ciao da " in text
    journeys.assert_site_links(stack, message)

    journeys.log_out(page)

    new_password = f"Nuova-{uuid.uuid4().hex[:10]}"
    reset = journeys.reset_password(page, stack, email=email, new_password=new_password)
    journeys.assert_site_links(stack, reset)
    journeys.log_in(page, email=email, password=new_password)
    page.goto(f"{BASE_URL}/account/profilo/")
    assert page.get_by_test_id("account-email").inner_text() == email
    # The old password no longer works.
    journeys.log_out(page)
    page.goto(f"{BASE_URL}/account/login/")
    journeys.field(page, "Email").fill(email)
    journeys.field(page, "Password").fill(journeys.PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Accedi").click()
    assert "/account/login/" in page.url
    assert "non sono corretti" in page.locator("main").inner_text()
    assert page.console_errors == []


def _loopback() -> str:
    """A loopback address of its own for this run (all of 127/8 is local)."""
    first, second, third = (1 + secrets.randbelow(254) for _ in range(3))
    return f"127.{first}.{second}.{third}"


def _login(*, source_ip: str, email: str, password: str, extra_headers=None):
    cookies, token = journeys.form_csrf(
        https_request, "/account/login/", source_ip=source_ip
    )
    status, headers, body = https_request(
        "POST",
        "/account/login/",
        source_ip=source_ip,
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={
            "Origin": BASE_URL,
            "Referer": f"{BASE_URL}/account/login/",
            **(extra_headers or {}),
        },
        cookies=cookies,
    )
    return status, headers, body.decode("utf-8", "replace")


def test_failed_logins_are_limited_per_client_address(page, stack):
    email = unique_email("ratelimit")
    journeys.sign_up_verified(page, stack, email=email)
    attacker, user_address = _loopback(), _loopback()
    while user_address.split(".")[1] == attacker.split(".")[1]:
        user_address = _loopback()

    # Ten failed logins from one address, each on an account of its own: the
    # per-account limit is never reached, the per-address one (10 a minute) is.
    for _attempt in range(10):
        status, _headers, body = _login(
            source_ip=attacker, email=unique_email("nobody"), password="sbagliata"
        )
        assert status == HTTPStatus.OK, status
        assert WRONG in body and TOO_MANY not in body
    # That address is now refused even with the right password, and cannot
    # escape by claiming another address in its own X-Forwarded-For.
    status, _headers, body = _login(
        source_ip=attacker, email=email, password=journeys.PASSWORD
    )
    assert status == HTTPStatus.TOO_MANY_REQUESTS or TOO_MANY in body, status
    status, _headers, body = _login(
        source_ip=attacker,
        email=email,
        password=journeys.PASSWORD,
        extra_headers={"X-Forwarded-For": user_address, "X-Real-IP": user_address},
    )
    assert status == HTTPStatus.TOO_MANY_REQUESTS or TOO_MANY in body, status

    # The real user, from another address, types the right password and is in.
    status, headers, body = _login(
        source_ip=user_address, email=email, password=journeys.PASSWORD
    )
    assert status == HTTPStatus.FOUND, (status, body[:2000])
    assert journeys.header(headers, "Location") in (
        "/account/profilo/",
        f"{BASE_URL}/account/profilo/",
    )
    assert "sessionid" in journeys.set_cookies(headers)
