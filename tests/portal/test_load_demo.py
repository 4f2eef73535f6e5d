from http import HTTPStatus

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page

from portal.accounts.models import Organisation, User
from portal.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _freshly_migrated():
    """load_demo runs on a migrated database, without the tests' shared tree."""
    for page in Page.get_first_root_node().get_children():
        page.delete()


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


def test_load_demo_builds_the_content_of_the_seeds(client):
    from portal.observatories.models import ObservatoryPage
    from portal.practices.models import GoodPracticePage
    from portal.projects.models import ProgrammePage, ProjectPage

    call_command("load_demo")

    italian = GoodPracticePage.objects.filter(locale__language_code="it", live=True)
    assert italian.count() >= 12
    assert italian.filter(title__icontains="ICF").exists()
    assert italian.filter(title__icontains="LA.FEM.ME.").exists()
    english = GoodPracticePage.objects.filter(locale__language_code="en", live=True)
    assert english.count() >= 2
    programme = ProgrammePage.objects.get(locale__language_code="it")
    assert programme.get_translations().filter(locale__language_code="en").exists()
    projects = ProjectPage.objects.child_of(programme)
    titles = set(projects.values_list("title", flat=True))
    assert "SILLA 2 - Competitività" in titles
    assert "Sviluppo di Osservatori sui mercati del lavoro" in titles
    assert len(titles) == 5
    assert ObservatoryPage.objects.filter(locale__language_code="it").count() == 15
    practices = client.get("/buone-pratiche/")
    assert practices.status_code == HTTPStatus.OK
    assert practices.context["browse"].total == italian.count()
