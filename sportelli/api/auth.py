"""What every call to the desks' API goes through: the key, the language, the
rate limit, the error shape and the audit row.

- ``Authorization: Bearer <prefix>.<secret>`` (or ``Api-Key <prefix>.<secret>``,
  or the ``X-Api-Key`` header). Missing, malformed, unknown or revoked: 401.
  A key whose desk is suspended, or whose administration is not approved: 403.
- Messages are in the language of ``Accept-Language`` (Italian by default);
  a session cookie or a language cookie plays no part.
- At most ``SPORTELLI_API_RATE_LIMIT`` calls per key and
  ``SPORTELLI_API_RATE_WINDOW`` seconds (``portal.ratelimit``): then 429 with
  ``Retry-After``.
- Every error has one shape, ``{"errors": {"<field>": ["message", ...]}}``
  (``__all__`` for what concerns no single field).
- Every call, answered or refused, leaves an ``ApiCall`` row: method, path,
  status, how many objects it returned or wrote, duration, client address and
  request id. Never the body: it may hold profiles.
"""

import functools
import hashlib
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from portal.clientip import client_ip
from portal.forbidden import Forbidden
from portal.ratelimit.services import counter_hit, window_start

from ..models import ApiCall, ApiKey
from ..services.api_keys import (
    api_key_authenticate,
    api_key_desk_usable,
    api_key_touch,
)

logger = logging.getLogger(__name__)

# Bodies larger than this are refused with 413 (a bulk of 1,000 vacancies with
# long descriptions stays well below).
MAX_BODY_BYTES = 10 * 1024 * 1024


def rate_limit() -> tuple[int, timedelta]:
    return (
        getattr(settings, "SPORTELLI_API_RATE_LIMIT", 120),
        timedelta(seconds=getattr(settings, "SPORTELLI_API_RATE_WINDOW", 60)),
    )


class ApiError(Exception):
    """Answer ``status`` with ``errors`` (field -> messages)."""

    def __init__(
        self,
        status: int,
        errors: dict,
        headers: dict | None = None,
        extra: dict | None = None,
    ):
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}


def errors_of(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as field -> messages (``__all__`` for the
    messages that name no field)."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


def error_response(
    status: int, errors: dict, extra: dict | None = None
) -> JsonResponse:
    return JsonResponse(
        {"errors": errors, **(extra or {})},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def json_response(request, payload, *, status: int = 200) -> HttpResponse:
    """JSON with an ETag (SHA-256 of the body); a GET whose If-None-Match
    matches gets 304, as the kit's API does."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    if request.method in ("GET", "HEAD") and status == 200:
        etag = '"' + hashlib.sha256(body).hexdigest() + '"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response = HttpResponse(body, content_type="application/json", status=status)
        response["ETag"] = etag
        return response
    return HttpResponse(body, content_type="application/json", status=status)


def read_json(request):
    """The request's JSON body, or 400/413 with the reason."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise ApiError(
            413,
            {
                "__all__": [
                    gettext("The body is too large (at most %(mb)s MB).")
                    % {"mb": MAX_BODY_BYTES // (1024 * 1024)}
                ]
            },
        )
    raw = request.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, {"__all__": [gettext("The body is too large.")]})
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(
            400, {"__all__": [gettext("The body is not valid JSON (UTF-8).")]}
        ) from None


def api_language(request) -> str:
    """The supported language the caller prefers (Accept-Language only)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, value = header.strip().partition(" ")
    if scheme.lower() in ("bearer", "api-key") and value.strip():
        return value.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


def _authenticate(request) -> ApiKey:
    token = _token(request)
    key = api_key_authenticate(token) if token else None
    if key is None:
        message = (
            _("This API key is unknown or revoked.")
            if token
            else _("Send the desk's API key: Authorization: Bearer <key>.")
        )
        raise ApiError(
            401,
            {"__all__": [str(message)]},
            {"WWW-Authenticate": 'Bearer realm="sportelli"'},
        )
    if not api_key_desk_usable(key):
        raise ApiError(
            403,
            {
                "__all__": [
                    gettext(
                        "The desk of this API key is suspended, or its "
                        "administration is not approved."
                    )
                ]
            },
        )
    return key


def _rate_limit(key: ApiKey) -> None:
    limit, window = rate_limit()
    with transaction.atomic():
        allowed = counter_hit(
            key=f"sportelli-api:key:{key.pk}", limit=limit, window=window
        )
    if not allowed:
        now = timezone.now()
        retry = window_start(window=window, now=now) + window - now
        seconds = max(int(retry.total_seconds()) + 1, 1)
        raise ApiError(
            429,
            {
                "__all__": [
                    gettext(
                        "Too many calls with this API key: at most %(limit)s every "
                        "%(seconds)s seconds. Try again in %(retry)s seconds."
                    )
                    % {
                        "limit": limit,
                        "seconds": int(window.total_seconds()),
                        "retry": seconds,
                    }
                ]
            },
            {"Retry-After": str(seconds)},
        )


def _audit(request, *, key, status: int, started: float) -> None:
    try:
        ApiCall.objects.create(
            key=key,
            sportello_id=key.sportello_id if key else None,
            method=request.method[:8],
            path=request.path[:255],
            status_code=status,
            objects_count=getattr(request, "api_objects", 0),
            duration_ms=int((time.monotonic() - started) * 1000),
            client_ip=client_ip(request),
            request_id=getattr(request, "request_id", "")[:64],
        )
    except Exception:  # the answer matters more than its audit row
        logger.exception(
            "Could not record the API call %s %s", request.method, request.path
        )


def endpoint(*methods: str, public: bool = False):
    """Make ``view(request, key, **kwargs)`` an API endpoint answering
    ``methods`` (``public``: no key, ``key`` is None, no audit row, cacheable)."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            started = time.monotonic()
            language = api_language(request)
            key = None
            request.api_objects = 0
            with translation.override(language):
                try:
                    if request.method not in allowed:
                        raise ApiError(
                            405,
                            {"__all__": [gettext("This method is not allowed here.")]},
                            {"Allow": ", ".join(sorted(allowed))},
                        )
                    if not public:
                        key = _authenticate(request)
                        _rate_limit(key)
                    response = view(request, key, **kwargs)
                except ApiError as error:
                    response = error_response(error.status, error.errors, error.extra)
                    for name, value in error.headers.items():
                        response[name] = value
                except ValidationError as error:
                    response = error_response(422, errors_of(error))
                except Forbidden as error:
                    response = error_response(403, {"__all__": [str(error.args[0])]})
                except PermissionDenied:
                    response = error_response(
                        403, {"__all__": [gettext("This API key may not do this.")]}
                    )
                except Http404:
                    response = error_response(
                        404,
                        {"__all__": [gettext("Nothing was found at this address.")]},
                    )
                except Exception:
                    if not public:
                        _audit(request, key=key, status=500, started=started)
                    raise
                if key is not None:
                    api_key_touch(key)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language", "Authorization"))
            if not public:
                response["Cache-Control"] = "private, no-store"
            response["X-Content-Type-Options"] = "nosniff"
            if not public:
                _audit(request, key=key, status=response.status_code, started=started)
            return response

        wrapper.api_methods = tuple(sorted(set(methods)))
        return wrapper

    return decorate
