from http import HTTPStatus

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page

from portal.accounts.models import Organisation, User
from portal.models import HomePage

pytestmark = pytest.mark.django_db


def test_load_demo_twice_gives_the_same_content():
    call_command("load_demo")
    pages = Page.objects.count()
    organisations = Organisation.objects.count()

    call_command("load_demo")

    assert Page.objects.count() == pages
    assert Organisation.objects.count() == organisations
    assert User.objects.filter(is_superuser=True).count() == 1


def test_load_demo_builds_italian_site_with_english_translations(client):
    call_command("load_demo")

    home = HomePage.objects.get(locale__language_code="it")
    english = home.get_translation(Locale.objects.get(language_code="en"))
    assert english.live
    assert "Osservatori" in client.get("/").content.decode()
    assert "observatories" in client.get("/en/").content.decode()
    # Each Italian section has a live English version, reached from the English menu.
    assert 'href="/en/good-practices/"' in client.get("/en/").content.decode()
    assert client.get("/en/good-practices/").status_code == HTTPStatus.OK
