"""The demo's thirty example vacancies: real codes, every state, idempotent."""

from collections import Counter
from http import HTTPStatus
from io import StringIO

import pytest
from django.urls import reverse

from sportelli import classifications, demo
from sportelli.models import Vacancy

pytestmark = pytest.mark.django_db


def test_the_demo_loads_thirty_example_vacancies_once(client, tree):
    demo.load(home=tree.home, stdout=StringIO())
    demo.load(home=tree.home, stdout=StringIO())

    vacancies = Vacancy.objects.all()
    assert vacancies.count() == 30
    assert not vacancies.filter(is_example=False).exists()
    assert vacancies.values("sportello").distinct().count() == 8
    for item in vacancies:
        assert classifications.isco_unit(item.isco_code), item.isco_code
        assert classifications.ateco_activity(item.ateco_code), item.ateco_code
    states = Counter(
        (item.status, item.close_reason, item.visibility) for item in vacancies
    )
    assert states[("published", "", "public")] >= 15
    assert states[("published", "", "network")] >= 2
    assert states[("draft", "", "public")] >= 2
    assert states[("closed", "filled", "public")] >= 2
    assert states[("closed", "expired", "public")] >= 2

    board = client.get(reverse("sportelli:vacancies"))
    assert board.status_code == HTTPStatus.OK
    assert board.context["total"] == states[("published", "", "public")]
    example = vacancies.filter(status="published", visibility="public").first()
    html = client.get(example.get_absolute_url()).content.decode()
    assert "Offerta di esempio" in html
