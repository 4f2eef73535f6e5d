import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone
from wagtail.models import Locale

from portal.taxonomy.models import Territory, Topic

from .factories import make_seminar

pytestmark = pytest.mark.django_db


def titles(response, section):
    body = response.content.decode()
    part = body.split(f'data-testid="{section}"')[1].split("</section>")[0]
    return part


def test_index_splits_upcoming_and_past(client, index):
    make_seminar(index, slug="futuro", title="Seminario futuro")
    make_seminar(index, slug="passato", title="Seminario passato", days=-5)
    response = client.get(index.url)
    assert response.status_code == HTTPStatus.OK
    assert "Seminario futuro" in titles(response, "upcoming")
    assert "Seminario passato" in titles(response, "past")
    assert "Seminario passato" not in titles(response, "upcoming")


def test_filters_by_type_territory_topic(client, index):
    territory = Territory.objects.get(code="075")
    topic = Topic.objects.create(
        name="Collocamento mirato",
        slug="collocamento-mirato",
        locale=Locale.objects.get(language_code="it"),
    )
    tagged = make_seminar(
        index,
        slug="web",
        title="Webinar filtrato",
        kind="webinar",
        is_online=True,
        venue="",
        online_url="https://x.example.org",
        territory=territory,
    )
    tagged.topics.add(topic)
    tagged.save_revision().publish()
    make_seminar(index, slug="altro", title="Altro seminario")
    response = client.get(index.url, {"type": "webinar"})
    assert "Webinar filtrato" in response.content.decode()
    assert "Altro seminario" not in response.content.decode()
    response = client.get(index.url, {"territory": territory.code})
    assert "Altro seminario" not in response.content.decode()
    assert "Webinar filtrato" in response.content.decode()
    response = client.get(index.url, {"topic": topic.slug})
    assert "Altro seminario" not in response.content.decode()
    assert "Webinar filtrato" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"type": "bogus"}, {"territory": "<x>"}, {"topic": "nope"}]
)
def test_unknown_filters_are_ignored(client, index, params):
    make_seminar(index, slug="futuro", title="Seminario futuro")
    response = client.get(index.url, params)
    assert response.status_code == HTTPStatus.OK
    assert "Seminario futuro" in response.content.decode()


def test_month_view(client, index):
    seminar = make_seminar(index, slug="futuro", title="Seminario del mese")
    local = timezone.localtime(seminar.start)
    response = client.get(index.url + f"mese/{local.year}/{local.month}/")
    assert response.status_code == HTTPStatus.OK
    assert "Seminario del mese" in response.content.decode()
    other = local.replace(day=1) + dt.timedelta(days=40)
    response = client.get(index.url + f"mese/{other.year}/{other.month}/")
    assert "Seminario del mese" not in response.content.decode()


@pytest.mark.parametrize("path", ["mese/2026/13/", "mese/1800/1/", "mese/2026/0/"])
def test_month_view_bad_input_is_404(client, index, path):
    assert client.get(index.url + path).status_code == HTTPStatus.NOT_FOUND


def test_index_query_count_does_not_grow(client, index, django_assert_max_num_queries):
    for i in range(2):
        make_seminar(index, slug=f"s{i}")
    with django_assert_max_num_queries(30) as small:
        client.get(index.url)
    for i in range(2, 12):
        make_seminar(index, slug=f"s{i}", days=-i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(index.url)
