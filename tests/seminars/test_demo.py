import io

import pytest

from portal.seminars import demo
from portal.seminars.models import SeminarPage

from .factories import make_index

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(tree):
    make_index(tree.home)
    demo.load(home=tree.home, stdout=io.StringIO())
    titles = set(SeminarPage.objects.values_list("title", flat=True))
    assert any("Ambito B" in title for title in titles)
    assert any("Tavolo" in title for title in titles)
    assert SeminarPage.objects.filter(kind="webinar").exists()
    count = SeminarPage.objects.count()
    demo.load(home=tree.home, stdout=io.StringIO())
    assert SeminarPage.objects.count() == count


def test_demo_without_index_does_nothing(tree):
    demo.load(home=tree.home, stdout=io.StringIO())
    assert not SeminarPage.objects.exists()
