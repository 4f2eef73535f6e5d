"""The client's address, as every rate limit and log line must see it.

Behind the shipped nginx, REMOTE_ADDR is nginx itself (127.0.0.1) for everybody;
the client is the entry that the first trusted proxy appended to X-Forwarded-For.
``PORTAL_TRUSTED_PROXY_COUNT`` says how many proxies there are (0 on the
development server, 1 behind nginx, 2 behind a load balancer and nginx), so an
address written by the client itself in X-Forwarded-For is never believed.
allauth's rate limits use this function too (``AccountAdapter.get_client_ip``).
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder, never bound to


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request``.

    With N trusted proxies, it is the N-th entry from the right of
    X-Forwarded-For. A request that did not come through them (a header too
    short, or missing) falls back to REMOTE_ADDR, which is then the real peer.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PORTAL_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            address = _clean(forwarded[-count])
            if address:
                return address
        logger.warning(
            "X-Forwarded-For %r does not match %s trusted proxies; using %s",
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            count,
            remote,
        )
    return _clean(remote) or UNKNOWN
