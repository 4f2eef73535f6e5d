"""Builders for search tests: taxonomy terms and good practices under a tree."""

from itertools import count

from portal.practices.models import GoodPracticePage, PracticeIndexPage
from portal.taxonomy.models import TargetGroup, Territory, Topic

_numbers = count(1)


def make_region(name: str, code: str) -> Territory:
    return Territory.objects.get_or_create(
        code=code, defaults={"kind": "region", "name": name}
    )[0]


def make_province(name: str, code: str, region: Territory) -> Territory:
    return Territory.objects.get_or_create(
        code=code, defaults={"kind": "province", "name": name, "region": region}
    )[0]


def make_term(model, name: str, locale):
    return model.objects.create(name=name, slug=f"term-{next(_numbers)}", locale=locale)


def practice_index(home) -> PracticeIndexPage:
    index = PracticeIndexPage(title="Elenco buone pratiche", slug="elenco-pratiche")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_practice(
    index, title, *, description="", year=2024, topics=(), targets=(), territories=()
) -> GoodPracticePage:
    number = next(_numbers)
    page = GoodPracticePage(
        title=title,
        slug=f"pratica-{number}",
        description=f"<p>{description or title}</p>",
        year_start=year,
    )
    index.add_child(instance=page)
    page.topics.set(topics)
    page.target_groups.set(targets)
    page.territories.set(territories)
    page.save_revision().publish()
    return page


__all__ = ["TargetGroup", "Topic", "make_practice", "make_term", "practice_index"]
