"""Seminar topics are named in the page's language: on the seminar page and in
the index's topic filter (a translated term keeps its slug)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale

from portal.seminars import selectors
from portal.taxonomy.models import Topic

from .factories import make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    italian = Topic.objects.create(
        name="Collocamento mirato",
        slug="collocamento-mirato",
        locale=Locale.objects.get(language_code="it"),
    )
    english = italian.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = "Targeted placement"
    english.save()
    return italian


@pytest.fixture
def tagged(index, topic):
    seminar = make_seminar(index, slug="con-tema")
    seminar.topics.add(topic)
    seminar.save_revision().publish()
    return seminar


@pytest.mark.parametrize(
    ("language", "name"),
    [("it", "Collocamento mirato"), ("en", "Targeted placement")],
)
def test_filter_options_name_topics_in_the_active_language(
    index, tagged, language, name
):
    with translation.override(language):
        options = selectors.seminar_filter_options(index_page=index)
    assert options["topics"] == [{"slug": "collocamento-mirato", "name": name}]


@pytest.mark.parametrize(
    ("language", "name"),
    [("it", "Collocamento mirato"), ("en", "Targeted placement")],
)
def test_seminar_page_names_topics_in_the_active_language(tagged, language, name):
    request = RequestFactory().get(tagged.url)
    request.user = AnonymousUser()
    with translation.override(language):
        context = tagged.get_context(request)
    assert context["topic_names"] == [name]


def test_index_and_page_show_the_topic(client, index, tagged):
    response = client.get(index.url)
    assert '<option value="collocamento-mirato">Collocamento mirato</option>' in (
        response.content.decode()
    )
    assert "Collocamento mirato" in client.get(tagged.url).content.decode()
