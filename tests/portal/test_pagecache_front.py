"""The page cache's WSGI front (portal.pagecache.PageCacheFront): what it answers
before Django, and everything it leaves to Django, driven as gunicorn drives it
(a WSGI environ, start_response) around Django's own handler."""

from http import HTTPStatus
from io import BytesIO
from urllib.parse import unquote
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from portal import pagecache
from tests.practices.factories import practice, practice_index


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.ALLOWED_HOSTS = ["esplora.test"]


class Counted:
    """Django's handler, counting the requests that reach it."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def django_app():
    # As Django's test client does: the test's transaction is the connection's,
    # so the request signals must not close it (PostgreSQL would roll it back).
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield Counted()
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


@pytest.fixture
def front(django_app):
    return pagecache.PageCacheFront(django_app)


def call(app, path, method="GET", **headers):
    """One request as gunicorn hands it over: PATH_INFO decoded as latin-1."""
    path_part, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path_part.encode().decode("latin-1"),
        "QUERY_STRING": query,
        "HTTP_HOST": "esplora.test",
        "wsgi.input": BytesIO(b""),
    }
    environ.update(
        {"HTTP_" + name.upper().replace("-", "_"): v for name, v in headers.items()}
    )
    setup_testing_defaults(environ)
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"] = int(status.split()[0])
        answered["headers"] = dict(headers)

    body = b"".join(app(environ, start_response))
    return answered["status"], answered["headers"], body


def test_a_stored_page_is_answered_before_django(front, django_app, tree):
    status, headers, first = call(front, "/")
    assert (status, headers["X-Cache"], django_app.calls) == (200, "MISS", 1)

    status, headers, again = call(front, "/", **{"X-Request-ID": "nginx-request-42"})
    assert django_app.calls == 1  # answered by the front
    assert status == HTTPStatus.OK
    assert again == first
    assert headers["X-Cache"] == "HIT"
    assert headers["X-Request-ID"] == "nginx-request-42"
    assert "public" in headers["Cache-Control"]
    assert headers["Content-Type"].startswith("text/html")
    # What the other middleware added when it was stored is served again.
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in headers


def test_each_language_and_address_has_its_own_copy(front, django_app, tree):
    call(front, "/")
    _, headers, english = call(front, "/en/")
    assert headers["X-Cache"] == "MISS"
    assert b'lang="en"' in english
    _, headers, italian = call(front, "/")
    assert headers["X-Cache"] == "HIT"
    assert b'lang="it"' in italian
    _, headers, _ = call(front, "/?pagina=2")
    assert headers["X-Cache"] == "MISS"
    assert django_app.calls == 3


def test_an_address_outside_ascii_is_found_again(front, django_app, tree):
    index = practice_index(tree.home)
    page = practice(index, title="Attività di rete", slug="attività-di-rete")
    # As gunicorn hands it over: percent-decoded, its UTF-8 bytes as latin-1.
    path = unquote(page.url)
    assert path.endswith("/attività-di-rete/")
    status, headers, _ = call(front, path)
    assert (status, headers["X-Cache"]) == (200, "MISS")
    status, headers, _ = call(front, path)
    assert (status, headers["X-Cache"]) == (200, "HIT")
    assert django_app.calls == 1


def test_head_answers_the_headers_alone(front, django_app, tree):
    _, stored_headers, body = call(front, "/")
    status, headers, empty = call(front, "/", method="HEAD")
    assert (status, empty, django_app.calls) == (200, b"", 1)
    assert (
        headers["Content-Length"] == stored_headers["Content-Length"] == str(len(body))
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "sessionid=abc"},
        {"Cookie": "messages=abc"},
        {"Authorization": "Bearer abc"},
        {"X-Api-Key": "abc"},
        {"If-None-Match": '"abc"'},
        {"If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT"},
    ],
)
def test_personal_and_conditional_requests_go_to_django(
    front, django_app, tree, headers
):
    call(front, "/")
    call(front, "/", **headers)
    assert django_app.calls == 2


def test_a_reload_with_the_etag_is_answered_by_django_with_304(front, django_app, tree):
    _, headers, _ = call(front, "/")
    status, _, body = call(front, "/", **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (HTTPStatus.NOT_MODIFIED, b"")


def test_posts_and_excluded_addresses_go_to_django(front, django_app, tree, settings):
    call(front, "/")
    call(front, "/", method="POST")
    assert django_app.calls == 2
    settings.PAGE_CACHE_EXCLUDED_PREFIXES = ("/",)
    call(front, "/")
    assert django_app.calls == 3


def test_a_stale_copy_goes_to_django(front, django_app, tree):
    call(front, "/")
    pagecache.invalidate()
    _, headers, _ = call(front, "/")
    assert (headers["X-Cache"], django_app.calls) == ("MISS", 2)


def test_another_scheme_or_host_never_gets_the_copy(front, django_app, tree, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    call(front, "/", **{"X-Forwarded-Proto": "https"})
    _, headers, _ = call(front, "/", **{"X-Forwarded-Proto": "http"})
    assert headers["X-Cache"] == "MISS"
    status, _, _ = call(front, "/", Host="evil.example")
    assert status == HTTPStatus.BAD_REQUEST  # Django refuses the host
    assert django_app.calls == 3


def test_a_cache_failure_leaves_the_request_to_django(
    front, django_app, tree, monkeypatch
):
    call(front, "/")

    def down(key):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(pagecache, "_lookup", down)
    status, headers, _ = call(front, "/")
    # Django answers, uncached, and says so in the log.
    assert (status, django_app.calls) == (HTTPStatus.OK, 2)
    assert "X-Cache" not in headers


def test_nothing_is_answered_with_the_cache_off(front, django_app, tree, settings):
    call(front, "/")
    settings.PAGE_CACHE_ENABLED = False
    call(front, "/")
    assert django_app.calls == 2


def test_the_deployed_application_is_the_front():
    from portal import wsgi

    assert isinstance(wsgi.application, pagecache.PageCacheFront)
