import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 30 + "x9!Qz" * 6


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PORTAL_BASE_URL",
        }
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", DJANGO_SECRET_KEY="too-short")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=SECRET,
        PORTAL_BASE_URL="https://esploralavoro.example.org",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("address", ["", "http://esploralavoro.example.org"])
def test_production_refuses_to_start_without_a_public_https_address(address):
    result = _manage("check", DJANGO_SECRET_KEY=SECRET, PORTAL_BASE_URL=address)

    assert result.returncode != 0
    assert "PORTAL_BASE_URL must be set" in result.stderr
