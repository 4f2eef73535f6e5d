"""The production stack on this machine, as deployed: `make stack` / `make stop-stack`.

    python deploy/stack/stack.py up     # (re)start it and wait until it answers
    python deploy/stack/stack.py down   # stop every process it started
    python deploy/stack/stack.py logs   # print the tail of every log

Parts: PostgreSQL database esplora_stack (dropped and created again), Redis
database 2, gunicorn with portal.settings.production and deploy/gunicorn.conf.py
on a unix socket, the RQ worker with its scheduler, an SMTP peer that captures
mail (smtp_capture.py), and Debian's nginx on ports 80 and 443 with the shipped
deploy/nginx files, in which only paths (and the host name) are substituted,
and a self-signed certificate for esplora.test. State lives in var/stack/:
env (the environment every process gets), logs/, mail/, run/ (pids, socket),
nginx/ (rendered configuration), tls/, data/ (static, media, private files).
"""

import argparse
import contextlib
import fcntl
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from http.client import HTTPSConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "var" / "stack"
ENV_FILE = STACK / "env"
LOCK = ROOT / "var" / "stack.lock"
LOGS = STACK / "logs"
MAIL = STACK / "mail"
RUN = STACK / "run"
NGINX_DIR = STACK / "nginx"
TLS = STACK / "tls"
DATA = STACK / "data"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")

HOST = "esplora.test"
DATABASE = "esplora_stack"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
REDIS_URL = "redis://127.0.0.1:6379/2"
SMTP_PORT = 2525
UP_TIMEOUT = float(os.environ.get("STACK_UP_TIMEOUT", "120"))

# The shipped files and what the stack puts in place of their production paths.
SITE_CONF = ROOT / "deploy" / "nginx" / "esplora-lavoro.conf"
KIT_CONF = ROOT / "deploy" / "nginx" / "esplora-kit-private.conf"
SUBSTITUTIONS = [
    ("/etc/letsencrypt/live/esploralavoro.example/fullchain.pem", TLS / "cert.pem"),
    ("/etc/letsencrypt/live/esploralavoro.example/privkey.pem", TLS / "key.pem"),
    ("/etc/nginx/snippets/esplora-kit-private.conf", NGINX_DIR / "kit-private.conf"),
    ("/run/esplora-lavoro/gunicorn.sock", RUN / "gunicorn.sock"),
    ("/srv/esplora-lavoro/var/", f"{DATA}/"),
    ("/var/log/nginx/", f"{LOGS}/nginx-"),
    ("/var/www/letsencrypt", STACK / "acme"),
    ("esploralavoro.example", HOST),
]

# name -> pid file; stopped in this order (the edge first).
PROCESSES = ["nginx", "gunicorn", "worker", "smtp"]


def stack_env() -> dict[str, str]:
    """The production environment of the stack, also written to var/stack/env."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "PORTAL_BASE_URL": f"https://{HOST}",
        "PORTAL_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "DEFAULT_FROM_EMAIL": f"Esplora Lavoro <noreply@{HOST}>",
        "DJANGO_ADMINS": f"Ops <ops@{HOST}>",
        "DJANGO_VAR_DIR": str(DATA),
        "KIT_PRIVATE_ROOT": str(DATA / "private"),
        "COMMUNITY_ATTACHMENT_ROOT": str(DATA / "private" / "community"),
        "GUNICORN_BIND": f"unix:{RUN / 'gunicorn.sock'}",
        "GUNICORN_WORKERS": os.environ.get("STACK_GUNICORN_WORKERS", "3"),
        "GUNICORN_ACCESS_LOG": str(LOGS / "gunicorn-access.log"),
    }


def read_env() -> dict[str, str]:
    values = {}
    for line in ENV_FILE.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def process_env(values: dict[str, str]) -> dict[str, str]:
    """A clean environment: the caller's own DATABASE_URL or settings never leak in."""
    base = {
        key: os.environ[key]
        for key in ("PATH", "HOME", "LANG", "LC_ALL", "TZ")
        if key in os.environ
    }
    return {**base, "PYTHONUNBUFFERED": "1", **values}


