"""Helpers shared by the benchmark scripts: a throwaway database, percentiles,
and a bounded HTTP load generator for a server on the loopback interface."""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_environment() -> dict[str, str]:
    """Environment for a benchmark: its own var/ directory, no debug."""
    var_dir = os.environ.get("BENCH_VAR_DIR") or tempfile.mkdtemp(
        prefix="esplora-bench-"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DJANGO_DEBUG="false",
        DJANGO_VAR_DIR=var_dir,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate the benchmark database and load the demo content into it."""
    Path(env["DJANGO_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    for args in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def emit(benchmark: str, case: str, metric: str, value, unit: str, target: str = ""):
    if isinstance(value, float):
        value = round(value, 2)
    row = {
        "benchmark": benchmark,
        "case": case,
        "metric": metric,
        "value": value,
        "unit": unit,
        "target": target,
    }
    print(json.dumps(row), flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def load(port: int, path: str, *, requests: int, concurrency: int) -> dict[str, float]:
    """Send ``requests`` GETs to 127.0.0.1:port over keep-alive connections.

    Bounded in count (and each request in time); returns requests/s, p50 and p99.
    """
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_worker = requests // concurrency

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        for _ in range(per_worker):
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            if ok:
                mine.append(elapsed)
            else:
                with lock:
                    errors += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "rps": len(latencies) / wall,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "errors": errors,
    }
