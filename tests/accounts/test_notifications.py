"""Account emails reach each person in their own language, with absolute links;
registration reviewers hear of every administration waiting for them, by email
and on the admin dashboard."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from portal.accounts import selectors, services
from portal.accounts.models import Membership, Organisation
from portal.mail.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_hooks")]

BASE = "http://localhost"

REGISTRATION = {
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
}


def _emails_to(address: str):
    """What was delivered to ``address`` (the queued OutboundEmail row keeps
    its recipients and subject; its body is dropped once sent)."""
    delivered = [message for message in mail.outbox if message.to == [address]]
    rows = OutboundEmail.objects.filter(to=[address])
    assert sorted(row.subject for row in rows) == sorted(
        message.subject for message in delivered
    )
    return delivered


def _one_email_to(address: str) -> OutboundEmail:
    emails = _emails_to(address)
    assert len(emails) == 1, [email.subject for email in emails]
    return emails[0]


def _in(language: str, text, **params) -> str:
    with translation.override(language):
        return f"[Esplora Lavoro] {str(text) % params}"


@pytest.fixture
def reviewers(make_user):
    """An Italian reviewer through the admin group, an English one holding the
    permission directly, a superuser; an inactive reviewer and a plain user
    who must hear nothing."""
    permission = Permission.objects.get(
        codename="review_registration", content_type__app_label="accounts"
    )
    italian = make_user(email="revisore@regione.it", language="it")
    italian.groups.add(Group.objects.get(name="Revisione registrazioni"))
    english = make_user(email="reviewer@example.eu", language="en")
    english.user_permissions.add(
        permission,
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        ),
    )
    superuser = make_user(email="admin@example.org", is_superuser=True, language="it")
    gone = make_user(email="gone@example.org", is_active=False, language="en")
    gone.user_permissions.add(permission)
    make_user(email="editor@example.org", is_staff=True)
    return {"it": italian, "en": english, "superuser": superuser}


@pytest.fixture
def registrant(make_user):
    return make_user(email="anna@comune.bari.it", language="it")


def test_reviewer_list_is_one_query_and_follows_the_permission(
    reviewers, django_assert_num_queries
):
    with django_assert_num_queries(1):
        emails = [user.email for user in selectors.registration_reviewer_list()]
    assert emails == [
        "admin@example.org",
        "reviewer@example.eu",
        "revisore@regione.it",
    ]


def test_a_new_registration_is_sent_to_every_reviewer_in_their_language(
    reviewers, registrant
):
    result = services.organisation_register(user=registrant, **REGISTRATION)
    organisation = result.organisation
    review_url = f"{BASE}/admin/organisations/{organisation.pk}/review/"

    for language, reviewer in [("en", reviewers["en"]), ("it", reviewers["it"])]:
        email = _one_email_to(reviewer.email)
        assert email.subject == _in(
            language,
            services._("New registration to review: %(name)s"),
            name="Comune di Bari",
        )
        assert review_url in email.body
        assert "Comune di Bari" in email.body
        assert "c_a662" in email.body
        with translation.override(language):
            assert str(organisation.get_kind_display()) in email.body
            assert str(organisation.get_region_display()) in email.body
        assert "127.0.0.1" not in email.body
    english = _one_email_to("reviewer@example.eu")
    assert (
        english.subject == "[Esplora Lavoro] New registration to review: Comune di Bari"
    )
    assert "has registered for the SILLA kit and waits for your review" in english.body
    assert "Municipality" in english.body or "Comune" in english.body
    assert "Puglia" in english.body
    assert _one_email_to("admin@example.org")
    assert not _emails_to("gone@example.org")
    assert not _emails_to("editor@example.org")
    # The registrant is told too, once, in Italian.
    received = _one_email_to("anna@comune.bari.it")
    assert received.subject == _in(
        "it",
        services._("Registration of %(name)s received"),
        name="Comune di Bari",
    )
    assert f"{BASE}/kit/" in received.body


def test_a_rejected_administration_registered_again_is_sent_to_the_reviewers(
    reviewers, registrant
):
    organisation = services.organisation_register(
        user=registrant, **REGISTRATION
    ).organisation
    services.organisation_review(
        organisation=organisation,
        decision="reject",
        by=reviewers["en"],
        reason="Codice IPA di un altro ente",
    )
    mail.outbox.clear()
    OutboundEmail.objects.all().delete()

    services.organisation_register(
        user=registrant, **{**REGISTRATION, "name": "Comune di Bari (Area Lavoro)"}
    )

    email = _one_email_to("reviewer@example.eu")
    assert "Comune di Bari (Area Lavoro)" in email.subject
    assert "had not been approved, has registered again" in email.body
    assert f"{BASE}/admin/organisations/{organisation.pk}/review/" in email.body
    assert _one_email_to("revisore@regione.it")


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_outcome_reaches_the_registrant_and_each_referente_in_their_language(
    reviewers, registrant, make_user, decision
):
    organisation = services.organisation_register(
        user=registrant, **REGISTRATION
    ).organisation
    colleague = make_user(email="marco@comune.bari.it", language="en")
    services.membership_set(
        organisation=organisation, user=colleague, role=Membership.Role.REFERENTE
    )
    mail.outbox.clear()
    OutboundEmail.objects.all().delete()

    services.organisation_review(
        organisation=organisation,
        decision=decision,
        by=reviewers["it"],
        reason="Dati incompleti",
    )

    subject = {
        "approve": "%(name)s is approved: you can download the SILLA kit",
        "reject": "The registration of %(name)s was not approved",
    }[decision]
    english = _one_email_to("marco@comune.bari.it")
    assert english.subject == f"[Esplora Lavoro] {subject % {'name': 'Comune di Bari'}}"
    assert f"{BASE}/en/" in english.body
    italian = _one_email_to("anna@comune.bari.it")
    assert italian.subject == _in("it", services._(subject), name="Comune di Bari")
    assert f"{BASE}/" in italian.body and f"{BASE}/en/" not in italian.body
    if decision == "reject":
        assert "Dati incompleti" in english.body and "Dati incompleti" in italian.body
    assert len(mail.outbox) == OutboundEmail.objects.count() == 2


def test_approval_reaches_the_registrant_who_is_no_longer_a_referente(
    reviewers, registrant, make_user
):
    organisation = services.organisation_register(
        user=registrant, **REGISTRATION
    ).organisation
    successor = make_user(email="nuovo@comune.bari.it", language="en")
    services.membership_set(
        organisation=organisation, user=successor, role=Membership.Role.REFERENTE
    )
    Membership.objects.filter(user=registrant).delete()
    mail.outbox.clear()
    OutboundEmail.objects.all().delete()

    services.organisation_review(
        organisation=organisation, decision="approve", by=reviewers["superuser"]
    )

    assert _one_email_to("anna@comune.bari.it")
    assert _one_email_to("nuovo@comune.bari.it")


def test_join_requests_reach_the_referente_and_the_requester_in_their_language(
    reviewers, registrant, make_user
):
    services.organisation_register(user=registrant, **REGISTRATION)
    services.organisation_review(
        organisation=Organisation.objects.get(),
        decision="approve",
        by=reviewers["it"],
    )
    registrant.language = "en"
    registrant.save(update_fields=["language"])
    requester = make_user(email="luca@comune.bari.it", language="it")
    mail.outbox.clear()
    OutboundEmail.objects.all().delete()

    result = services.organisation_register(user=requester, **REGISTRATION)

    created = _one_email_to("anna@comune.bari.it")
    assert created.subject == "[Esplora Lavoro] Request to join Comune di Bari"
    assert "luca@comune.bari.it" in created.body
    assert f"{BASE}/en/" in created.body
    assert not _emails_to("reviewer@example.eu")  # a join request is not theirs

    services.join_request_decide(
        join_request=result.join_request, by=registrant, approve=True
    )
    decided = _one_email_to("luca@comune.bari.it")
    assert decided.subject == _in(
        "it", services._("You have joined %(name)s"), name="Comune di Bari"
    )
    assert f"{BASE}/" in decided.body and "/en/" not in decided.body
    assert Membership.objects.get(user=requester).role == Membership.Role.OPERATOR


def test_send_notification_looks_up_addresses_and_writes_one_email_each(
    make_user,
):
    make_user(email="Reader@example.eu", language="en")
    make_user(email="lettrice@example.it", language="it")

    sent = services.send_notification(
        to=["reader@example.eu", "READER@example.eu", "lettrice@example.it", ""]
        + ["sconosciuto@example.org"],
        subject=services._("You have joined %(name)s"),
        subject_params={"name": "Comune di Bari"},
        template="accounts/email/join_request_decided.txt",
        context={
            "organisation": Organisation(name="Comune di Bari"),
            "approved": True,
        },
    )

    assert sent == 3
    english = _one_email_to("Reader@example.eu")
    assert english.subject == "[Esplora Lavoro] You have joined Comune di Bari"
    assert f"{BASE}/en/" in english.body
    for address in ["lettrice@example.it", "sconosciuto@example.org"]:
        assert _one_email_to(address).subject == _in(
            "it", services._("You have joined %(name)s"), name="Comune di Bari"
        )


# --- The admin: dashboard panel and menu entry -----------------------------------


def _pending(count: int) -> None:
    for number in range(count):
        Organisation.objects.create(
            name=f"Comune {number}",
            kind="comune",
            codice_ipa=f"c_{number:04d}",
            region="16",
            status=Organisation.Status.PENDING,
        )
    Organisation.objects.create(
        name="Comune approvato", kind="comune", codice_ipa="c_ok", status="approved"
    )


def test_reviewers_see_the_registrations_waiting_on_the_dashboard(client, reviewers):
    _pending(3)
    profile = UserProfile.get_for_user(reviewers["en"])
    profile.preferred_language = "en"
    profile.save()
    client.force_login(reviewers["en"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'data-testid="registrations-to-review-panel"' in page
    assert "Registrations to review (3)" in page
    list_url = reverse("wagtailsnippets_accounts_organisation:list") + "?status=pending"
    assert list_url in page
    first = Organisation.objects.get(codice_ipa="c_0000")
    assert reverse("accounts_admin:review", args=[first.pk]) in page
    assert "Comune approvato" not in page

    client.force_login(reviewers["superuser"])
    listing = client.get(list_url).content.decode()
    assert "Comune 0" in listing
    assert "Comune approvato" not in listing


def test_the_dashboard_count_is_one_query(client, reviewers, django_assert_num_queries):
    from portal.accounts.wagtail_hooks import _pending_count

    _pending(2)

    class Request:
        user = reviewers["it"]

    request = Request()
    reviewers["it"].has_perm("accounts.review_registration")  # fills perm cache
    with django_assert_num_queries(1):
        assert _pending_count(request) == 2
        assert _pending_count(request) == 2


def test_nothing_is_shown_without_the_permission_or_without_pending(
    client, reviewers, make_user
):
    _pending(2)
    editor = make_user(email="redattore@example.org")
    editor.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "registrations-to-review" not in page

    Organisation.objects.filter(status="pending").update(status="approved")
    client.force_login(reviewers["en"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "registrations-to-review" not in page
