"""SILLA kit downloads of a large file (1 GB; KIT_BENCH_MB to change it):

- through nginx with X-Accel-Redirect: time spent in Django per download
  (target < 20 ms) and throughput against nginx serving the same file statically;
- through Django's streaming fallback (gunicorn, one sync worker): the worker's
  peak memory growth while it sends the file (target < 20 MB).

Skips (with a row saying so) when nginx is not installed.
"""

import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (
    ROOT,
    bench_environment,
    emit,
    free_port,
    prepare_database,
    wait_for_port,
)

SIZE_MB = int(os.environ.get("KIT_BENCH_MB", "1024"))
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
PREFIX = "/_kit_private/"


def settings_module(env: dict[str, str], private: Path, accel: bool) -> None:
    """A settings module for the benchmark's processes (base settings + kit)."""
    folder = Path(env["DJANGO_VAR_DIR"]) / "benchsettings"
    folder.mkdir(exist_ok=True)
    name = "bench_kit_accel" if accel else "bench_kit_stream"
    (folder / f"{name}.py").write_text(
        "from portal.settings.dev import *  # noqa\n"
        f"KIT_PRIVATE_ROOT = {str(private)!r}\n"
        f"KIT_X_ACCEL_REDIRECT_PREFIX = {PREFIX if accel else ''!r}\n"
    )
    env["PYTHONPATH"] = f"{folder}{os.pathsep}{ROOT}"
    env["DJANGO_SETTINGS_MODULE"] = name


def big_file(path: Path) -> str:
    block = hashlib.sha256(b"silla").digest() * 32768
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for _ in range(SIZE_MB):
            handle.write(block)
            digest.update(block)
    return digest.hexdigest()


def setup_data(env: dict[str, str], source: Path) -> tuple[str, str]:
    """Create an approved user and the release file; return (url, session cookie)."""
    os.environ.update(env)
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.test import Client

    from kit_downloads import services
    from kit_downloads.models import KitReleasePage, ReleaseFile
    from portal.accounts.models import Membership, Organisation

    user, _created = get_user_model().objects.get_or_create(email="bench@example.org")
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    organisation = Organisation.objects.get(codice_ipa="c_a662")
    Membership.objects.get_or_create(organisation=organisation, user=user)
    release = KitReleasePage.objects.live().filter(version="1.1.0").first()
    record = ReleaseFile.objects.filter(filename="bench.bin").first()
    if record is None:
        with source.open("rb") as handle:
            record = services.release_file_add(
                release=release, upload=File(handle, name="bench.bin"), platform="BIN"
            )
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    return record.get_absolute_url(), cookie, record


def in_process_accel(url: str, cookie: str) -> None:
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies.load(cookie)
    timings = []
    with override_settings(KIT_X_ACCEL_REDIRECT_PREFIX=PREFIX):
        for _ in range(50):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and "X-Accel-Redirect" in response
    timings.sort()
    emit(
        "kit",
        "X-Accel-Redirect",
        "Django time per download p50",
        timings[25],
        "ms",
        "< 20",
    )
    emit("kit", "X-Accel-Redirect", "Django time per download p95", timings[47], "ms")


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    received = 0
    while chunk := response.read(1024 * 1024):
        received += len(chunk)
    elapsed = time.perf_counter() - start
    connection.close()
    assert response.status == 200, response.status
    return received, elapsed


def gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
    )
    wait_for_port(port)
    return server


def worker_memory(master: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB of the gunicorn worker (the master's child)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text().splitlines()
    values = {
        line.split(":")[0]: int(line.split()[1])
        for line in status
        if line.startswith("Vm")
    }
    return values["VmRSS"], values["VmHWM"]


def through_nginx(env, private: Path, url: str, cookie: str, relative: str) -> None:
    if not os.path.exists(NGINX):
        emit("kit", "nginx", "skipped", 0, "", "nginx not installed")
        return
    work = Path(tempfile.mkdtemp(prefix="esplora-bench-nginx-"))
    app_port, port = free_port(), free_port()
    snippet = (ROOT / "deploy/nginx/esplora-kit-private.conf").read_text()
    (work / "kit.conf").write_text(
        snippet.replace("/srv/esplora-lavoro/var/private/", f"{private}/")
    )
    temps = "".join(
        f"{name}_temp_path {work}/{name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    upstream = f"proxy_pass http://127.0.0.1:{app_port}; proxy_set_header Host $host;"
    (work / "nginx.conf").write_text(
        f"{user}\ndaemon off; worker_processes 1;\n"
        f"pid {work}/nginx.pid; error_log {work}/error.log warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{ access_log off; {temps}\n"
        f"server {{ listen 127.0.0.1:{port}; include {work}/kit.conf;\n"
        f"location /static-copy/ {{ alias {private}/; }}\n"
        f"location / {{ {upstream} }} }} }}\n"
    )
    nginx = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(work),
            "-c",
            str(work / "nginx.conf"),
            "-e",
            str(work / "error.log"),
        ]
    )
    accel_env = dict(env)
    settings_module(accel_env, private, accel=True)
    server = gunicorn(accel_env, app_port)
    try:
        wait_for_port(port)
        fetch(port, url, cookie)  # warm up
        accel = [fetch(port, url, cookie) for _ in range(3)]
        static = [fetch(port, "/static-copy/" + relative) for _ in range(3)]
        for case, runs in (("X-Accel-Redirect", accel), ("nginx static", static)):
            best = min(elapsed for _size, elapsed in runs)
            emit("kit/nginx", case, "throughput", runs[0][0] / best / 1e6, "MB/s")
        ratio = min(e for _s, e in static) / min(e for _s, e in accel)
        emit(
            "kit/nginx",
            "X-Accel-Redirect",
            "throughput vs static",
            ratio * 100,
            "%",
            "~100",
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def streaming(env, private: Path, url: str, cookie: str) -> None:
    stream_env = dict(env)
    settings_module(stream_env, private, accel=False)
    port = free_port()
    server = gunicorn(stream_env, port)
    try:
        fetch(port, "/", "")  # warm the worker
        rss_before, _hwm = worker_memory(server.pid)
        size, elapsed = fetch(port, url, cookie)
        _rss, hwm_after = worker_memory(server.pid)
        emit(
            "kit/stream",
            f"{SIZE_MB} MB",
            "worker peak memory growth",
            (hwm_after - rss_before) / 1024,
            "MB",
            "< 20",
        )
        emit("kit/stream", f"{SIZE_MB} MB", "throughput", size / elapsed / 1e6, "MB/s")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    environment = bench_environment()
    prepare_database(environment)
    private_root = Path(environment["DJANGO_VAR_DIR"]) / "private"
    settings_module(environment, private_root, accel=False)
    source = Path(environment["DJANGO_VAR_DIR"]) / "source.bin"
    big_file(source)
    download_url, session_cookie, record = setup_data(environment, source)
    source.unlink()
    in_process_accel(download_url, session_cookie)
    through_nginx(
        environment, private_root, download_url, session_cookie, record.file.name
    )
    streaming(environment, private_root, download_url, session_cookie)
