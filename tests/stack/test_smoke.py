"""The stack as deployed answers: TLS on 443, the redirect on 80, precompressed
static files, the private location hidden, the client address handed on."""

import gzip
import http.client
import re
import time
from http import HTTPStatus

from .conftest import BASE_URL, HOST, STACK_DIR, https_request


def test_home_page_renders_in_chromium_without_console_errors(stack, page):
    response = page.goto(BASE_URL + "/")
    assert response.status == HTTPStatus.OK
    assert response.url == BASE_URL + "/"
    assert page.locator("h1").first.is_visible()
    # The stylesheet and scripts came through nginx's /static/.
    assert page.locator("link[rel=stylesheet][href^='/static/']").count() > 0
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_plain_http_redirects_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", 80, timeout=10)
    connection.request("GET", "/seminari/?mese=3", headers={"Host": HOST})
    response = connection.getresponse()
    assert response.status == HTTPStatus.MOVED_PERMANENTLY
    assert response.headers["Location"] == f"{BASE_URL}/seminari/?mese=3"
    connection.close()


def test_acme_challenge_stays_on_plain_http(stack):
    challenge = STACK_DIR / "acme" / ".well-known" / "acme-challenge" / "token-42"
    challenge.parent.mkdir(parents=True, exist_ok=True)
    challenge.write_text("token-42.key")
    connection = http.client.HTTPConnection("127.0.0.1", 80, timeout=10)
    connection.request(
        "GET", "/.well-known/acme-challenge/token-42", headers={"Host": HOST}
    )
    response = connection.getresponse()
    assert response.status == HTTPStatus.OK
    assert response.read() == b"token-42.key"
    connection.close()


def test_static_files_are_precompressed_and_cached_for_a_year(stack):
    _status, _headers, body = https_request("GET", "/")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    # The name carries the content's hash (ManifestStaticFilesStorage).
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)

    status, headers, compressed = https_request(
        "GET", stylesheet, headers={"Accept-Encoding": "gzip"}
    )
    assert status == HTTPStatus.OK
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=31536000" in headers["Cache-Control"]
    # Served by nginx from STATIC_ROOT: no Django header on it.
    assert "Content-Security-Policy" not in headers

    status, headers, plain = https_request("GET", stylesheet)
    assert status == HTTPStatus.OK
    assert "Content-Encoding" not in headers
    assert gzip.decompress(compressed) == plain


def test_private_files_are_not_reachable_directly(stack):
    private = STACK_DIR / "data" / "private"
    names = [path for path in private.rglob("*") if path.is_file()]
    assert names, "the demo content stores kit files in KIT_PRIVATE_ROOT"
    relative = names[0].relative_to(private).as_posix()
    for path in (
        f"/_kit_private/{relative}",
        f"/media/{relative}",
        f"/private/{relative}",
    ):
        status, _headers, body = https_request("GET", path)
        assert status == HTTPStatus.NOT_FOUND, path
        assert names[0].read_bytes()[:64] not in body


def test_django_sees_the_client_address_nginx_saw(stack):
    conf = (STACK_DIR / "nginx" / "site.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf

    marker = f"/healthz?probe={time.time_ns()}"
    status, _headers, _body = https_request(
        "GET",
        marker,
        source_ip="127.0.0.2",
        # A forged header from the client is overwritten by nginx.
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert status == HTTPStatus.OK
    # gunicorn's access log starts with the X-Forwarded-For it received.
    access_log = STACK_DIR / "logs" / "gunicorn-access.log"
    deadline = time.monotonic() + 5
    line = ""
    while time.monotonic() < deadline and not line:
        line = next(
            (row for row in access_log.read_text().splitlines() if marker in row), ""
        )
        time.sleep(0.1)
    assert line.startswith("127.0.0.2 "), line
    assert "203.0.113.9" not in line
    # nginx's request id reached gunicorn (X-Request-ID).
    assert re.search(r" rid=[0-9a-f]{32} ", line), line
