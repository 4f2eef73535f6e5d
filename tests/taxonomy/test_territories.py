import pytest

from portal.taxonomy.models import Territory
from portal.taxonomy.selectors import region_names, territory_map
from portal.taxonomy.services import territories_load

pytestmark = pytest.mark.django_db


def test_istat_list_is_loaded_by_migration():
    assert Territory.objects.filter(kind="region").count() == 20
    assert Territory.objects.filter(kind="province").count() == 107
    napoli = Territory.objects.get(code="063")
    assert napoli.region.name == "Campania"
    assert str(napoli) == "Napoli (NA)"


def test_loading_again_changes_nothing():
    before = list(Territory.objects.values_list("pk", "code", "name").order_by("pk"))

    territories_load()

    assert (
        list(Territory.objects.values_list("pk", "code", "name").order_by("pk"))
        == before
    )


def test_lookups_are_cached(django_assert_num_queries):
    territory_map()

    with django_assert_num_queries(0):
        assert region_names()["15"] == "Campania"
