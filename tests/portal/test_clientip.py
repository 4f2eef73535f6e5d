import pytest
from django.test import RequestFactory

from portal.clientip import UNKNOWN, client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        # Development server: the peer is the client; a forged header is ignored.
        (0, "", "192.0.2.7", "192.0.2.7"),
        (0, "203.0.113.9", "192.0.2.7", "192.0.2.7"),
        # Behind nginx, which overwrites the header with the peer's address.
        (1, "203.0.113.9", "127.0.0.1", "203.0.113.9"),
        # nginx appending to a header the client forged: the last entry wins.
        (1, "6.6.6.6, 203.0.113.9", "127.0.0.1", "203.0.113.9"),
        # A load balancer and nginx.
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "127.0.0.1", "203.0.113.9"),
        (1, "2001:db8::1", "127.0.0.1", "2001:db8::1"),
        (1, "203.0.113.9:5120", "127.0.0.1", "203.0.113.9"),
        # Not through the proxy (header missing, short or garbage): the peer.
        (1, "", "127.0.0.1", "127.0.0.1"),
        (2, "203.0.113.9", "127.0.0.1", "127.0.0.1"),
        (1, "not-an-address", "127.0.0.1", "127.0.0.1"),
        (0, "", "", UNKNOWN),
    ],
)
def test_client_ip(settings, proxies, forwarded, remote, expected):
    settings.PORTAL_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_ip(request) == expected
