"""User content keeps its own language on the other language's pages: community
discussions (written in Italian, with no language field) are marked
``lang="it"`` on English pages and left alone on Italian ones."""

import re
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from community.models import Post
from portal.templatetags.a11y_tags import (
    content_lang,
    content_language,
    with_content_lang,
)
from tests.community.factories import add_member, make_group, make_thread


def test_without_a_language_content_is_in_the_portals_default():
    assert content_language(None) == "it"
    assert content_language(SimpleNamespace(title="Una discussione")) == "it"


def test_an_objects_own_language_wins():
    assert content_language(SimpleNamespace(language="en-GB")) == "en"
    assert content_language(SimpleNamespace(content_language="it")) == "it"


def test_a_marker_for_every_language_is_not_a_language():
    assert content_language(SimpleNamespace(language="")) == "it"
    assert content_language(SimpleNamespace(language="*")) == "it"


def test_the_language_of_what_it_belongs_to():
    group = SimpleNamespace(language="en")
    thread = SimpleNamespace(group=group)
    post = SimpleNamespace(thread=thread)
    assert content_language(post) == "en"


def test_a_wagtail_locale_when_loaded():
    page = SimpleNamespace(locale=SimpleNamespace(language_code="en"))
    assert content_language(page) == "en"


@pytest.mark.parametrize(
    ("page_language", "expected"), [("en", ' lang="it"'), ("it", "")]
)
def test_the_attribute_only_when_the_page_is_in_another_language(
    page_language, expected
):
    with translation.override(page_language):
        assert content_lang(SimpleNamespace()) == expected
        assert content_lang(language="it") == expected
        assert content_lang(language="en") == (
            ' lang="en"' if page_language == "it" else ""
        )


def test_the_span_filter_escapes_the_text():
    with translation.override("en"):
        assert (
            with_content_lang("<b>Sì</b>", None)
            == '<span lang="it">&lt;b&gt;Sì&lt;/b&gt;</span>'
        )
    with translation.override("it"):
        assert with_content_lang("<b>Sì</b>", None) == "&lt;b&gt;Sì&lt;/b&gt;"


def test_inside_a_translated_sentence():
    template = Template(
        "{% load i18n a11y_tags %}"
        "{% blocktranslate with title=thread.title|with_content_lang:thread %}"
        "Reply to “{{ title }}”{% endblocktranslate %}"
    )
    with translation.override("en"):
        text = template.render(Context({"thread": SimpleNamespace(title="A & B")}))
    assert text == 'Reply to “<span lang="it">A &amp; B</span>”'


# With the community's models ----------------------------------------------------


@pytest.fixture
def discussion(make_user, settings, tmp_path):
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    author = make_user()
    group = make_group(name="Collocamento mirato", description="Esperienze")
    add_member(group, author)
    thread = make_thread(
        group, author, title="Tirocini e borse lavoro", body="Come fate?"
    )
    return group, thread, author


@pytest.mark.django_db
def test_deciding_the_language_never_queries(discussion, django_assert_num_queries):
    _group, thread, _author = discussion
    post = Post.objects.get(thread=thread)  # thread not loaded
    with django_assert_num_queries(0):
        assert content_language(post) == "it"
        with translation.override("en"):
            assert content_lang(post) == ' lang="it"'


def _tags_with_lang(body: str, text: str) -> list[str]:
    """The opening tags that carry ``lang`` around ``text``."""
    return re.findall(rf'<[a-z0-9]+[^>]*\slang="it"[^>]*>\s*(?:<[^>]+>)*{text}', body)


@pytest.mark.django_db
def test_english_thread_page_marks_the_italian_discussion(client, discussion):
    group, thread, author = discussion
    client.force_login(author)
    response = client.get(f"/en/community/{group.slug}/{thread.pk}/")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert re.search(r'<h1 lang="it">Tirocini e borse lavoro</h1>', body)
    assert re.search(r'<div class="post-body" lang="it">', body)
    # The breadcrumb's group and thread too.
    assert re.search(r'lang="it">Collocamento mirato</a>', body)
    # The interface around it stays English: no lang on the page's own texts.
    assert 'lang="it">Community<' not in body


@pytest.mark.django_db
def test_italian_thread_page_adds_nothing(client, discussion):
    group, thread, author = discussion
    client.force_login(author)
    response = client.get(f"/comunita/{group.slug}/{thread.pk}/")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert '<html lang="it">' in body
    assert re.findall(r'\slang="it"', body) == [' lang="it"']  # <html> only


@pytest.mark.django_db
def test_english_group_list_and_group_page(client, discussion):
    group, _thread, author = discussion
    client.force_login(author)
    body = client.get("/en/community/").content.decode()
    assert re.search(r'<h2 class="h4 card-title" lang="it">', body)
    assert re.search(r'<p class="card-text" lang="it">Esperienze</p>', body)
    body = client.get(f"/en/community/{group.slug}/").content.decode()
    assert re.search(r'<h1 lang="it">Collocamento mirato</h1>', body)
    assert re.search(r'lang="it">Tirocini e borse lavoro</a>', body)


@pytest.mark.django_db
def test_english_reply_form_title_in_its_sentence(client, discussion):
    group, thread, author = discussion
    client.force_login(author)
    body = client.get(f"/en/community/{group.slug}/{thread.pk}/reply/").content.decode()
    assert 'Reply to “<span lang="it">Tirocini e borse lavoro</span>”' in body
