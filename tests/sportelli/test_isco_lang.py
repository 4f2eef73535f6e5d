"""ISCO-08 titles in the language they are written in (WCAG 3.1.2): most unit
groups have no Italian title, so an Italian page shows them in English and
marks them ``lang="en"``; a title with an Italian version, and every title on
an English page, gets no such mark."""

import copy
import pickle

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from sportelli import classifications

from .conftest import vacancy
from .test_candidatures_services import candidature

pytestmark = pytest.mark.django_db

# Unit groups with and without an Italian title in data/isco08.csv.
ENGLISH_ONLY = "2120"  # Mathematicians, actuaries and statisticians
ENGLISH_TITLE = "Mathematicians, actuaries and statisticians"
WITH_ITALIAN = "5120"  # Cooks / Cuochi


def test_the_title_and_its_language_agree():
    english_only = classifications.isco_unit(ENGLISH_ONLY)
    cooks = classifications.isco_unit(WITH_ITALIAN)
    with translation.override("it"):
        assert (english_only.title, english_only.title_lang) == (ENGLISH_TITLE, "en")
        assert (cooks.title, cooks.title_lang) == ("Cuochi", "it")
        assert cooks.title.content_language == "it"
        assert english_only.title.content_language == "en"
        assert english_only.content_language == "en"
        label = english_only.coded_title
        assert (label, label.content_language) == (f"2120 – {ENGLISH_TITLE}", "en")
    with translation.override("en"):
        assert (cooks.title, cooks.title_lang) == ("Cooks", "en")
        assert english_only.title_lang == "en"


def test_a_title_keeps_its_language_when_copied_or_cached():
    with translation.override("it"):
        title = classifications.isco_unit(ENGLISH_ONLY).title
    # Form fields deep-copy their choices; caches pickle (our own bytes here).
    for copied in (copy.deepcopy(title), pickle.loads(pickle.dumps(title))):  # noqa: S301
        assert (copied, copied.content_language) == (ENGLISH_TITLE, "en")


def _render(source: str, **context) -> str:
    return Template("{% load a11y_tags %}" + source).render(Context(context))


def test_the_own_lang_tags_mark_only_a_declared_other_language():
    english_only = classifications.isco_unit(ENGLISH_ONLY)
    cooks = classifications.isco_unit(WITH_ITALIAN)
    source = "{{ title|with_own_lang }}|<option{% own_lang title %}>"
    with translation.override("it"):
        assert _render(source, title=english_only.title) == (
            f'<span lang="en">{ENGLISH_TITLE}</span>|<option lang="en">'
        )
        assert _render(source, title=cooks.title) == "Cuochi|<option>"
        # A plain string declares nothing: no mark, and still escaped.
        assert _render(source, title="<b>5120</b>") == (
            "&lt;b&gt;5120&lt;/b&gt;|<option>"
        )
    with translation.override("en"):
        assert _render(source, title=english_only.title) == (
            f"{ENGLISH_TITLE}|<option>"
        )


def _detail(client, item, language: str) -> str:
    with translation.override(language):
        response = client.get(reverse("sportelli:vacancy", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_italian_vacancy_page_marks_an_english_occupation_title(client, network):
    item = vacancy(
        sportello=network.desk_a,
        by=network.operator_a,
        title="Statistico",
        isco_code=ENGLISH_ONLY,
    )
    html = _detail(client, item, "it")
    assert f'<span lang="en">{ENGLISH_TITLE}</span>' in html
    # The major group has an Italian title: not marked.
    major = classifications.isco_major(ENGLISH_ONLY)
    with translation.override("it"):
        major_title = major.title
    assert f"<small>{major_title}</small>" in html


def test_an_italian_title_is_not_marked(client, network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)  # 5120
    html = _detail(client, item, "it")
    assert "Cuochi" in html
    assert '<span lang="en">Cuochi' not in html
    assert '<span lang="en">' not in html


def test_an_english_page_adds_no_lang_en(client, network):
    item = vacancy(
        sportello=network.desk_a,
        by=network.operator_a,
        title="Statistico",
        isco_code=ENGLISH_ONLY,
    )
    html = _detail(client, item, "en")
    assert ENGLISH_TITLE in html
    assert '<span lang="en">' not in html
    assert '<small lang="en">' not in html


def test_candidature_pages_mark_english_titles_on_italian_pages(client, network):
    item = candidature(
        sportello=network.desk_a,
        by=network.operator_a,
        occupations=(WITH_ITALIAN, ENGLISH_ONLY),
    )
    client.force_login(network.operator_b)
    for url in (
        reverse("sportelli:candidature", args=[item.pk]),
        reverse("sportelli:network_candidatures"),
    ):
        html = client.get(url).content.decode()
        assert f'<span lang="en">{ENGLISH_TITLE}</span>' in html, url
        assert "Cuochi" in html and '<span lang="en">Cuochi' not in html, url
    with translation.override("en"):
        url = reverse("sportelli:candidature", args=[item.pk])
    html = client.get(url).content.decode()
    assert ENGLISH_TITLE in html and "Cooks" in html
    assert '<span lang="en">' not in html


def test_the_desks_occupation_choices_say_their_language():
    from bs4 import BeautifulSoup

    from sportelli.forms.candidatures import CandidatureForm
    from sportelli.forms.vacancies import VacancyForm

    def options(form, field):
        html = str(form[field])
        soup = BeautifulSoup(html, "html.parser")
        return {o["value"]: o.get("lang") for o in soup.select("option")}

    for form_class, field in (
        (VacancyForm, "isco_code"),
        (CandidatureForm, "occupations"),
    ):
        with translation.override("it"):
            found = options(form_class(sportello=None), field)
        assert found[ENGLISH_ONLY] == "en"
        assert found[WITH_ITALIAN] is None
        with translation.override("en"):
            found = options(form_class(sportello=None), field)
        assert found[ENGLISH_ONLY] is None
        assert found[WITH_ITALIAN] is None
