"""Write ``pages.json``: every page of the demo a visitor may find or reach, by
URL path, with its title and language. The relevance set names its expected
results by these paths.

Run against a database with the demo loaded (``manage.py load_demo``)::

    DJANGO_SETTINGS_MODULE=portal.settings.dev python -m search.relevance.catalogue

The catalogue lists the indexed public documents (pages and the community
discussions an anonymous visitor may read) and the pages that exist but that
search does not index today (community groups, job desks): a person may expect
them, and the benchmark then shows them as missing from the index.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "pages.json"


def collect() -> dict[str, dict[str, str]]:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q
    from django.urls import reverse
    from django.utils import translation

    from community.models import Group
    from search.models import SearchDocument
    from search.selectors import readable_group_ids
    from sportelli.models import Sportello

    pages: dict[str, dict[str, str]] = {}
    readable = readable_group_ids(user=AnonymousUser())
    documents = (
        SearchDocument.objects.live()
        .filter(Q(group_id__isnull=True) | Q(group_id__in=readable))
        .exclude(kind="community.post")
    )
    for document in documents.order_by("url"):
        pages[document.url] = {
            "title": document.title,
            "language": document.language or "it",
            "kind": document.kind,
        }
    for group in Group.objects.filter(pk__in=readable).order_by("slug"):
        pages.setdefault(
            group.get_absolute_url(),
            {"title": group.name, "language": "it", "kind": "community.group"},
        )
    for language in ("it", "en"):
        with translation.override(language):
            pages.setdefault(
                reverse("sportelli:directory"),
                {
                    "title": "Sportelli Lavoro",
                    "language": language,
                    "kind": "sportelli.directory",
                },
            )
            for desk in Sportello.objects.order_by("slug"):
                pages.setdefault(
                    reverse("sportelli:detail", kwargs={"slug": desk.slug}),
                    {
                        "title": desk.name,
                        "language": language,
                        "kind": "sportelli.sportello",
                    },
                )
    return dict(sorted(pages.items()))


def main() -> None:
    import django

    django.setup()
    CATALOGUE.write_text(
        json.dumps(collect(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{CATALOGUE}: written")


if __name__ == "__main__":
    main()
