"""Who gets what on every vacancy path (board, network board, detail, feed,
open data, front office, actions, search), with exact status codes."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from portal.accounts.models import Organisation
from sportelli import services
from sportelli.models import Vacancy

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND  # anonymous: to the login page; POST: back after success
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND
GONE = HTTPStatus.GONE
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED

ACTORS = ["anonymous", "operator_a", "manager_a", "operator_b", "staff"]


def _url(network, board, name: str) -> str:
    slug_a, slug_draft = network.desk_a.slug, network.draft_a.slug
    return {
        "board": reverse("sportelli:vacancies"),
        "network_board": reverse("sportelli:vacancies_network"),
        "feed": reverse("sportelli:vacancy_feed"),
        "csv": reverse("sportelli:vacancies_csv"),
        "json": reverse("sportelli:vacancies_json"),
        "public_a": board.public_a.get_absolute_url(),
        "public_b": board.public_b.get_absolute_url(),
        "network_a": board.network_a.get_absolute_url(),
        "draft_a": board.draft_a.get_absolute_url(),
        "closed_a": board.closed_a.get_absolute_url(),
        "draft_desk": board.draft_desk.get_absolute_url(),
        "missing": reverse("sportelli:vacancy", args=[999999]),
        "desk_list_a": reverse("sportelli:desk_vacancies", args=[slug_a]),
        "desk_list_draft": reverse("sportelli:desk_vacancies", args=[slug_draft]),
        "create_a": reverse("sportelli:vacancy_create", args=[slug_a]),
        "create_draft": reverse("sportelli:vacancy_create", args=[slug_draft]),
        "edit_draft_a": reverse(
            "sportelli:vacancy_edit", args=[slug_a, board.draft_a.pk]
        ),
        "edit_public_a": reverse(
            "sportelli:vacancy_edit", args=[slug_a, board.public_a.pk]
        ),
        "edit_closed_a": reverse(
            "sportelli:vacancy_edit", args=[slug_a, board.closed_a.pk]
        ),
        # B's vacancy through A's desk: never found there.
        "edit_b_via_a": reverse(
            "sportelli:vacancy_edit", args=[slug_a, board.public_b.pk]
        ),
        "publish_get": reverse(
            "sportelli:vacancy_publish", args=[slug_a, board.draft_a.pk]
        ),
        "close_get": reverse(
            "sportelli:vacancy_close", args=[slug_a, board.public_a.pk]
        ),
    }[name]


# page -> expected status per actor, in the order of ACTORS
MATRIX = {
    "board": [OK, OK, OK, OK, OK],
    "network_board": [FOUND, OK, OK, OK, OK],
    "feed": [OK, OK, OK, OK, OK],
    "csv": [OK, OK, OK, OK, OK],
    "json": [OK, OK, OK, OK, OK],
    "public_a": [OK, OK, OK, OK, OK],
    "public_b": [OK, OK, OK, OK, OK],
    "network_a": [NOT_FOUND, OK, OK, OK, OK],
    "draft_a": [NOT_FOUND, OK, OK, NOT_FOUND, OK],
    "closed_a": [GONE, OK, OK, GONE, OK],
    "draft_desk": [NOT_FOUND, OK, OK, NOT_FOUND, OK],
    "missing": [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "desk_list_a": [FOUND, OK, OK, FORBIDDEN, OK],
    "desk_list_draft": [FOUND, OK, OK, NOT_FOUND, OK],
    "create_a": [FOUND, OK, OK, FORBIDDEN, OK],
    "create_draft": [FOUND, OK, OK, NOT_FOUND, OK],
    "edit_draft_a": [FOUND, OK, OK, FORBIDDEN, OK],
    "edit_public_a": [FOUND, OK, OK, FORBIDDEN, OK],
    "edit_closed_a": [FOUND, FOUND, FOUND, FORBIDDEN, FOUND],
    "edit_b_via_a": [FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND],
    "publish_get": [FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED],
    "close_get": [FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED],
}


def _login(client, network, actor: str):
    client.logout()
    if actor != "anonymous":
        client.force_login(getattr(network, actor))


@pytest.mark.parametrize("page", list(MATRIX))
def test_access_matrix(client, network, board, page):
    url = _url(network, board, page)
    got = []
    for actor in ACTORS:
        _login(client, network, actor)
        got.append(client.get(url).status_code)
    assert got == MATRIX[page], dict(zip(ACTORS, got, strict=True))


def test_a_logged_in_user_without_a_desk_sees_no_network_vacancy(
    client, board, make_user
):
    client.force_login(make_user("cittadina@example.org"))
    assert client.get(reverse("sportelli:vacancies_network")).status_code == FORBIDDEN
    assert client.get(board.network_a.get_absolute_url()).status_code == NOT_FOUND
    assert client.get(board.public_a.get_absolute_url()).status_code == OK


def test_network_vacancies_of_a_suspended_desk_are_hidden_from_the_network(
    client, network, board
):
    services.sportello_set_status(
        sportello=network.desk_a, by=network.referente, status="suspended"
    )
    client.force_login(network.operator_b)
    assert client.get(board.network_a.get_absolute_url()).status_code == NOT_FOUND
    html = client.get(reverse("sportelli:vacancies_network")).content.decode()
    assert "Saldatore a filo" not in html
    assert "Operatore socio-sanitario" in html
    # Desk A's people still see their own vacancies.
    client.force_login(network.operator_a)
    assert client.get(board.network_a.get_absolute_url()).status_code == OK


def test_people_of_a_desk_that_is_not_public_are_not_the_network(
    client, network, board
):
    services.sportello_set_status(
        sportello=network.desk_b, by=network.staff, status="suspended"
    )
    client.force_login(network.operator_b)
    assert client.get(reverse("sportelli:vacancies_network")).status_code == FORBIDDEN
    assert client.get(board.network_a.get_absolute_url()).status_code == NOT_FOUND


@pytest.mark.parametrize(
    ("actor", "expected", "published"),
    [
        ("anonymous", FOUND, False),
        ("operator_a", FOUND, True),
        ("manager_a", FOUND, True),
        ("operator_b", FORBIDDEN, False),
        ("staff", FOUND, True),
    ],
)
def test_publishing(client, network, board, actor, expected, published):
    _login(client, network, actor)
    url = reverse(
        "sportelli:vacancy_publish", args=[network.desk_a.slug, board.draft_a.pk]
    )
    response = client.post(url)
    assert response.status_code == expected
    status = Vacancy.objects.get(pk=board.draft_a.pk).status
    assert status == ("published" if published else "draft")
    if actor == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("actor", "expected", "closed"),
    [
        ("anonymous", FOUND, False),
        ("operator_a", FOUND, True),
        ("manager_a", FOUND, True),
        ("operator_b", FORBIDDEN, False),
        ("staff", FOUND, True),
    ],
)
def test_closing(client, network, board, actor, expected, closed):
    _login(client, network, actor)
    url = reverse(
        "sportelli:vacancy_close", args=[network.desk_a.slug, board.public_a.pk]
    )
    response = client.post(url, {"reason": "filled"})
    assert response.status_code == expected
    item = Vacancy.objects.get(pk=board.public_a.pk)
    assert (item.status == "closed") == closed
    if closed:
        assert item.close_reason == "filled"
        assert item.updated_by == getattr(network, actor)


@pytest.mark.parametrize(
    ("actor", "expected", "saved"),
    [
        ("anonymous", FOUND, False),
        ("operator_a", FOUND, True),
        ("manager_a", FOUND, True),
        ("operator_b", FORBIDDEN, False),
        ("staff", FOUND, True),
    ],
)
def test_creating_through_the_form(client, network, board, actor, expected, saved):
    _login(client, network, actor)
    url = reverse("sportelli:vacancy_create", args=[network.desk_a.slug])
    before = Vacancy.objects.count()
    response = client.post(url, _form_data(title="Elettricista"))
    assert response.status_code == expected
    assert (Vacancy.objects.count() == before + 1) == saved
    if saved:
        created = Vacancy.objects.get(title="Elettricista")
        assert response["Location"] == created.get_absolute_url()
        assert created.status == "draft"
        assert created.sportello == network.desk_a


def test_posts_without_the_csrf_token_are_refused(network, board):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.operator_a)
    url = reverse(
        "sportelli:vacancy_publish", args=[network.desk_a.slug, board.draft_a.pk]
    )
    assert client.post(url).status_code == FORBIDDEN
    assert Vacancy.objects.get(pk=board.draft_a.pk).status == "draft"


def test_an_action_on_another_desks_vacancy_through_ones_own_desk_is_not_found(
    client, network, board
):
    client.force_login(network.operator_a)
    url = reverse(
        "sportelli:vacancy_close", args=[network.desk_a.slug, board.public_b.pk]
    )
    assert client.post(url, {"reason": "filled"}).status_code == NOT_FOUND
    assert Vacancy.objects.get(pk=board.public_b.pk).status == "published"


def _form_data(**overrides) -> dict:
    data = {
        "title": "Cuoco",
        "isco_code": "5120",
        "cp2011_code": "",
        "ateco_code": "56.11",
        "contract_type": "determinato",
        "working_time": "full",
        "positions": "1",
        "municipality": "004029",
        "education_level": "nessuno",
        "driving_licence": "",
        "experience_years": "0",
        "description": "Cucina tradizionale.",
        "how_to_apply": "Inviare il CV allo sportello.",
        "employer_name": "Trattoria",
        "employer_visible": "on",
        "visibility": "public",
        "deadline": (datetime.date.today() + datetime.timedelta(days=20)).isoformat(),
        "external_id": "",
        "languages-TOTAL_FORMS": "3",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "8",
        "languages-0-language": "en",
        "languages-0-level": "B1",
    }
    data.update(overrides)
    return data


# --- Search ---------------------------------------------------------------------


@pytest.fixture
def _index_at_once(monkeypatch):
    """Index each change at once (production waits for the commit, which
    pytest-django's transaction never reaches)."""
    monkeypatch.setattr("search.signals._on_commit", lambda callback: callback())


def _found(client, query: str, path: str = "/cerca/") -> str:
    html = client.get(path, {"q": query}).content.decode()
    start = html.find('id="search-count"')
    end = html.find("</main>", start)
    return strip_tags(html[start:end]) if start != -1 else ""


@pytest.mark.usefixtures("_index_at_once")
def test_search_finds_public_live_vacancies_only(client, tree, network, board):
    assert "Cuoco per ristorante" in _found(client, "cuoco")
    assert "Operatore socio-sanitario" in _found(client, "Faenza operatore")
    assert "Operatore socio-sanitario" in _found(client, "operatore", "/en/search/")
    # Network-only, draft and closed vacancies are never found, even by their
    # own desk's people (search is public).
    client.force_login(network.operator_a)
    assert "Saldatore" not in _found(client, "saldatore")
    assert "Magazziniere" not in _found(client, "magazziniere")
    assert "Cameriere di sala" not in _found(client, "cameriere")


@pytest.mark.usefixtures("_index_at_once")
def test_vacancies_leave_the_search_when_closed_expired_or_their_desk_suspended(
    client, tree, network, board
):
    services.vacancy_close(
        vacancy=board.public_a, by=network.operator_a, reason="withdrawn"
    )
    assert "Cuoco per ristorante" not in _found(client, "cuoco")

    network.org_b.status = Organisation.Status.SUSPENDED
    network.org_b.save()
    assert "Operatore socio-sanitario" not in _found(client, "operatore")


@pytest.mark.usefixtures("_index_at_once")
def test_an_expired_vacancy_leaves_the_search(client, tree, network, board):
    Vacancy.objects.filter(pk=board.public_b.pk).update(
        deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    services.vacancy_expire_due()
    assert "Operatore socio-sanitario" not in _found(client, "operatore")


@pytest.mark.usefixtures("_index_at_once")
def test_a_vacancy_published_later_enters_the_search(client, tree, network, board):
    assert "Magazziniere" not in _found(client, "magazziniere")
    services.vacancy_publish(vacancy=board.draft_a, by=network.operator_a)
    assert "Magazziniere" in _found(client, "magazziniere")
