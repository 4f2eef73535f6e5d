"""Apps declare what they contribute to search; search/ imports none of them."""

import ast
from pathlib import Path

import pytest
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from portal.monitoring.models import ObjectivePage
from portal.taxonomy.models import Topic
from search import registry, signals
from search.documents import DocumentData
from search.models import SearchDocument
from tests.monitoring.factories import objective_page

from .test_search import results_html

SEARCH_DIR = Path(__file__).resolve().parents[2] / "search"
OTHER_APPS = ("community", "kit_downloads", "sportelli")


def test_search_imports_no_app_that_contributes_to_it():
    found = []
    for path in SEARCH_DIR.rglob("*.py"):
        if "relevance" in path.parts:  # the relevance set's tooling reads the demo
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            found += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] in OTHER_APPS
            ]
    assert found == []


def test_the_community_declares_its_threads_and_posts():
    assert registry.source_for("community.thread") is not None
    assert registry.source_for("community.post") is not None
    assert str(registry.kinds()["community.thread"].label) == "Discussione"


@pytest.fixture
def topics_searchable(monkeypatch):
    """A model the search app has never heard of, declared the way an app does
    in its search.py; its signals are connected as at start-up."""

    def document(topic):
        return DocumentData(
            key=f"topic:{topic.pk}",
            kind="taxonomy.topic",
            language=topic.locale.language_code,
            title=topic.name,
            text=f"Tema del portale: {topic.name}",
            url=f"/temi/{topic.slug}/",
        )

    def update(pks):
        return registry.Update(
            keys=[f"topic:{pk}" for pk in pks],
            documents=[document(t) for t in Topic.objects.filter(pk__in=pks)],
        )

    def documents(batch_size):
        yield [document(topic) for topic in Topic.objects.all()]

    monkeypatch.setattr(registry, "_sources", dict(registry._sources))
    registry.register(
        registry.Source(
            model=Topic,
            kinds=(registry.Kind("taxonomy.topic", _("Topic")),),
            update=update,
            documents=documents,
            deleted_keys=lambda pk: [f"topic:{pk}"],
        )
    )
    signals.connect_sources()
    yield
    post_save.disconnect(sender=Topic, dispatch_uid="search_saved_taxonomy.topic")
    post_delete.disconnect(sender=Topic, dispatch_uid="search_deleted_taxonomy.topic")


@pytest.mark.django_db
@pytest.mark.usefixtures("search_backend")
def test_a_registered_model_is_indexed_found_faceted_and_removed(
    client, tree, topics_searchable
):
    topic = Topic.objects.create(
        name="Xilografia occupazionale", slug="xilografia", locale=tree.home.locale
    )

    assert SearchDocument.objects.filter(key=f"topic:{topic.pk}").exists()
    response = client.get(reverse("search:search"), {"q": "xilografia"})
    assert "Xilografia occupazionale" in strip_tags(results_html(response))
    assert 'value="taxonomy.topic"' in response.content.decode()

    topic.delete()
    response = client.get(reverse("search:search"), {"q": "xilografia"})
    assert "Xilografia occupazionale" not in strip_tags(results_html(response))


@pytest.mark.django_db
@pytest.mark.usefixtures("search_backend")
def test_pages_are_found_by_the_rows_they_declare_as_related_fields(client, tree):
    page = objective_page(tree.section)
    action = page.actions.first()
    action.description = "Censimento degli sportelli itineranti"
    action.save()
    page.save_revision().publish()

    response = client.get(reverse("search:search"), {"q": "sportelli itineranti"})

    assert ObjectivePage.objects.get(pk=page.pk).title in strip_tags(
        results_html(response)
    )
