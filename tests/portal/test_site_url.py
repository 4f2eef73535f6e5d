"""PORTAL_BASE_URL is the one source of the portal's absolute URLs."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Site

from portal.services import absolute_url, portal_site, site_sync, site_url

pytestmark = pytest.mark.django_db


def test_absolute_urls_use_the_setting(settings):
    settings.PORTAL_BASE_URL = "https://esplora.test/"

    assert site_url() == "https://esplora.test"
    assert absolute_url("/kit/") == "https://esplora.test/kit/"
    assert absolute_url("https://example.org/x") == "https://example.org/x"
    assert portal_site().domain == "esplora.test"
    assert portal_site().name == "Esplora Lavoro"


@pytest.mark.parametrize(
    ("base", "hostname", "port", "root_url"),
    [
        ("https://esplora.test", "esplora.test", 443, "https://esplora.test"),
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("http://localhost", "localhost", 80, "http://localhost"),
    ],
)
def test_site_sync_points_the_site_record_at_the_setting(
    tree, settings, base, hostname, port, root_url
):
    settings.PORTAL_BASE_URL = base

    call_command("site_sync", stdout=StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == (hostname, port)
    assert site.root_url == root_url
    assert tree.section.get_full_url() == f"{root_url}/buone-pratiche/"


def test_full_urls_in_the_sitemap_follow_the_setting(client, tree, settings):
    settings.PORTAL_BASE_URL = "https://esplora.test"
    site_sync()

    body = client.get("/sitemap.xml").content.decode()

    assert "<loc>https://esplora.test/buone-pratiche/</loc>" in body
    assert "localhost" not in body


def test_site_sync_refuses_an_address_that_is_not_http(settings, tree):
    settings.PORTAL_BASE_URL = "esplora.test"

    with pytest.raises(CommandError, match="PORTAL_BASE_URL"):
        call_command("site_sync", stdout=StringIO())
