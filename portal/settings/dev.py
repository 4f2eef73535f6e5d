"""Development settings: `make run` uses these."""

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)  # noqa: F405
# A development-only key, never used in production (see production.py).
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-esplora-lavoro"  # noqa: F405, S105
