"""The practice page's queries: pinned, and the same however many terms,
places and partners it links to (names come from the cached vocabulary)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.taxonomy.models import Territory
from tests.practices.factories import practice, practice_index, target, topic


def _render_queries(client, url) -> int:
    client.get(url)  # warm the vocabulary cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_practice_page_stays_within_fifteen_queries_however_many_links(
    client, tree
):
    index = practice_index(tree.home)
    counts = []
    for links in (1, 6):
        topics = [
            topic(slug=f"tema-{links}-{n}", name=f"Tema {n}") for n in range(links)
        ]
        targets = [
            target(slug=f"gruppo-{links}-{n}", name=f"Gruppo {n}") for n in range(links)
        ]
        codes = list(Territory.objects.values_list("code", flat=True)[:links])
        page = practice(index, topics=topics, targets=targets, territories=codes)
        counts.append(_render_queries(client, page.url))
    assert counts[0] == counts[1]
    assert counts[0] <= 15


def test_linked_names_are_read_in_one_query_and_ordered(tree):
    from portal.taxonomy.selectors import linked_names

    index = practice_index(tree.home)
    page = practice(
        index,
        topics=[topic(slug="zeta", name="Zeta"), topic(slug="alfa", name="Alfa")],
        targets=[target()],
    )
    linked_names(page, ("topics", "target_groups", "service_types"))  # fill caches
    with CaptureQueriesContext(connection) as context:
        names = linked_names(page, ("topics", "target_groups", "service_types"))
    assert len(context.captured_queries) == 1
    assert names["topics"] == ["Alfa", "Zeta"]
    assert names["target_groups"] == ["Giovani"]
    assert names["service_types"] == []


def test_a_practice_is_routed_in_one_query_and_drafts_stay_hidden(client, tree):
    """The index allows one type of child, so routing reads the practice with
    its own row in one query; routes of the index and unknown or draft
    practices answer as before."""
    from portal.practices.models import GoodPracticePage

    index = practice_index(tree.home)
    page = practice(index)
    draft = practice(index, publish=False)
    with CaptureQueriesContext(connection) as context:
        route = index.route(None, [page.slug])
    assert type(route.page) is GoodPracticePage
    assert route.page.pk == page.pk
    assert len(context.captured_queries) == 1
    assert client.get(page.url).status_code == 200
    assert client.get(index.url + draft.slug + "/").status_code == 404
    assert client.get(index.url + "nessuna-pratica/").status_code == 404
    assert client.get(index.url + "feed/").status_code == 200
