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


def test_a_translations_id_leads_to_the_catalogue_record(client, kit):
    from django.urls import reverse
    from wagtail.models import Locale

    english_locale, _ = Locale.objects.get_or_create(language_code="en")
    english = kit.product.copy_for_translation(english_locale, copy_parents=True)
    english.save_revision().publish()
    response = client.get(
        reverse("kit_downloads:api_product_detail", args=[english.pk])
    )
    assert response.status_code == 301
    assert response["Location"] == reverse(
        "kit_downloads:api_product_detail", args=[kit.product.pk]
    )
    assert (
        client.get(
            reverse("kit_downloads:api_product_detail", args=[999999])
        ).status_code
        == 404
    )
