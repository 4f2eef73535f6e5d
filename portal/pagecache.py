"""The page cache for anonymous visitors: one module for what may be cached,
under which key, and what makes it stale.

A response is stored only when nobody in particular asked for it: a GET without
a session, messages or Authorization, answered 200 with no cookie, no CSRF token
and no ``private``/``no-store`` in its Cache-Control, of a content type meant for
everyone (pages, feeds, open data). Such a response is the same for every
anonymous visitor of that address and language, so it is served again from the
``pages`` cache until what it shows changes.

Staleness is handled by a generation number stored with every entry: apps
declare with ``invalidate_on(Model, ...)`` the models whose writes change public
pages (a page published, a practice's topic renamed, a reply posted), and Wagtail's
publish/unpublish/move/delete signals are connected here. The generation moves on
after the writing transaction commits, so a render that started before the commit
is stored with the old generation and never served (it also moves at the write
itself). The generation and the entry are read in one round trip (``get_many``).
Coarse on purpose: public content changes a few times an hour, a page is rendered
again once after each change, and no rule about which page lists what can be
forgotten. Entries
also expire after ``PAGE_CACHE_SECONDS`` (for what time alone changes, such as a
seminar whose registration closes).

Deployed, a plain hit (anonymous GET or HEAD, no conditional header) is answered
by ``PageCacheFront``, the WSGI application around Django in portal.wsgi, with the
same rules and key read from the environ; the middleware answers the rest (and
every hit where Django is called directly: the test client). If the cache cannot
be reached, pages are rendered and not stored.

Browsers and proxies get ``Cache-Control: public, max-age=0, must-revalidate``
with an ETag for the cacheable responses, so a reload costs a 304 from the cache
(answered here for a stored page, by Django's ConditionalGetMiddleware, just
inside this one, for the others); everything else that has no Cache-Control of
its own gets ``private, no-cache``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

from .observability import REQUEST_ID_HEADER, incoming_or_new

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "pagecache:generation"
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/json",
    "application/ld+json",
    "application/geo+json",
    "text/csv",
    "text/calendar",
    "text/plain",
)
# Request headers that make a response someone's own.
PERSONAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY")
STORED_HEADERS_SKIPPED = {"set-cookie", "x-cache"}
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class _ReusedRedisClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection
    pool: Django's builds a new one for every cache operation, and building one
    (its table of ~170 response callbacks) cost more CPU than the round trip
    itself, a quarter of a page-cache hit. A ``redis.Redis`` is thread-safe and
    its pool reconnects after a fork, so one per pool is enough."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache backend with a client kept per connection pool (see
    ``_ReusedRedisClient``); the settings use it for every Redis cache."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClient


def _enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def _cache():
    return caches[CACHE_ALIAS]


def generation() -> int:
    """The current generation; a new one starts from the clock, so a restarted
    cache never meets entries of an earlier life under the same number."""
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate() -> None:
    """Make every stored page stale: now, and again once the current transaction
    commits (a page rendered in between may have read the old rows)."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def _bump() -> None:
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or evicted
        cache.set(GENERATION_KEY, time.time_ns() // 1000, timeout=None)


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures
        return
    invalidate()


def _on_m2m(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        invalidate()


def invalidate_on(*models) -> None:
    """Declare models whose saves and deletes change what anonymous visitors see."""
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m,
                sender=field.remote_field.through,
                dispatch_uid=uid + field.name,
            )


def connect_wagtail() -> None:
    """Pages: publish, unpublish, move and delete; called once from PortalConfig."""
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_on_write, dispatch_uid="pagecache:published")
    page_unpublished.connect(_on_write, dispatch_uid="pagecache:unpublished")
    post_page_move.connect(_on_write, dispatch_uid="pagecache:moved")

    def on_page_delete(sender, instance, **kwargs):
        if isinstance(instance, Page):
            invalidate()

    post_delete.connect(on_page_delete, weak=False, dispatch_uid="pagecache:deleted")


def _address_decides_language(urlconf=None) -> bool:
    """True when the address alone says the language (the portal's case:
    i18n_patterns without a prefix for the default language)."""
    i18n_used, prefixed_default = is_language_prefix_patterns_used(
        urlconf or settings.ROOT_URLCONF
    )
    return i18n_used and not prefixed_default


