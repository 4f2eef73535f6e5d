"""The SILLA kit as deployed: an administration registers, staff approve it in
the admin, its referente downloads a release file that nginx serves from the
private storage (X-Accel-Redirect), bytes and SHA-256 equal."""

import hashlib
import re
import secrets
import time
import uuid
from http import HTTPStatus
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, https_request, unique_email

pytestmark = pytest.mark.stack


def _codice_fiscale() -> str:
    """A random 11-digit codice fiscale of a legal entity with its check digit."""
    first_ten = "8" + "".join(str(secrets.randbelow(10)) for _ in range(9))
    total = 0
    for index, char in enumerate(first_ten):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return first_ten + str((10 - total % 10) % 10)


def _register(page, *, name: str, codice_ipa: str) -> None:
    page.goto(f"{BASE_URL}/account/profilo/")
    with page.expect_navigation():
        page.get_by_role("link", name="La tua amministrazione e il kit SILLA").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Registra la tua amministrazione").click()
    form = page.locator("main form")
    journeys.field(form, "Nome dell'amministrazione").fill(name)
    journeys.field(form, "Tipo").select_option("comune")
    journeys.field(form, "codice IPA").fill(codice_ipa)
    journeys.field(form, "Codice fiscale dell'amministrazione").fill(_codice_fiscale())
    pec = f"protocollo@pec.{codice_ipa.replace('_', '-')}.example"
    journeys.field(form, "indirizzo PEC").fill(pec)
    journeys.field(form, "Regione").select_option("16")
    journeys.field(form, "Provincia").fill("Bari")
    journeys.field(form, "Comune").fill("Bari")
    journeys.field(form, "Nome del referente").fill("Rosa")
    journeys.field(form, "Cognome del referente").fill("Lamberti")
    journeys.field(form, "Ruolo del referente").fill("Responsabile dello sportello")
    journeys.field(form, "Telefono del referente").fill("+39 080 5771111")
    journeys.field(form, "Uso previsto").fill("Apertura dello Sportello Lavoro.")
    # Bootstrap Italia draws the checkbox on its label: the user clicks the label.
    form.locator("label", has_text="Accetto, per conto dell'amministrazione").click()
    assert form.get_by_label(re.compile("^Accetto, per conto")).is_checked()
    with page.expect_navigation():
        form.get_by_role("button", name="Iscriviti").click()
    main = page.locator("main").inner_text()
    assert page.url == f"{BASE_URL}/kit/amministrazione/", main
    assert "in attesa di approvazione" in main


def _approve_in_admin(browser, stack, *, name: str) -> None:
    """The demo administrator, a registration reviewer, is told by email and
    follows the email's link to the review page of the Wagtail admin."""
    notice = stack.mailbox.wait_for(to=journeys.ADMIN_EMAIL, subject_contains=name)
    assert "esaminare" in notice["Subject"], notice["Subject"]
    assert name in stack.mailbox.body_text(notice)
    journeys.assert_site_links(stack, notice)
    review_url = journeys.link_containing(stack, notice, "/admin/")
    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    try:
        admin = context.new_page()
        admin.set_default_timeout(20_000)
        journeys.admin_log_in(admin)
        admin.goto(review_url)
        heading = admin.get_by_role("heading", name=re.compile(re.escape(name)))
        expect(heading).to_be_visible()
        journeys.field(admin, "Decisione").select_option("approve")
        with admin.expect_navigation():
            admin.get_by_role("button", name="Salva la decisione").click()
        assert admin.get_by_test_id("status").inner_text().strip() == "Approvata"
    finally:
        context.close()


def _log_line(marker: str, log: str, timeout: float = 10) -> str:
    """The line of a stack log that mentions ``marker`` (logs are flushed late)."""
    path = Path(__file__).resolve().parents[2] / "var" / "stack" / "logs" / log
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in path.read_text().splitlines() if marker in line]
        if lines or time.monotonic() > deadline:
            assert len(lines) == 1, (log, marker, lines)
            return lines[0]
        time.sleep(0.25)


