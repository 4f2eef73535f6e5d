import pytest
from wagtail.models import Page

from .factories import objective_page

pytestmark = pytest.mark.django_db


def test_objective_found_by_indicator_description(tree):
    page = objective_page(tree.section)
    indicator = page.indicators.first()
    indicator.description = "Rilevazioni del fabbisogno di competenze"
    indicator.save()
    page.save_revision().publish()
    results = Page.objects.live().search("fabbisogno competenze")
    assert page.pk in [result.pk for result in results]


def test_objective_found_by_aims(tree):
    page = objective_page(tree.section, aims="<p>Collocamento mirato</p>")
    results = Page.objects.live().search("collocamento")
    assert page.pk in [result.pk for result in results]
