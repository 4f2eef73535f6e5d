"""The desks' API on candidatures (consent on create, DELETE = consent
withdrawn and the profile deleted, all-or-nothing bulk) and on proposals
(received and sent, with their history; another desks' proposal is 403)."""

import datetime
import json
from http import HTTPStatus

import pytest

from sportelli.models import (
    ApiCall,
    Candidature,
    Proposal,
    ProposalEvent,
    SharingConsent,
)
from sportelli.services import api_keys

from .conftest import vacancy

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
BASE = "/api/sportelli/v1/"


def token_for(sportello, by) -> str:
    return api_keys.api_key_create(sportello=sportello, by=by, name="SILLA").token


def auth(token: str, language: str = "en") -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": language}


def profile(**overrides) -> dict:
    data = {
        "reference_code": "BRA-0042",
        "municipality": "004029",
        "occupations": ["5120", "5131"],
        "mobility": "provincia",
        "availability": "subito",
        "education_level": "qualifica",
        "languages": [{"language": "en", "level": "B1"}],
        "skills": ["HACCP", "Cucina piemontese"],
        "summary": "Cuoco con esperienza in trattoria.",
        "consent_scope": "proposals",
        "consent_given_on": TODAY.isoformat(),
    }
    data.update(overrides)
    return data


def put(client, external_id, data, token, language="en"):
    return client.put(
        f"{BASE}candidatures/{external_id}",
        data=json.dumps(data),
        content_type="application/json",
        **auth(token, language),
    )


@pytest.fixture
def key_a(network):
    return token_for(network.desk_a, network.manager_a)


def test_put_creates_with_consent_then_updates_one_profile(client, key_a, network):
    response = put(client, "P-1", profile(), key_a)
    assert response.status_code == HTTPStatus.CREATED, response.content
    data = response.json()
    assert data["occupations"] == ["5120", "5131"]
    assert data["consent"] == {"scope": "proposals", "given_on": TODAY.isoformat()}
    item = Candidature.objects.get(external_id="P-1")
    assert item.sportello == network.desk_a and item.created_by is None
    consent = SharingConsent.objects.get(candidature=item)
    assert consent.recorded_by is None

    update = profile(occupations=["5120"], status="suspended")
    del update["consent_scope"], update["consent_given_on"]
    response = put(client, "P-1", update, key_a)
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["occupations"] == ["5120"]
    assert response.json()["status"] == "suspended"
    assert Candidature.objects.count() == 1
    # The consent is given once, when the profile is created.
    response = put(client, "P-1", profile(), key_a)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["consent_scope"]


def test_consent_is_required_on_create_and_privacy_is_guarded(client, key_a):
    data = profile(summary="Chiamare il 333 1234567")
    del data["consent_scope"], data["consent_given_on"]
    response = put(client, "P-2", data, key_a)
    assert response.status_code == 422
    assert {"consent_scope", "consent_given_on", "summary"} <= set(
        response.json()["errors"]
    )
    assert not Candidature.objects.exists()


def test_delete_withdraws_consent_and_deletes_the_profile(client, key_a):
    put(client, "P-3", profile(), key_a)
    response = client.delete(f"{BASE}candidatures/P-3", **auth(key_a))
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Candidature.objects.exists()
    consent = SharingConsent.objects.get()
    assert consent.ended_reason == "withdrawn" and consent.withdrawn_at
    assert client.delete(f"{BASE}candidatures/P-3", **auth(key_a)).status_code == 404
    assert ApiCall.objects.filter(method="DELETE", status_code=204).count() == 1


