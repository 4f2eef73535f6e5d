"""Reads on the vocabulary: cached look-ups used by filters, facets and lists.

The vocabulary changes rarely and is read on every list page, so each look-up is
one query to fill the cache and none after; saving or deleting a term clears it
(see signals.py).
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from .models import FundingSource, ServiceType, TargetGroup, Territory, Topic

_TERRITORIES_KEY = "taxonomy:territories:v3"
_TERMS_KEY = "taxonomy:terms:{model}:v2"
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
                "order": (territory.kind, territory.name),
                "region_code": region.code,
                "region_name": region.name,
            }
        cache.set(_TERRITORIES_KEY, mapping, 24 * 60 * 60)
    return mapping


def region_names() -> dict[str, str]:
    """ISTAT region code -> name."""
    return {t["region_code"]: t["region_name"] for t in territory_map().values()}


def term_map(model, language_code: str | None = None) -> dict[int, tuple[str, str]]:
    """Every term id of ``model`` -> (slug, name), the name in ``language_code``
    (by default the active language).

    Pages link terms of their source language (wagtail-localize copies the links
    of a translated page as they are), so every id, whatever its locale, is named
    by its translation in the language asked for, or by its own name when the
    term has no translation there. One query fills the cache for every language.
    """
    key = _TERMS_KEY.format(model=model._meta.label_lower)
    by_language = cache.get(key)
    if by_language is None:
        by_language = _term_maps(model)
        cache.set(key, by_language, 24 * 60 * 60)
    code = (language_code or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return by_language.get(code) or by_language.get(settings.LANGUAGE_CODE[:2], {})


def _term_maps(model) -> dict[str, dict[int, tuple[str, str]]]:
    rows = list(
        model.objects.values_list(
            "pk", "slug", "name", "translation_key", "locale__language_code"
        )
    )
    names: dict[tuple, str] = {
        (key, code[:2]): name for _pk, _slug, name, key, code in rows
    }
    languages = {code[:2] for code, _name in settings.LANGUAGES}
    return {
        language: {
            pk: (slug, names.get((key, language), name))
            for pk, slug, name, key, _code in rows
        }
        for language in languages
    }


def vocabulary_invalidate(model=None) -> None:
    """Forget the cached vocabulary (all of it, or one model's terms)."""
    models = [model] if model is not None else list(TERM_MODELS)
    cache.delete_many([_TERMS_KEY.format(model=m._meta.label_lower) for m in models])
    if model is None or model is Territory:
        cache.delete(_TERRITORIES_KEY)


def linked_names(instance, relations: tuple[str, ...]) -> dict[str, list[str]]:
    """The names of the terms and territories ``instance`` links to through these
    many-to-many fields, in one query over their link tables (SQL written once,
    ``_links_sql``); the names come from the cached vocabulary. Ordered as the
    models order them (territories by kind and name, terms by name)."""
    linked: dict[str, list[int]] = {name: [] for name in relations}
    if relations:
        with connection.cursor() as cursor:
            cursor.execute(
                _links_sql(type(instance), relations), [instance.pk] * len(relations)
            )
            for position, pk in cursor.fetchall():
                linked[relations[position]].append(pk)
    names = {}
    for name, pks in linked.items():
        model = instance._meta.get_field(name).related_model
        if model is Territory:
            places = territory_map()
            found = sorted((places[pk] for pk in pks if pk in places), key=_order)
            names[name] = [place["name"] for place in found]
        else:
            terms = term_map(model)
            names[name] = sorted(terms[pk][1] for pk in pks if pk in terms)
    return names


@functools.cache
def _links_sql(model, relations: tuple[str, ...]) -> str:
    """The UNION ALL over the link tables of ``relations``, written once per
    model: building it through the ORM on every page view cost more CPU than
    running it. Only names from the models' own meta are in it; the page's id
    is a parameter."""
    quote = connection.ops.quote_name
    parts = []
    for position, name in enumerate(relations):
        field = model._meta.get_field(name)
        through = field.remote_field.through._meta
        own = through.get_field(field.m2m_field_name()).column
        other = through.get_field(field.m2m_reverse_field_name()).column
        parts.append(
            f"SELECT {position:d}, {quote(other)} FROM {quote(through.db_table)}"  # noqa: S608
            f" WHERE {quote(own)} = %s"
        )
    return " UNION ALL ".join(parts)


def _order(place: dict) -> tuple[str, str]:
    return place["order"]