def _language(request) -> str:
    """The language LocaleMiddleware will activate for this request."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    if _address_decides_language(urlconf):
        # No cookie or Accept-Language to read, as LocaleMiddleware ends up doing.
        return _language_of_path(request.path_info)
    i18n_used, _ = is_language_prefix_patterns_used(urlconf)
    return translation.get_language_from_request(request, check_path=i18n_used)


def _language_of_path(path_info: str) -> str:
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


def _excluded(path: str) -> bool:
    prefixes = getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())
    return path.startswith(tuple(prefixes))


def _anonymous_request(request) -> bool:
    return _anonymous(request.method, request.META, request.COOKIES)


def _servable(method: str, meta, cookies, path_info: str) -> bool:
    """Whether a stored page may answer this request: the cache is on, the
    address is not excluded and nobody in particular is asking."""
    return _enabled() and not _excluded(path_info) and _anonymous(method, meta, cookies)


def _anonymous(method: str, meta, cookies) -> bool:
    """Nobody in particular: a GET or HEAD without a session, messages or
    credentials (``meta`` is the WSGI environ, or a request's META)."""
    if method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not any(meta.get(header) for header in PERSONAL_HEADERS)


def _scheme(meta) -> str:
    """As ``HttpRequest.scheme`` reads it, from the environ."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        value = meta.get(header)
        if value is not None:
            return "https" if value.split(",")[0].strip() == secure else "http"
    return meta.get("wsgi.url_scheme", "http")


def _key(request) -> str:
    return _address_key(
        request.META,
        request.META.get("SCRIPT_NAME", ""),
        request.path_info,
        _language(request),
    )


def _address_key(meta, script_name: str, path_info: str, language: str) -> str:
    """The key of one address in one language. The host is the one asked for,
    unchecked: only a response Django answered (so to an allowed host) is ever
    stored, and an address under any other host simply misses. The path is the
    one Django decodes (``path_info``), so the WSGI front and the middleware
    agree on addresses outside ASCII."""
    host = meta.get("HTTP_HOST") or "{}:{}".format(
        meta.get("SERVER_NAME", ""), meta.get("SERVER_PORT", "")
    )
    query = meta.get("QUERY_STRING", "")
    address = "|".join(
        (
            _scheme(meta),
            host,
            language,
            script_name + path_info + ("?" + query if query else ""),
        )
    )
    return "pagecache:page3:" + hashlib.sha256(address.encode()).hexdigest()


def _lookup(key: str):
    """The current generation and the entry stored at ``key`` if it belongs to
    it, in one round trip to the cache."""
    found = _cache().get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return current, entry[1:]
    return current, None


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.has_header("X-Accel-Redirect"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = response.get("Vary", "")
    allowed = {"cookie", "accept-language", "accept-encoding", ""}
    if any(part.strip().lower() not in allowed for part in vary.split(",")):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in CACHEABLE_TYPES:
        return False
    return len(response.content) <= getattr(
        settings, "PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024
    )


def _conditional(request, response):
    """A 304 (or 412) for a stored page, as ConditionalGetMiddleware answers
    the pages it sees; that middleware sits inside this one, so a hit, answered
    here, never reaches it."""
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=last_modified and parse_http_date_safe(last_modified),
        response=response,
    )


def _from_entry(entry) -> HttpResponse:
    """The stored response. Its headers were checked when they were first set,
    so they are put back as ResponseHeaders keeps them (lower-cased name ->
    (name, value)) in one step: setting them one by one, each encoded and
    checked again, was a tenth of a hit."""
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    response.headers._store.update(headers)
    return response


def _entry_headers(response) -> dict[str, tuple[str, str]]:
    """The headers to store, keyed as ResponseHeaders keeps them, with the
    ``X-Cache: HIT`` every served copy carries."""
    headers = {
        name.lower(): (name, value)
        for name, value in response.items()
        if name.lower() not in STORED_HEADERS_SKIPPED
    }
    headers["x-cache"] = ("X-Cache", "HIT")
    return headers


class PageCacheMiddleware:
    """Serve and store anonymous responses; placed right after the request id,
    so a stored response carries every header the other middleware added and a
    hit runs no other middleware (ConditionalGetMiddleware, next, answers the
    304s of misses; ``_conditional`` those of hits)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _servable(
            request.method, request.META, request.COOKIES, request.path_info
        ):
            return self._uncached(request)
        key = _key(request)
        try:
            current, entry = _lookup(key)
        except Exception:
            # The cache is down: the page is still served, rendered.
            logger.warning("Page cache unavailable", exc_info=True)
            return self._uncached(request)
        if entry is not None:
            response = _from_entry(entry)
            if request.method == "HEAD":
                response.content = b""  # Content-Length stays the stored one
            elif any(request.META.get(header) for header in CONDITIONAL_HEADERS):
                response = _conditional(request, response)
            return response
        response = self.get_response(request)
        if request.method == "GET" and _storable(request, response):
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            patch_vary_headers(response, ("Cookie",))
            if not response.has_header("ETag"):
                set_response_etag(response)
            headers = _entry_headers(response)
            timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)
            # Stored with the generation read before rendering: if a write moved
            # it meanwhile, this render is already stale and never served.
            try:
                _cache().set(
                    key,
                    (current, response.status_code, headers, response.content),
                    timeout,
                )
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
            response["X-Cache"] = "MISS"
            return response
        return self._private(request, response)

    def _uncached(self, request):
        return self._private(request, self.get_response(request))

    @staticmethod
    def _private(request, response):
        if not response.has_header("Cache-Control") and not response.streaming:
            personal = (
                response.cookies
                or has_vary_header(response, "Cookie")
                or not _anonymous_request(request)
            )
            if personal or request.method not in ("GET", "HEAD"):
                patch_cache_control(response, private=True, no_cache=True)
        return response


class PageCacheFront:
    """The WSGI application in front of Django (portal.wsgi): a stored page asked
    for plainly (anonymous GET or HEAD, no conditional header) is answered here,
    before Django builds a request, sends its request signals and runs its
    middleware, which together cost more than the lookup itself. The rules are
    the middleware's (``_anonymous``, ``_address_key``, the generation), read
    from the environ; anything else, and any cache error, goes on to Django,
    where ``PageCacheMiddleware`` answers it (304s included) or stores it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            entry = self._hit(environ)
        except Exception:  # the cache is down: Django answers (and reports it)
            entry = None
        if entry is None:
            return self.application(environ, start_response)
        status, headers, content = entry
        listed = list(headers.values())
        listed.append(
            (REQUEST_ID_HEADER, incoming_or_new(environ.get("HTTP_X_REQUEST_ID")))
        )
        start_response(f"{status} {HTTPStatus(status).phrase}", listed)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else content]

    @staticmethod
    def _hit(environ):
        if not _address_decides_language():
            return None
        if any(environ.get(header) for header in CONDITIONAL_HEADERS):
            return None
        method = environ.get("REQUEST_METHOD", "")
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        path_info = get_path_info(environ) or "/"
        if not _servable(method, environ, cookies, path_info):
            return None
        key = _address_key(
            environ, get_script_name(environ), path_info, _language_of_path(path_info)
        )
        return _lookup(key)[1]