def _file_facts(stack, *, file_pk: int) -> dict:
    """Where the stack keeps a release file and what it published for it."""
    code = (
        "import json; from django.conf import settings; "
        "from kit_downloads.models import ReleaseFile; "
        "from kit_downloads import conf; "
        f"f = ReleaseFile.objects.get(pk={file_pk}); "
        "print(json.dumps({'name': f.file.name, 'sha256': f.sha256, 'size': f.size, "
        "'root': str(settings.KIT_PRIVATE_ROOT), "
        "'prefix': conf.x_accel_redirect_prefix()}))"
    )
    return stack.query(code)


def test_an_administration_registers_is_approved_and_downloads_the_kit(
    page, browser, stack
):
    email = unique_email("kit")
    journeys.sign_up_verified(page, stack, email=email)
    suffix = uuid.uuid4().hex[:8]
    name = f"Comune di Prova {suffix}"
    _register(page, name=name, codice_ipa=f"c_{suffix}")
    received = stack.mailbox.wait_for(to=email, subject_contains="ricevuta")
    assert name in received["Subject"]
    journeys.assert_site_links(stack, received)

    _approve_in_admin(browser, stack, name=name)
    approved = stack.mailbox.wait_for(to=email, subject_contains="è approvata")
    assert name in approved["Subject"]
    journeys.assert_site_links(stack, approved)
    page.goto(journeys.link_containing(stack, approved, "/kit/amministrazione/"))
    status = page.get_by_test_id("organisation").filter(has_text=name)
    assert status.get_by_test_id("organisation-status").inner_text() == "Approvata"
    with page.expect_navigation():
        status.get_by_role("link", name=re.compile("^Ultima release")).click()

    # The release page lists the file with its checksum; the browser downloads it.
    row = page.get_by_test_id("release-files").locator("tbody tr").first
    published = row.locator("code").inner_text().strip()
    link = row.get_by_role("link").first
    href = link.get_attribute("href")
    match = re.fullmatch(r"/kit/scarica/(\d+)/([^/]+)", href)
    assert match, href
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    data = Path(download.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == published
    assert download.suggested_filename == match.group(2)

    facts = _file_facts(stack, file_pk=int(match.group(1)))
    assert facts["sha256"] == published
    assert facts["prefix"], "the stack must hand kit files to nginx"
    on_disk = (Path(facts["root"]) / facts["name"]).read_bytes()
    assert on_disk == data
    sums_href = page.get_by_role("link", name="SHA256SUMS", exact=True).get_attribute(
        "href"
    )
    status, _headers, sums = https_request("GET", sums_href)
    assert status == HTTPStatus.OK
    assert f"{published}  {match.group(2)}\n" in sums.decode()

    # The same download outside the browser, with the session: nginx served the
    # bytes from its internal location and the internal header did not leak.
    cookies = journeys.session_cookies(page)
    agent = f"journey-kit-{uuid.uuid4().hex}"
    status, headers, body = https_request(
        "GET", href, cookies=cookies, headers={"User-Agent": agent}
    )
    assert status == HTTPStatus.OK, (status, body[:300])
    assert journeys.header(headers, "X-Accel-Redirect") is None
    assert journeys.header(headers, "Content-Length") == str(len(data))
    assert journeys.header(headers, "Last-Modified") is not None  # nginx, from disk
    assert hashlib.sha256(body).hexdigest() == published
    # gunicorn answered with an empty body: the bytes came from nginx.
    assert re.search(r'"GET [^"]+" 200 0 ', _log_line(agent, "gunicorn-access.log"))
    disposition = journeys.header(headers, "Content-Disposition") or ""
    assert disposition.startswith("attachment") and match.group(2) in disposition
    status, headers, body = https_request(
        "GET", href, cookies=cookies, headers={"Range": "bytes=0-99"}
    )
    assert status == HTTPStatus.PARTIAL_CONTENT, status
    assert body == data[:100]
    assert journeys.header(headers, "Content-Range") == f"bytes 0-99/{len(data)}"

    # Nobody else gets it: not an anonymous visitor, not a forged internal path.
    status, headers, body = https_request("GET", href)
    assert status == HTTPStatus.FOUND, status
    assert "/account/login/" in journeys.header(headers, "Location")
    assert hashlib.sha256(body).hexdigest() != published
    internal = facts["prefix"].rstrip("/") + "/" + facts["name"]
    status, _headers, body = https_request("GET", internal, cookies=cookies)
    assert status == HTTPStatus.NOT_FOUND, status
    assert page.console_errors == []
