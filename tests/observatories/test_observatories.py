import datetime
from http import HTTPStatus

import pytest

from portal.observatories.models import (
    ObservatoryIndexPage,
    ObservatoryPage,
    PublicationPage,
)
from portal.taxonomy.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(tree):
    index = ObservatoryIndexPage(title="Osservatori", slug="rete-osservatori")
    tree.home.add_child(instance=index)
    index.save_revision().publish()
    observatories = {}
    for code in ("063", "072", "065"):
        province = Territory.objects.get(code=code)
        page = ObservatoryPage(
            title=f"Osservatorio di {province.name}",
            slug=f"osservatorio-{code}",
            province=province,
        )
        page.partners.create(name="INPS – sede provinciale", role="inps")
        page.meetings.create(
            date=datetime.date(2011, 5, 10), title="Riunione del Tavolo"
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        observatories[code] = page
    publication = PublicationPage(
        title="Nota trimestrale",
        slug="nota",
        publication_type="note",
        date=datetime.date(2012, 4, 30),
        summary="Avviamenti e cessazioni",
    )
    observatories["063"].add_child(instance=publication)
    publication.save_revision().publish()
    return index, observatories, publication


def test_network_lists_observatories_by_region(client, network):
    index, _observatories, _publication = network

    html = client.get(index.url).content.decode()

    assert html.index("Campania") < html.index("Osservatorio di Napoli")
    assert html.index("Osservatorio di Napoli") < html.index("Puglia")
    assert html.index("Puglia") < html.index("Osservatorio di Bari")


def test_network_query_count_does_not_grow(
    client, network, django_assert_max_num_queries
):
    index, _observatories, _publication = network
    client.get(index.url)

    with django_assert_max_num_queries(14):
        client.get(index.url)


def test_observatory_page_shows_partners_meetings_and_publications(client, network):
    _index, observatories, publication = network

    response = client.get(observatories["063"].url)

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "INPS – sede provinciale" in html
    assert "Riunione del Tavolo" in html
    assert publication.title in html


def test_publications_feed(client, network):
    index, _observatories, publication = network

    response = client.get(index.url + "pubblicazioni/feed/")

    assert response.status_code == HTTPStatus.OK
    assert publication.title in response.content.decode()


def test_unpublished_publication_is_not_in_the_feed(client, network):
    index, _observatories, publication = network
    publication.unpublish()

    assert (
        publication.title
        not in client.get(index.url + "pubblicazioni/feed/").content.decode()
    )


def test_an_observatory_is_found_by_its_partners_and_its_tavolo(client, network):
    from search.services import page_subtree_index

    index, _observatories, _publication = network
    page_subtree_index(page_id=index.pk)  # on commit, in production

    response = client.get("/cerca/", {"q": "INPS tavolo"})

    assert response.status_code == HTTPStatus.OK
    assert "Osservatorio di" in response.content.decode()
