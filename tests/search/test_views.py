from http import HTTPStatus

import pytest

from .test_search import results_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


def test_search_page_is_at_cerca_in_italian_and_search_in_english(client, tree):
    assert client.get("/cerca/").status_code == HTTPStatus.OK
    assert client.get("/en/search/").status_code == HTTPStatus.OK


def test_search_finds_live_pages_of_the_visitor_language(client, tree):
    italian = results_html(client.get("/cerca/", {"q": "pratiche"}))
    english = results_html(client.get("/en/search/", {"q": "practices"}))

    assert 'href="/buone-pratiche/"' in italian
    assert 'href="/en/good-practices/"' in english
    assert 'href="/buone-pratiche/"' not in english


def test_unpublished_pages_are_not_found(client, tree):
    tree.section.unpublish()

    response = client.get("/cerca/", {"q": "pratiche"})
    html = response.content.decode()

    assert 'href="/buone-pratiche/"' not in results_html(response)
    assert "Nessun risultato" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 10_000,
        '"unbalanced',
        "a*:b",
        "((osservatori",
        "-",
        "AND OR NOT",
    ],
)
def test_awkward_queries_get_a_page_not_an_error(client, tree, query):
    response = client.get("/cerca/", {"q": query})

    assert response.status_code == HTTPStatus.OK


def test_page_beyond_the_last_gives_the_last_page(client, tree):
    response = client.get("/cerca/", {"q": "pratiche", "page": "999"})

    assert response.status_code == HTTPStatus.OK
    assert 'href="/buone-pratiche/"' in results_html(response)
