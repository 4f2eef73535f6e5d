from itertools import count

from wagtail.models import Locale

from portal.practices.models import GoodPracticePage, PracticeIndexPage
from portal.taxonomy.models import TargetGroup, Territory, Topic

_sequence = count()


def practice_index(home) -> PracticeIndexPage:
    index = PracticeIndexPage(title="Buone pratiche", slug="buone-pratiche-demo")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def topic(slug="collocamento-mirato", name="Collocamento mirato") -> Topic:
    italian = Locale.objects.get(language_code="it")
    return Topic.objects.get_or_create(
        slug=slug, locale=italian, defaults={"name": name}
    )[0]


def target(slug="giovani", name="Giovani") -> TargetGroup:
    italian = Locale.objects.get(language_code="it")
    return TargetGroup.objects.get_or_create(
        slug=slug, locale=italian, defaults={"name": name}
    )[0]


def practice(index, *, publish=True, territories=(), topics=(), targets=(), **fields):
    number = next(_sequence)
    defaults = {
        "title": f"Pratica {number}",
        "slug": f"pratica-{number}",
        "summary": "Una pratica dei servizi per l'impiego",
        "description": "<p>Descrizione della pratica.</p>",
        "year_start": 2010,
        "year_end": 2012,
        "status": "concluded",
        "evidence_level": "monitored",
        "live": publish,
    }
    defaults.update(fields)
    page = GoodPracticePage(**defaults)
    page.territories.set(Territory.objects.filter(code__in=territories))
    page.topics.set(topics)
    page.target_groups.set(targets)
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def bulk_children(parent, pages) -> None:
    """Insert many live pages under ``parent`` fast, computing their tree paths.

    Only for tests that need volume (query-count pins): no revisions are made.
    """
    from django.test import override_settings

    start = parent.numchild
    no_indexing = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {
                "BACKEND": "wagtail.search.backends.database",
                "AUTO_UPDATE": False,
            }
        },
        WAGTAIL_REFERENCE_INDEX_ENABLED=False,
    )
    with no_indexing:
        _insert(parent, pages, start)
    type(parent).objects.filter(pk=parent.pk).update(numchild=start + len(pages))
    parent.numchild = start + len(pages)


def _insert(parent, pages, start) -> None:
    for offset, page in enumerate(pages, start=1):
        page.depth = parent.depth + 1
        page.path = page._get_path(parent.path, page.depth, start + offset)
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.live = True
        page.save(clean=False)
