"""The product page, the way most administrations reach the kit: its queries are
pinned at 15 or fewer and do not grow with the number of releases."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.kit_downloads.conftest import add_release


def _queries(client, url) -> int:
    client.get(url)  # after a publish, navigation and vocabulary are built again
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_product_page_queries_do_not_grow_with_its_releases(client, kit):
    before = _queries(client, kit.product.url)
    for minor in range(2, 8):
        add_release(kit.product, f"1.{minor}.0", day=minor)
    assert _queries(client, kit.product.url) == before
    assert before <= 15
