"""The shipped nginx configuration in front of the portal: X-Accel-Redirect
delivers the exact bytes; the private location cannot be reached directly."""

import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from kit_downloads.models import DownloadEvent

from .conftest import FILE_BYTES

NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
SNIPPET = Path(__file__).resolve().parents[2] / "deploy/nginx/esplora-kit-private.conf"
PREFIX = "/_kit_private/"

# serialized_rollback: put back the rows of data migrations (root page, locales)
# that the flush after a transactional test removes, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path, live_server, private_root):
    """Debian's nginx on a loopback port, proxying to the live server, with the
    repository's internal location pointed at the test's private root."""
    if not (os.path.exists(NGINX) or shutil.which("nginx")):
        if os.environ.get("CI"):
            pytest.fail(f"nginx is required in CI but {NGINX} does not exist")
        pytest.skip(f"nginx not installed at {NGINX}: apt-get install -y nginx")
    workdir = tmp_path / "nginx"
    workdir.mkdir()
    private_root.mkdir(parents=True, exist_ok=True)
    snippet = SNIPPET.read_text().replace(
        "/srv/esplora-lavoro/var/private/", f"{private_root}/"
    )
    assert str(private_root) in snippet
    (workdir / "kit-private.conf").write_text(snippet)
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {name}_temp_path {workdir}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (workdir / "nginx.conf").write_text(
        f"""
{user}
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{port};
        include {workdir}/kit-private.conf;
        location / {{
            proxy_pass http://{upstream};
            proxy_set_header Host $host;
        }}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(workdir),
            "-c",
            str(workdir / "nginx.conf"),
            "-e",
            str(workdir / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _get(url: str, cookie: str = "") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def test_nginx_serves_the_exact_bytes_and_hides_the_private_path(
    kit, visitor, nginx, settings
):
    settings.KIT_X_ACCEL_REDIRECT_PREFIX = PREFIX
    _client, user = visitor("approved")
    path = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])

    status, headers, body = _get(nginx + path, _cookie(user))
    assert status == HTTPStatus.OK
    assert hashlib.sha256(body).hexdigest() == kit.file.sha256
    assert body == FILE_BYTES
    assert (
        headers["Content-Disposition"] == 'attachment; filename="kit-silla-1.10.0.zip"'
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers.get_all("Content-Security-Policy") == ["default-src 'none'"]
    assert "X-Accel-Redirect" not in headers
    assert DownloadEvent.objects.count() == 1

    # Resuming works through nginx too.
    request = urllib.request.Request(
        nginx + path, headers={"Cookie": _cookie(user), "Range": "bytes=100-199"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == HTTPStatus.PARTIAL_CONTENT
        assert response.read() == FILE_BYTES[100:200]

    # The storage path, asked for directly, is not served by anyone.
    for direct in (
        PREFIX + kit.file.file.name,
        "/private/" + kit.file.file.name,
        "/media/" + kit.file.file.name,
    ):
        status, _headers, body = _get(nginx + direct, _cookie(user))
        assert status in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}, direct
        assert FILE_BYTES not in body


def test_nginx_refuses_whoever_django_refuses(kit, visitor, nginx, settings):
    settings.KIT_X_ACCEL_REDIRECT_PREFIX = PREFIX
    _client, user = visitor("suspended")
    path = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])
    status, _headers, body = _get(nginx + path, _cookie(user))
    assert status == HTTPStatus.FORBIDDEN
    assert FILE_BYTES not in body
    status, _headers, _body = _get(nginx + path)
    assert status == HTTPStatus.FOUND