def test_candidature_bulk_is_all_or_nothing(client, key_a):
    items = [
        profile(external_id=f"Q-{n}", reference_code=f"BRA-{n:04d}") for n in range(4)
    ]
    items[2]["occupations"] = ["9999"]
    response = client.post(
        f"{BASE}candidatures/bulk",
        data=json.dumps({"items": items}),
        content_type="application/json",
        **auth(key_a),
    )
    assert response.status_code == 422
    assert [row["index"] for row in response.json()["items"]] == [2]
    assert list(response.json()["items"][0]["errors"]) == ["occupations"]
    assert not Candidature.objects.exists()
    assert not SharingConsent.objects.exists()

    items[2]["occupations"] = ["5120"]
    response = client.post(
        f"{BASE}candidatures/bulk",
        data=json.dumps({"items": items}),
        content_type="application/json",
        **auth(key_a),
    )
    assert response.status_code == 200
    assert response.json()["created"] == 4
    listed = client.get(f"{BASE}candidatures", **auth(key_a)).json()
    assert listed["count"] == 4


def test_candidatures_of_another_desk_are_out_of_reach(client, key_a, network):
    referente_b = network.org_b.memberships.get(role="referente").user
    key_b = token_for(network.desk_b, referente_b)
    put(client, "SAME", profile(), key_b)
    assert client.get(f"{BASE}candidatures/SAME", **auth(key_a)).status_code == 404
    assert client.delete(f"{BASE}candidatures/SAME", **auth(key_a)).status_code == 404
    assert client.get(f"{BASE}candidatures", **auth(key_a)).json()["count"] == 0
    assert Candidature.objects.get().sportello == network.desk_b


# --- Proposals ------------------------------------------------------------------------


def test_proposals_received_and_sent_with_their_history(client, key_a, network):
    referente_b = network.org_b.memberships.get(role="referente").user
    key_b = token_for(network.desk_b, referente_b)
    put(client, "CB-1", profile(reference_code="FAE-0007"), key_b)
    candidature_b = Candidature.objects.get()
    vacancy_a = vacancy(sportello=network.desk_a, by=network.operator_a)
    proposal = Proposal.objects.create(
        vacancy=vacancy_a,
        vacancy_sportello=network.desk_a,
        candidature=candidature_b,
        candidature_sportello=network.desk_b,
        reference_code="FAE-0007",
        status="review",
        note="Esperienza in cucina.",
    )
    ProposalEvent.objects.create(
        proposal=proposal, to_status="proposed", by_sportello=network.desk_b
    )
    ProposalEvent.objects.create(
        proposal=proposal,
        from_status="proposed",
        to_status="review",
        by_sportello=network.desk_a,
    )

    received = client.get(f"{BASE}proposals?direction=received", **auth(key_a))
    assert received.status_code == 200
    rows = received.json()["results"]
    assert [(r["id"], r["direction"], r["status"]) for r in rows] == [
        (proposal.pk, "received", "review")
    ]
    assert rows[0]["candidature"]["external_id"] is None  # B's own id stays B's
    assert (
        client.get(f"{BASE}proposals?direction=sent", **auth(key_a)).json()["count"]
        == 0
    )
    sent = client.get(f"{BASE}proposals?direction=sent", **auth(key_b)).json()
    assert sent["results"][0]["candidature"]["external_id"] == "CB-1"
    assert (
        client.get(f"{BASE}proposals?direction=sideways", **auth(key_a)).status_code
        == 400
    )

    detail = client.get(f"{BASE}proposals/{proposal.pk}", **auth(key_a))
    assert detail.status_code == 200
    history = detail.json()["history"]
    assert [(h["from_status"], h["to_status"], h["desk"]) for h in history] == [
        (None, "proposed", network.desk_b.name),
        ("proposed", "review", network.desk_a.name),
    ]
    assert client.get(f"{BASE}proposals/{proposal.pk}", **auth(key_b)).status_code == (
        200
    )
    # A desk that is neither side: 403; an unknown proposal: 404.
    key_other = token_for(network.draft_a, network.referente)
    response = client.get(f"{BASE}proposals/{proposal.pk}", **auth(key_other))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert client.get(f"{BASE}proposals", **auth(key_other)).json()["count"] == 0
    assert client.get(f"{BASE}proposals/0", **auth(key_other)).status_code == 404
