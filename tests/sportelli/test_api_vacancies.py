"""The desks' API on vacancies: who may call what (exact status codes),
idempotent upserts by external id, all-or-nothing bulk, per-field errors in
the caller's language, the audit of every call and the rate limit."""

import datetime
import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Organisation
from sportelli import services
from sportelli.models import ApiCall, Sportello, Vacancy
from sportelli.services import api_keys

from .conftest import vacancy

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
BASE = "/api/sportelli/v1/"


def token_for(sportello, by) -> str:
    return api_keys.api_key_create(sportello=sportello, by=by, name="SILLA").token


def auth(token: str, language: str = "en") -> dict:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_ACCEPT_LANGUAGE": language,
    }


def payload(**overrides) -> dict:
    data = {
        "title": "Cuoco per ristorante",
        "isco_code": "5120",
        "ateco_code": "56.11",
        "contract_type": "determinato",
        "working_time": "full",
        "positions": 2,
        "municipality": "004029",
        "education_level": "qualifica",
        "languages": [{"language": "en", "level": "A2"}],
        "driving_licence": "B",
        "experience_years": 2,
        "description": "Preparazione dei piatti del giorno.",
        "how_to_apply": "Scrivere allo sportello con il proprio CV.",
        "employer_name": "Trattoria del Borgo",
        "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def put(client, external_id, data, token, language="en"):
    return client.put(
        f"{BASE}vacancies/{external_id}",
        data=json.dumps(data),
        content_type="application/json",
        **auth(token, language),
    )


def bulk(client, items, token, language="en"):
    return client.post(
        f"{BASE}vacancies/bulk",
        data=json.dumps({"items": items}),
        content_type="application/json",
        **auth(token, language),
    )


@pytest.fixture
def keys(network):
    """A key of desk A (by its manager) and one of desk B (by its referente)."""
    referente_b = network.org_b.memberships.get(role="referente").user
    return {
        "a": token_for(network.desk_a, network.manager_a),
        "b": token_for(network.desk_b, referente_b),
    }


def test_the_api_is_mounted_outside_the_language_prefix():
    assert reverse("sportelli_api:vacancies") == "/api/sportelli/v1/vacancies"


# --- Security matrix ------------------------------------------------------------------


@pytest.fixture
def vacancies(network, keys, client):
    """Desk A's vacancy A-1 (published) and desk B's B-1, both sent through the
    API."""
    a = put(client, "A-1", payload(status="published"), keys["a"])
    b = put(client, "B-1", payload(title="Saldatore", isco_code="7212"), keys["b"])
    assert (a.status_code, b.status_code) == (201, 201)
    return {"a": a.json(), "b": b.json()}


def _paths(vacancies):
    return [
        ("get", BASE),
        ("get", f"{BASE}vacancies"),
        ("get", f"{BASE}vacancies/A-1"),
        ("get", f"{BASE}vacancies/by-id/{vacancies['a']['id']}"),
        ("put", f"{BASE}vacancies/A-1"),
        ("post", f"{BASE}vacancies/bulk"),
        ("get", f"{BASE}candidatures"),
        ("get", f"{BASE}proposals"),
    ]


def _call(client, method, path, headers):
    body = {"items": [payload(external_id="A-1")]} if method == "post" else payload()
    if method in ("put", "post"):
        return getattr(client, method)(
            path, data=json.dumps(body), content_type="application/json", **headers
        )
    return getattr(client, method)(path, **headers)


def test_no_key_or_a_bad_key_is_401_everywhere(client, vacancies):
    for method, path in _paths(vacancies):
        for headers in (
            {},
            {"HTTP_AUTHORIZATION": "Bearer nonsense"},
            {"HTTP_AUTHORIZATION": "Bearer abcd1234.wrong-secret"},
            {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        ):
            response = _call(client, method, path, headers)
            assert response.status_code == HTTPStatus.UNAUTHORIZED, (method, path)
            assert response["WWW-Authenticate"].startswith("Bearer")
            assert list(response.json()["errors"]) == ["__all__"]


def test_the_key_of_desk_a_works_on_desk_a(client, keys, vacancies):
    headers = auth(keys["a"])
    expected = {
        ("get", BASE): 200,
        ("get", f"{BASE}vacancies"): 200,
        ("get", f"{BASE}vacancies/A-1"): 200,
        ("get", f"{BASE}vacancies/by-id/{vacancies['a']['id']}"): 200,
        ("put", f"{BASE}vacancies/A-1"): 200,
        ("post", f"{BASE}vacancies/bulk"): 200,
        ("get", f"{BASE}candidatures"): 200,
        ("get", f"{BASE}proposals"): 200,
    }
    for (method, path), status in expected.items():
        response = _call(client, method, path, headers)
        assert response.status_code == status, (method, path, response.content)


def test_the_key_of_desk_a_on_desk_b_data(client, keys, vacancies, network):
    headers = auth(keys["a"])
    # B's vacancy by its portal id: it exists, it is not A's.
    response = client.get(f"{BASE}vacancies/by-id/{vacancies['b']['id']}", **headers)
    assert response.status_code == HTTPStatus.FORBIDDEN
    # External ids are per desk: A has no "B-1", so A sees nothing of B's...
    assert client.get(f"{BASE}vacancies/B-1", **headers).status_code == 404
    listed = client.get(f"{BASE}vacancies", **headers).json()
    assert [row["external_id"] for row in listed["results"]] == ["A-1"]
    # ... and a PUT of "B-1" with A's key makes A's own vacancy, never B's.
    response = put(client, "B-1", payload(title="Di A"), keys["a"])
    assert response.status_code == HTTPStatus.CREATED
    b_vacancy = Vacancy.objects.get(pk=vacancies["b"]["id"])
    assert b_vacancy.title == "Saldatore"
    assert b_vacancy.sportello == network.desk_b
    assert Vacancy.objects.get(external_id="B-1", sportello=network.desk_a).title == (
        "Di A"
    )


def test_unknown_ids_are_404(client, keys, vacancies):
    headers = auth(keys["a"])
    assert client.get(f"{BASE}vacancies/NOPE", **headers).status_code == 404
    assert client.get(f"{BASE}vacancies/by-id/999999", **headers).status_code == 404
    assert client.get(f"{BASE}proposals/999999", **headers).status_code == 404
    assert client.get(f"{BASE}vacancies?page=9", **headers).status_code == 404


def test_a_revoked_key_is_401(client, keys, vacancies, network):
    key = network.desk_a.api_keys.get()
    api_keys.api_key_revoke(key=key, by=network.manager_a)
    for method, path in _paths(vacancies):
        response = _call(client, method, path, auth(keys["a"]))
        assert response.status_code == HTTPStatus.UNAUTHORIZED, (method, path)


def test_a_key_of_a_suspended_desk_or_unapproved_administration_is_403(
    client, keys, vacancies, network
):
    Sportello.objects.filter(pk=network.desk_a.pk).update(
        status=Sportello.Status.SUSPENDED
    )
    for method, path in _paths(vacancies):
        response = _call(client, method, path, auth(keys["a"]))
        assert response.status_code == HTTPStatus.FORBIDDEN, (method, path)
    Sportello.objects.filter(pk=network.desk_a.pk).update(
        status=Sportello.Status.ACTIVE
    )
    Organisation.objects.filter(pk=network.org_a.pk).update(
        status=Organisation.Status.SUSPENDED
    )
    for method, path in _paths(vacancies):
        response = _call(client, method, path, auth(keys["a"]))
        assert response.status_code == HTTPStatus.FORBIDDEN, (method, path)


def test_a_draft_desk_may_prepare_drafts_but_not_publish(client, network):
    token = token_for(network.draft_a, network.referente)
    assert put(client, "D-1", payload(), token).status_code == 201
    response = put(client, "D-1", payload(status="published"), token)
    assert response.status_code == 422
    assert "__all__" in response.json()["errors"]


def test_other_headers_and_methods(client, keys, vacancies):
    response = client.get(
        f"{BASE}vacancies/A-1", HTTP_AUTHORIZATION=f"Api-Key {keys['a']}"
    )
    assert response.status_code == 200
    response = client.get(f"{BASE}vacancies/A-1", HTTP_X_API_KEY=keys["a"])
    assert response.status_code == 200
    response = client.delete(f"{BASE}vacancies/A-1", **auth(keys["a"]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert "PUT" in response["Allow"]


# --- Upserts --------------------------------------------------------------------------


def test_put_twice_is_one_vacancy(client, keys, network):
    first = put(client, "OFF-1", payload(), keys["a"])
    second = put(client, "OFF-1", payload(), keys["a"])

    assert (first.status_code, second.status_code) == (201, 200)
    assert first["Location"].endswith("/api/sportelli/v1/vacancies/OFF-1")
    assert Vacancy.objects.filter(external_id="OFF-1").count() == 1
    item = Vacancy.objects.get(external_id="OFF-1")
    assert item.sportello == network.desk_a
    assert item.status == Vacancy.Status.DRAFT
    assert item.created_by is None and item.updated_by is None
    assert first.json()["id"] == second.json()["id"] == item.pk


def test_put_updates_publishes_and_closes_by_the_services_rules(client, keys):
    put(client, "OFF-2", payload(), keys["a"])
    response = put(client, "OFF-2", payload(title="Aiuto cuoco"), keys["a"])
    assert response.json()["title"] == "Aiuto cuoco"
    assert response.json()["status"] == "draft"

    response = put(client, "OFF-2", payload(status="published"), keys["a"])
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["published_at"]
    # Left out, the status stays; a published vacancy does not go back to draft.
    assert put(client, "OFF-2", payload(), keys["a"]).json()["status"] == "published"
    response = put(client, "OFF-2", payload(status="draft"), keys["a"])
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["status"]

    response = put(client, "OFF-2", payload(status="closed"), keys["a"])
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["close_reason"]
    response = put(
        client, "OFF-2", payload(status="closed", close_reason="filled"), keys["a"]
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["close_reason"]) == (
        "closed",
        "filled",
    )
    # Closed is final: the same call again changes nothing; another change fails.
    again = put(
        client, "OFF-2", payload(status="closed", close_reason="filled"), keys["a"]
    )
    assert again.status_code == 200
    assert put(client, "OFF-2", payload(title="Altro"), keys["a"]).status_code == 422


def test_a_get_can_be_put_back_unchanged(client, keys):
    created = put(client, "OFF-3", payload(status="published"), keys["a"]).json()
    response = put(client, "OFF-3", created, keys["a"])
    assert response.status_code == 200
    assert response.json()["updated_at"] >= created["updated_at"]


def test_a_vacancy_entered_in_the_portal_is_listed_with_no_external_id(
    client, keys, network
):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    listed = client.get(f"{BASE}vacancies", **auth(keys["a"])).json()
    assert listed["count"] == 1
    assert listed["results"][0]["external_id"] is None
    assert listed["results"][0]["api_url"].endswith(f"/vacancies/by-id/{item.pk}")


def test_get_answers_an_etag_and_304(client, keys):
    put(client, "OFF-4", payload(), keys["a"])
    response = client.get(f"{BASE}vacancies/OFF-4", **auth(keys["a"]))
    assert response["Cache-Control"] == "private, no-store"
    again = client.get(
        f"{BASE}vacancies/OFF-4",
        HTTP_IF_NONE_MATCH=response["ETag"],
        **auth(keys["a"]),
    )
    assert again.status_code == HTTPStatus.NOT_MODIFIED


# --- Per-field errors -----------------------------------------------------------------


def test_errors_are_per_field(client, keys):
    response = put(
        client,
        "BAD-1",
        payload(
            isco_code="9999",
            positions="many",
            deadline="31/12/2026",
            municipality="999999",
            title=7,
            colour="blue",
        ),
        keys["a"],
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    errors = response.json()["errors"]
    assert set(errors) == {"positions", "deadline", "municipality", "title", "__all__"}
    assert errors["positions"] == ["Enter a whole number."]
    assert errors["__all__"] == ["Unknown field: colour."]
    # Types are right: now the services' own rules speak.
    response = put(client, "BAD-1", payload(isco_code="9999", title=""), keys["a"])
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"isco_code", "title"}
    assert not Vacancy.objects.filter(external_id="BAD-1").exists()


def test_errors_are_in_the_language_of_accept_language(client, keys):
    # Django's own messages are in its Italian catalogue already.
    with translation.override("it"):
        blank = str(Vacancy._meta.get_field("title").error_messages["blank"])
        whole = "Inserisci un numero intero."
    response = put(client, "BAD-2", payload(title="", positions="x"), keys["a"], "it")
    assert response["Content-Language"] == "it"
    errors = response.json()["errors"]
    assert errors["positions"] == [whole]
    response = put(client, "BAD-2", payload(title=""), keys["a"], "it-IT,it;q=0.9")
    assert response.json()["errors"]["title"] == [blank]
    response = put(client, "BAD-2", payload(title=""), keys["a"], "en-GB")
    assert response["Content-Language"] == "en"
    assert response.json()["errors"]["title"] == ["This field cannot be blank."]
    # No Accept-Language: Italian, the portal's language.
    response = client.put(
        f"{BASE}vacancies/BAD-2",
        data=json.dumps(payload(title="")),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {keys['a']}",
    )
    assert response["Content-Language"] == "it"
    assert response.json()["errors"]["title"] == [blank]


def test_a_body_that_is_not_json_is_400(client, keys):
    response = client.put(
        f"{BASE}vacancies/X",
        data="{not json",
        content_type="application/json",
        **auth(keys["a"]),
    )
    assert response.status_code == 400
    response = put(client, "X", ["a list"], keys["a"])
    assert response.status_code == 422


# --- Bulk, all or nothing -------------------------------------------------------------


def test_bulk_creates_and_updates(client, keys):
    put(client, "B-0", payload(), keys["a"])
    items = [payload(external_id=f"B-{n}", status="published") for n in range(3)]
    response = bulk(client, items, keys["a"])
    assert response.status_code == 200
    answer = response.json()
    assert (answer["created"], answer["updated"]) == (2, 1)
    assert [row["index"] for row in answer["items"]] == [0, 1, 2]
    assert Vacancy.objects.filter(status="published").count() == 3


def test_one_bad_item_and_nothing_is_saved(client, keys):
    put(client, "KEEP", payload(title="Prima"), keys["a"])
    items = [payload(external_id=f"C-{n}") for n in range(5)]
    items.append(payload(external_id="KEEP", title="Dopo"))
    items[3]["isco_code"] = "9999"  # the services refuse it
    items[4]["deadline"] = "domani"  # the types refuse it
    response = bulk(client, items, keys["a"])

    assert response.status_code == 422
    body = response.json()
    # The type errors are found before anything is tried.
    assert [row["index"] for row in body["items"]] == [4]
    assert list(body["items"][0]["errors"]) == ["deadline"]
    items[4]["deadline"] = payload()["deadline"]
    response = bulk(client, items, keys["a"])
    body = response.json()
    assert response.status_code == 422
    assert [row["index"] for row in body["items"]] == [3]
    assert list(body["items"][0]["errors"]) == ["isco_code"]
    assert body["errors"]["__all__"] == ["Nothing was saved: 1 of 6 items have errors."]
    assert Vacancy.objects.count() == 1
    assert Vacancy.objects.get().title == "Prima"


def test_a_failure_late_in_the_batch_undoes_the_earlier_items(client, keys):
    items = [payload(external_id=f"L-{n}", status="published") for n in range(4)]
    items[3]["status"] = "closed"  # a new vacancy cannot be created closed
    response = bulk(client, items, keys["a"])
    assert response.status_code == 422
    assert response.json()["items"] == [
        {
            "index": 3,
            "errors": {"status": [response.json()["items"][0]["errors"]["status"][0]]},
        }
    ]
    assert Vacancy.objects.count() == 0


def test_bulk_limits(client, keys):
    assert bulk(client, [], keys["a"]).status_code == 400
    items = [payload(external_id="same"), payload(external_id="same")]
    response = bulk(client, items, keys["a"])
    assert response.status_code == 422
    assert response.json()["items"][0]["index"] == 1
    response = bulk(client, [payload()], keys["a"])
    assert response.json()["items"][0]["errors"] == {
        "external_id": ["This field is required."]
    }
    too_many = [{"external_id": str(n)} for n in range(1001)]
    response = bulk(client, too_many, keys["a"])
    assert response.status_code == 422
    assert "items" in response.json()["errors"]


# --- Audit and rate limit -------------------------------------------------------------


def test_every_call_is_audited_without_its_body(client, keys, network):
    put(client, "AUD-1", payload(description="SEGRETO"), keys["a"], "en")
    client.get(
        f"{BASE}vacancies/NOPE", HTTP_X_REQUEST_ID="req-12345678", **auth(keys["a"])
    )
    client.get(f"{BASE}vacancies")
    calls = list(ApiCall.objects.order_by("pk"))
    assert [(c.method, c.path, c.status_code) for c in calls] == [
        ("PUT", "/api/sportelli/v1/vacancies/AUD-1", 201),
        ("GET", "/api/sportelli/v1/vacancies/NOPE", 404),
        ("GET", "/api/sportelli/v1/vacancies", 401),
    ]
    key = network.desk_a.api_keys.get()
    assert calls[0].key == key and calls[0].sportello == network.desk_a
    assert calls[0].objects_count == 1
    assert calls[0].client_ip == "127.0.0.1"
    assert calls[1].request_id == "req-12345678"
    assert calls[2].key is None and calls[2].sportello is None
    assert all(c.duration_ms >= 0 for c in calls)
    assert "SEGRETO" not in json.dumps(list(ApiCall.objects.values()), default=str)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_the_rate_limit_answers_429_with_retry_after(client, keys, settings):
    settings.SPORTELLI_API_RATE_LIMIT = 3
    for _n in range(3):
        assert client.get(f"{BASE}vacancies", **auth(keys["a"])).status_code == 200
    response = client.get(f"{BASE}vacancies", **auth(keys["a"]))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(response["Retry-After"]) <= 61
    assert list(response.json()["errors"]) == ["__all__"]
    # Per key: desk B's key is not limited by A's calls.
    assert client.get(f"{BASE}vacancies", **auth(keys["b"])).status_code == 200
    assert ApiCall.objects.filter(status_code=429).count() == 1


def test_the_key_acts_in_the_logs(client, keys, caplog):
    caplog.set_level("INFO", logger="sportelli.services.vacancies")
    put(client, "LOG-1", payload(status="published"), keys["a"])
    prefix = keys["a"].split(".")[0]
    assert f"by API key {prefix}" in caplog.text


def test_services_refuse_a_key_of_another_desk(network, keys):
    key_b = network.desk_b.api_keys.get()
    with pytest.raises(services.vacancies.Forbidden):
        services.vacancy_create(
            sportello=network.desk_a,
            by=key_b,
            details=services.VacancyDetails(
                title="x",
                isco_code="5120",
                ateco_code="56.11",
                contract_type="determinato",
                working_time="full",
                municipality=None,
                deadline=None,
                description="x",
                how_to_apply="x",
            ),
        )
