"""Registration of administrations for the SILLA kit, review and join requests."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.accounts import services
from portal.accounts.models import JoinRequest, Membership, Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_hooks")]

VALID = {
    "name": "Comune di Bari",
    "kind": "comune",
    "codice_ipa": "C_A662",
    "codice_fiscale": "80015010723",
    "pec": "protocollo@pec.comune.bari.it",
    "region": "16",
    "province": "Bari",
    "municipality": "Bari",
    "first_name": "Anna",
    "last_name": "Rossi",
    "job_title": "Dirigente servizi per il lavoro",
    "phone": "+39 080 5771111",
    "intended_use": "Sportello Lavoro comunale",
    "accept_licence": "on",
}


def _url():
    with translation.override("en"):
        return reverse("kit_downloads:register")


@pytest.fixture
def referente(client, make_user):
    user = make_user(email="anna@comune.bari.it")
    client.force_login(user)
    return user


def test_registration_creates_a_pending_administration(client, referente):
    response = client.post(_url(), VALID)
    assert response.status_code == HTTPStatus.FOUND
    organisation = Organisation.objects.get(codice_ipa="c_a662")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.registered_by == referente
    assert organisation.licence_accepted_at is not None
    membership = Membership.objects.get(user=referente)
    assert membership.role == Membership.Role.REFERENTE
    assert membership.phone == "+39 080 5771111"
    referente.refresh_from_db()
    assert referente.get_full_name() == "Anna Rossi"
    assert [message.to for message in mail.outbox] == [["anna@comune.bari.it"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("codice_fiscale", "80015010724"),
        ("codice_fiscale", "8001501072"),
        ("codice_ipa", "c-a662!"),
        ("codice_ipa", "c"),
        ("pec", "protocollo@"),
        ("phone", "telefono"),
        ("accept_licence", ""),
        ("region", "99"),
    ],
)
def test_bad_input_gets_a_field_error(client, referente, field, value):
    response = client.post(_url(), {**VALID, field: value})
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_unverified_user_cannot_register(client, make_user):
    client.force_login(make_user(email="nuovo@example.org", verified=False))
    page = client.get(_url())
    assert page.status_code == HTTPStatus.OK
    assert 'data-reason="unverified"' in page.content.decode()
    assert client.post(_url(), VALID).status_code == HTTPStatus.FORBIDDEN
    assert not Organisation.objects.exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get(_url()).status_code == HTTPStatus.FOUND


def test_second_registration_of_the_ipa_code_is_a_join_request(
    client, referente, make_user
):
    client.post(_url(), VALID)
    mail.outbox.clear()
    second = make_user(email="marco@comune.bari.it")
    client.force_login(second)
    response = client.post(_url(), {**VALID, "name": "Città di Bari"})
    assert response.status_code == HTTPStatus.FOUND
    assert Organisation.objects.count() == 1
    join_request = JoinRequest.objects.get(user=second)
    assert join_request.status == JoinRequest.Status.PENDING
    assert [message.to for message in mail.outbox] == [["anna@comune.bari.it"]]
    assert not Membership.objects.filter(user=second).exists()

    # Only the referente decides.
    decide = reverse("kit_downloads:join_request_decide", args=[join_request.pk])
    response = client.post(decide, {"decision": "approve"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    client.force_login(referente)
    page = client.get(reverse("kit_downloads:organisation")).content.decode()
    assert "marco@comune.bari.it" in page
    assert client.post(decide, {"decision": "approve"}).status_code == HTTPStatus.FOUND
    membership = Membership.objects.get(user=second)
    assert membership.role == Membership.Role.OPERATOR
    assert mail.outbox[-1].to == ["marco@comune.bari.it"]

    # The referente manages users: removes the new member, not the last referente.
    remove = reverse("kit_downloads:membership_remove", args=[membership.pk])
    assert client.post(remove).status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(user=second).exists()
    own = Membership.objects.get(user=referente)
    with pytest.raises(services.RegistrationError):
        services.membership_remove(membership=own, by=referente)


@pytest.fixture
def pending(client, referente):
    client.post(_url(), VALID)
    mail.outbox.clear()
    return Organisation.objects.get()


@pytest.fixture
def staff(make_user):
    return make_user(email="redazione@example.org", is_staff=True, is_superuser=True)


def test_staff_approve_and_the_referente_is_told(pending, staff):
    services.organisation_review(organisation=pending, decision="approve", by=staff)
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.APPROVED
    assert pending.reviewed_by == staff
    assert mail.outbox[-1].to == ["anna@comune.bari.it"]
    assert (
        "approved" in mail.outbox[-1].subject or "approvat" in mail.outbox[-1].subject
    )


def test_reject_needs_a_reason_which_is_emailed(pending, staff):
    with pytest.raises(services.RegistrationError):
        services.organisation_review(organisation=pending, decision="reject", by=staff)
    services.organisation_review(
        organisation=pending, decision="reject", by=staff, reason="Codice IPA errato"
    )
    assert "Codice IPA errato" in mail.outbox[-1].body
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.REJECTED


def test_suspend_and_reinstate(pending, staff):
    services.organisation_review(organisation=pending, decision="approve", by=staff)
    with pytest.raises(services.RegistrationError):
        services.organisation_review(
            organisation=pending, decision="reinstate", by=staff
        )
    services.organisation_review(
        organisation=pending, decision="suspend", by=staff, reason="Uso improprio"
    )
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.SUSPENDED
    services.organisation_review(organisation=pending, decision="reinstate", by=staff)
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.APPROVED
    assert len(mail.outbox) == 3


def test_only_staff_review(pending, referente):
    with pytest.raises(services.RegistrationError):
        services.organisation_review(
            organisation=pending, decision="approve", by=referente
        )


def test_review_screen_in_the_wagtail_admin(client, pending, staff, referente):
    url = reverse("accounts_admin:review", args=[pending.pk])
    assert client.get(url).status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}
    client.force_login(staff)
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == HTTPStatus.OK  # the reason is missing
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.PENDING
    response = client.post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == HTTPStatus.FOUND
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.APPROVED
    listing = client.get(reverse("wagtailsnippets_accounts_organisation:list"))
    assert url in listing.content.decode()


def test_rejected_administration_can_register_again(client, pending, staff, referente):
    services.organisation_review(
        organisation=pending, decision="reject", by=staff, reason="PEC errata"
    )
    client.force_login(referente)
    response = client.post(_url(), {**VALID, "pec": "bari@pec.comune.bari.it"})
    assert response.status_code == HTTPStatus.FOUND
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.PENDING
    assert pending.pec == "bari@pec.comune.bari.it"
    assert not JoinRequest.objects.exists()
