"""Reads on the vocabulary: cached look-ups used by filters, facets and lists.

The vocabulary changes rarely and is read on every list page, so each look-up is
one query to fill the cache and none after; saving or deleting a term clears it
(see signals.py).
"""

from django.core.cache import cache

from .models import FundingSource, ServiceType, TargetGroup, Territory, Topic

_TERRITORIES_KEY = "taxonomy:territories:v2"
_TERMS_KEY = "taxonomy:terms:{model}:v1"
TERM_MODELS = (Topic, TargetGroup, ServiceType, FundingSource)


def territory_map() -> dict[int, dict[str, str]]:
    """Every territory id -> its name and its region's ISTAT code and name."""
    mapping = cache.get(_TERRITORIES_KEY)
    if mapping is None:
        mapping = {}
        for territory in Territory.objects.select_related("region"):
            region = territory.region or territory
            mapping[territory.pk] = {
                "name": str(territory),
                "region_code": region.code,
                "region_name": region.name,
            }
        cache.set(_TERRITORIES_KEY, mapping, 24 * 60 * 60)
    return mapping


def region_names() -> dict[str, str]:
    """ISTAT region code -> name."""
    return {t["region_code"]: t["region_name"] for t in territory_map().values()}


def term_map(model) -> dict[int, tuple[str, str]]:
    """Every term id of ``model`` -> (slug, name)."""
    key = _TERMS_KEY.format(model=model._meta.label_lower)
    mapping = cache.get(key)
    if mapping is None:
        mapping = {
            pk: (slug, name)
            for pk, slug, name in model.objects.values_list("pk", "slug", "name")
        }
        cache.set(key, mapping, 24 * 60 * 60)
    return mapping


def vocabulary_invalidate(model=None) -> None:
    """Forget the cached vocabulary (all of it, or one model's terms)."""
    models = [model] if model is not None else list(TERM_MODELS)
    cache.delete_many([_TERMS_KEY.format(model=m._meta.label_lower) for m in models])
    if model is None or model is Territory:
        cache.delete(_TERRITORIES_KEY)
