import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _private_attachments(settings, tmp_path):
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    settings.PORTAL_BASE_URL = "https://esploralavoro.example"


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages are asserted in English (the Italian catalogue is merged
    separately); pages are requested under /en/."""
    with translation.override("en"):
        yield