def say(message: str) -> None:
    print(f"[stack {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args: list, *, env: dict[str, str] | None = None, log: str = "") -> None:
    """Run a step to completion; its output goes to logs/<log>.log."""
    output = open(LOGS / f"{log or 'setup'}.log", "a")  # noqa: SIM115
    with output:
        output.write(f"$ {' '.join(map(str, args))}\n")
        output.flush()
        result = subprocess.run(  # noqa: S603
            [str(arg) for arg in args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if result.returncode != 0:
        raise StackError(f"{' '.join(map(str, args[:4]))} failed ({result.returncode})")


def start(name: str, args: list, *, env: dict[str, str]) -> None:
    """Start a long-running process in its own session; remember its pid."""
    output = open(LOGS / f"{name}.log", "a")  # noqa: SIM115
    with output:
        process = subprocess.Popen(  # noqa: S603
            [str(arg) for arg in args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (RUN / f"{name}.pid").write_text(str(process.pid))


class StackError(Exception):
    pass


def render_nginx() -> None:
    NGINX_DIR.mkdir(parents=True, exist_ok=True)
    (STACK / "acme").mkdir(exist_ok=True)
    for source, target in ((SITE_CONF, "site.conf"), (KIT_CONF, "kit-private.conf")):
        text = source.read_text()
        for old, new in SUBSTITUTIONS:
            text = text.replace(old, str(new))
        (NGINX_DIR / target).write_text(text)
    temp = "\n".join(
        f"    {name}_temp_path {NGINX_DIR / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    # The main file stands in for Debian's /etc/nginx/nginx.conf.
    (NGINX_DIR / "nginx.conf").write_text(
        f"""{user}
worker_processes 2;
pid {RUN / "nginx.pid"};
error_log {LOGS / "nginx-error.log"} warn;
events {{ worker_connections 512; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    server_tokens off;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {LOGS / "nginx-access.log"};
{temp}
    include {NGINX_DIR / "site.conf"};
}}
"""
    )


def make_certificate() -> None:
    TLS.mkdir(parents=True, exist_ok=True)
    if (TLS / "cert.pem").exists() and (TLS / "key.pem").exists():
        return
    run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "365", "-subj", f"/CN={HOST}",
            "-addext", f"subjectAltName=DNS:{HOST}",
            "-keyout", TLS / "key.pem", "-out", TLS / "cert.pem",
        ]
    )  # fmt: skip


def https_status(path: str, *, timeout: float = 5) -> int:
    context = ssl.create_default_context(cafile=str(TLS / "cert.pem"))
    connection = HTTPSConnection(HOST, 443, timeout=timeout, context=context)
    raw = socket.create_connection(("127.0.0.1", 443), timeout=timeout)
    connection.sock = context.wrap_socket(raw, server_hostname=HOST)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_healthy() -> str:
    """Wait until /healthz (or, on a portal without it, the home page) answers 200."""
    deadline = time.monotonic() + UP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        for name in PROCESSES:
            if not alive(name):
                raise StackError(f"{name} exited while starting")
        try:
            status = https_status("/healthz")
            if status == 200:
                return "/healthz"
            if status in (301, 404) and https_status("/") == 200:
                return "/ (no /healthz yet)"
            last = f"/healthz answered {status}"
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise StackError(f"not healthy after {UP_TIMEOUT:.0f}s: {last}")


def pid_of(name: str) -> int | None:
    try:
        return int((RUN / f"{name}.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def alive(name: str) -> bool:
    pid = pid_of(name)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie left by a parent that is gone counts as stopped.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def stop(name: str, *, timeout: float = 20) -> None:
    pid = pid_of(name)
    if pid is not None and alive(name):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while alive(name) and time.monotonic() < deadline:
            time.sleep(0.1)
        if alive(name):
            say(f"{name} (pid {pid}) did not stop in {timeout:.0f}s: killing it")
            os.kill(pid, signal.SIGKILL)
    (RUN / f"{name}.pid").unlink(missing_ok=True)


def down() -> None:
    for name in PROCESSES:
        stop(name)
    (RUN / "gunicorn.sock").unlink(missing_ok=True)


def up() -> None:
    started = time.monotonic()
    down()
    for directory in (LOGS, MAIL):
        shutil.rmtree(directory, ignore_errors=True)
    shutil.rmtree(DATA, ignore_errors=True)
    for directory in (LOGS, MAIL, RUN, DATA):
        directory.mkdir(parents=True, exist_ok=True)
    values = stack_env()
    ENV_FILE.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    env = process_env(values)
    manage = [PYTHON, "manage.py"]
    # The command of deploy/systemd/esplora-worker.service.
    worker = [*manage, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]

    say("certificate, database, redis")
    make_certificate()
    run(["dropdb", *PG, "--if-exists", "--force", DATABASE])
    run(["createdb", *PG, DATABASE])
    run(["redis-cli", "-u", REDIS_URL, "flushdb"])

    say(f"smtp capture on 127.0.0.1:{SMTP_PORT}")
    start(
        "smtp",
        [PYTHON, ROOT / "deploy/stack/smtp_capture.py", "--port", SMTP_PORT,
         "--directory", MAIL],
        env=env,
    )  # fmt: skip

    say("migrate, collectstatic, demo content")
    # collectstatic needs no database: it runs beside the migrations.
    with open(LOGS / "collectstatic.log", "w") as output:
        collectstatic = subprocess.Popen(  # noqa: S603
            [str(arg) for arg in [*manage, "collectstatic", "--noinput", "-v0"]],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        run([*manage, "migrate", "--noinput", "-v0"], env=env, log="manage")
        if collectstatic.wait() != 0:
            raise StackError("collectstatic failed")
    run([*manage, "load_demo"], env=env, log="manage")
    run([*manage, "site_sync"], env=env, log="manage")
    # The demo content queued ~900 index updates and a newsletter: work them off
    # now, so that the journeys' emails do not wait behind them (in one process:
    # forking a work horse per job, as the service does, takes minutes here).
    say("draining the task queue")
    run(
        [*worker, "--burst", "--worker-class", "rq.worker.SimpleWorker"],
        env=env,
        log="worker",
    )

    say("gunicorn, worker")
    start(
        "gunicorn",
        [GUNICORN, "-c", ROOT / "deploy/gunicorn.conf.py",
         "--pid", RUN / "gunicorn.master.pid"],
        env=env,
    )  # fmt: skip
    start("worker", [*worker, "--with-scheduler"], env=env)

    say("nginx on 80 and 443")
    render_nginx()
    conf = [
        "-p",
        NGINX_DIR,
        "-c",
        NGINX_DIR / "nginx.conf",
        "-e",
        LOGS / "nginx-error.log",
    ]
    run([NGINX, *conf, "-t"], log="nginx-error")
    # In the foreground of its own session, so the pid we keep is the master's.
    start("nginx", [NGINX, *conf, "-g", "daemon off;"], env=env)

    reached = wait_healthy()
    say(
        f"up in {time.monotonic() - started:.0f}s: https://{HOST}/ answers on "
        f"{reached} via 127.0.0.1:443; environment in {ENV_FILE.relative_to(ROOT)}"
    )


def print_logs(lines: int = 40) -> None:
    for log in sorted(LOGS.glob("*.log")):
        content = log.read_text(errors="replace").splitlines()
        print(f"----- {log.relative_to(ROOT)} (last {lines} lines) -----")
        print("\n".join(content[-lines:]))


@contextlib.contextmanager
def machine_lock():
    """One `up` or `down` at a time on this machine; test-stack.sh holds the same
    lock for its whole run and says so with STACK_LOCKED=1."""
    if os.environ.get("STACK_LOCKED") == "1":
        yield
        return
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("another stack run (make test-stack?) is in progress: waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down", "logs"])
    action = parser.parse_args().action
    if action == "logs":
        print_logs()
        return 0
    if action == "down":
        with machine_lock():
            down()
        say("stopped")
        return 0
    try:
        with machine_lock():
            up()
    except (StackError, OSError, subprocess.CalledProcessError) as error:
        say(f"FAILED: {error}")
        print_logs()
        down()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
