"""gunicorn for Esplora Lavoro, behind the nginx of deploy/nginx/.

Run from the project directory with the production environment loaded:

    gunicorn -c deploy/gunicorn.conf.py portal.wsgi

Every value can be changed without editing this file, through the environment
(the systemd unit reads /etc/esplora-lavoro/env):

- GUNICORN_BIND: "unix:/run/esplora-lavoro/gunicorn.sock" by default (the
  socket nginx's upstream points at); "127.0.0.1:8000" for a TCP port.
- GUNICORN_WORKERS: 2 x CPUs + 1 by default, at most 8.
- GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS.
- GUNICORN_ACCESS_LOG / GUNICORN_ERROR_LOG: "-" (standard output, the journal).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


wsgi_app = "portal.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/esplora-lavoro/gunicorn.sock")]
# The socket is reachable by the esplora group only (nginx's www-data is a member).
umask = 0o007

workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync"

# nginx buffers slow clients, so a request that takes longer than this is stuck:
# the worker is killed and replaced. nginx's proxy_read_timeout is longer.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle workers now and then so that a slow leak never grows; the jitter keeps
# them from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# The heartbeat file on a tmpfs: a worker blocked on a slow disk is not taken for
# a dead one.
_SHM = "/dev/shm"  # noqa: S108 - a tmpfs of the host, not a shared temp file
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# Only the local proxy may tell gunicorn the scheme (X-Forwarded-Proto). Requests
# through a unix socket always come from the local nginx. The client's address is
# read by the portal itself (portal.clientip, PORTAL_TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No control socket in the home directory (the unit has no writable home).
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address as nginx saw it, the request id when the proxy or the client
# sends one, and the time taken in milliseconds.
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms '
    'rid=%({x-request-id}i)s "%(f)s" "%(a)s"'
)
proc_name = "esplora-lavoro"
