"""Who gets what on every candidature path (the desk's front office, its
actions, the view log, the network's list and the profile page), with exact
status codes; what the network sees; what is logged."""

import datetime
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.urls import reverse

from portal.accounts.models import Membership, Organisation
from sportelli.models import Candidature, ProfileView, SharingConsent

from .conftest import municipality
from .test_candidatures_services import TODAY, candidature

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND  # anonymous: to the login page; POST: back after success
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED

ACTORS = ["anonymous", "operator_a", "manager_a", "operator_b", "staff", "pending"]


@dataclass
class Profiles:
    shared_a: Candidature
    suspended_a: Candidature
    draft_desk: Candidature
    shared_b: Candidature
    pending_member: object


@pytest.fixture
def profiles(network, make_user) -> Profiles:
    """Desk A: a shared and a suspended profile; A's draft desk: one (never
    shared: the desk is not public); desk B: a shared one. And a member of an
    administration that is not approved."""
    by = network.operator_a
    suspended = candidature(sportello=network.desk_a, by=by, reference_code="BRA-2")
    suspended.status = Candidature.Status.SUSPENDED
    suspended.save()
    pending_org = Organisation.objects.create(
        name="Comune in attesa",
        kind=Organisation.Kind.COMUNE,
        status=Organisation.Status.PENDING,
    )
    pending_member = make_user("attesa@example.org")
    Membership.objects.create(
        organisation=pending_org, user=pending_member, role=Membership.Role.REFERENTE
    )
    return Profiles(
        shared_a=candidature(sportello=network.desk_a, by=by),
        suspended_a=suspended,
        draft_desk=candidature(sportello=network.draft_a, by=by, reference_code="P-1"),
        shared_b=candidature(
            sportello=network.desk_b,
            by=network.operator_b,
            reference_code="FA-1",
            municipality=municipality("039010", "Faenza", "RA", "Ravenna", "08"),
            occupations=("5321",),
            skills=("assistenza anziani",),
            summary="OSS con esperienza in RSA.",
        ),
        pending_member=pending_member,
    )


def _login(client, network, profiles, actor: str):
    client.logout()
    if actor == "pending":
        client.force_login(profiles.pending_member)
    elif actor != "anonymous":
        client.force_login(getattr(network, actor))


def _url(network, profiles, name: str) -> str:
    slug_a, slug_draft = network.desk_a.slug, network.draft_a.slug
    pk_a = profiles.shared_a.pk
    return {
        "list_a": reverse("sportelli:candidatures", args=[slug_a]),
        "list_draft": reverse("sportelli:candidatures", args=[slug_draft]),
        "create_a": reverse("sportelli:candidature_create", args=[slug_a]),
        "edit_a": reverse("sportelli:candidature_edit", args=[slug_a, pk_a]),
        "edit_b_via_a": reverse(
            "sportelli:candidature_edit", args=[slug_a, profiles.shared_b.pk]
        ),
        "withdraw_a": reverse("sportelli:candidature_withdraw", args=[slug_a, pk_a]),
        "views_a": reverse("sportelli:candidature_views", args=[slug_a]),
        "renew_get": reverse("sportelli:candidature_renew", args=[slug_a, pk_a]),
        "status_get": reverse("sportelli:candidature_status", args=[slug_a, pk_a]),
        "network": reverse("sportelli:network_candidatures"),
        "profile_a": reverse("sportelli:candidature", args=[pk_a]),
        "profile_b": reverse("sportelli:candidature", args=[profiles.shared_b.pk]),
        "profile_suspended_a": reverse(
            "sportelli:candidature", args=[profiles.suspended_a.pk]
        ),
        "profile_draft_desk": reverse(
            "sportelli:candidature", args=[profiles.draft_desk.pk]
        ),
        "profile_missing": reverse("sportelli:candidature", args=[999999]),
    }[name]


# page -> expected status per actor, in the order of ACTORS
MATRIX = {
    "list_a": [FOUND, OK, OK, FORBIDDEN, OK, FORBIDDEN],
    "list_draft": [FOUND, OK, OK, NOT_FOUND, OK, NOT_FOUND],
    "create_a": [FOUND, OK, OK, FORBIDDEN, OK, FORBIDDEN],
    "edit_a": [FOUND, OK, OK, FORBIDDEN, OK, FORBIDDEN],
    "edit_b_via_a": [FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN],
    "withdraw_a": [FOUND, OK, OK, FORBIDDEN, OK, FORBIDDEN],
    "views_a": [FOUND, OK, OK, FORBIDDEN, OK, FORBIDDEN],
    "renew_get": [FOUND] + [NOT_ALLOWED] * 5,
    "status_get": [FOUND] + [NOT_ALLOWED] * 5,
    "network": [FOUND, OK, OK, OK, OK, FORBIDDEN],
    "profile_a": [FOUND, OK, OK, OK, OK, FORBIDDEN],
    "profile_b": [FOUND, OK, OK, OK, OK, FORBIDDEN],
    "profile_suspended_a": [FOUND, OK, OK, NOT_FOUND, OK, FORBIDDEN],
    "profile_draft_desk": [FOUND, OK, OK, NOT_FOUND, OK, FORBIDDEN],
    "profile_missing": [FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN],
}


@pytest.mark.parametrize("page", list(MATRIX))
def test_access_matrix(client, network, profiles, page):
    url = _url(network, profiles, page)
    got = []
    for actor in ACTORS:
        _login(client, network, profiles, actor)
        response = client.get(url)
        got.append(response.status_code)
        if actor == "anonymous":
            assert response["Location"].startswith(reverse("account_login"))
    assert got == MATRIX[page], dict(zip(ACTORS, got, strict=True))


# POST actions: status per actor, and whether the change happened.
POST_ACTORS = [
    ("anonymous", FOUND, False),
    ("operator_a", FOUND, True),
    ("manager_a", FOUND, True),
    ("operator_b", FORBIDDEN, False),
    ("staff", FOUND, True),
    ("pending", FORBIDDEN, False),
]


@pytest.mark.parametrize(("actor", "expected", "done"), POST_ACTORS)
def test_renewing(client, network, profiles, settings, actor, expected, done):
    item = profiles.shared_a
    Candidature.objects.filter(pk=item.pk).update(
        expires_on=TODAY + datetime.timedelta(days=5)
    )
    settings.SPORTELLI_CANDIDATURE_RETENTION_DAYS = 180
    _login(client, network, profiles, actor)
    url = reverse("sportelli:candidature_renew", args=[network.desk_a.slug, item.pk])
    assert client.post(url).status_code == expected
    item.refresh_from_db()
    renewed = TODAY + datetime.timedelta(days=180)
    assert (item.expires_on == renewed) == done


@pytest.mark.parametrize(("actor", "expected", "done"), POST_ACTORS)
def test_suspending(client, network, profiles, actor, expected, done):
    item = profiles.shared_a
    _login(client, network, profiles, actor)
    url = reverse("sportelli:candidature_status", args=[network.desk_a.slug, item.pk])
    assert client.post(url, {"status": "suspended"}).status_code == expected
    item.refresh_from_db()
    assert (item.status == "suspended") == done


@pytest.mark.parametrize(("actor", "expected", "done"), POST_ACTORS)
def test_withdrawing_consent(client, network, profiles, actor, expected, done):
    item = profiles.shared_a
    _login(client, network, profiles, actor)
    url = reverse("sportelli:candidature_withdraw", args=[network.desk_a.slug, item.pk])
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == expected
    assert Candidature.objects.filter(pk=item.pk).exists() != done
    consent = SharingConsent.objects.get(reference_code="BRA-2026-0001")
    assert (consent.ended_reason == "withdrawn") == done
    if done:
        assert response["Location"] == reverse(
            "sportelli:candidatures", args=[network.desk_a.slug]
        )


def test_withdrawal_needs_the_confirmation(client, network, profiles):
    client.force_login(network.operator_a)
    url = reverse(
        "sportelli:candidature_withdraw",
        args=[network.desk_a.slug, profiles.shared_a.pk],
    )
    response = client.post(url, {})
    assert response.status_code == OK
    assert b'data-testid="form-errors-summary"' in response.content
    assert Candidature.objects.filter(pk=profiles.shared_a.pk).exists()


# --- What the network sees --------------------------------------------------------


def _network_codes(client, query="") -> list[str]:
    response = client.get(reverse("sportelli:network_candidatures") + query)
    assert response.status_code == OK
    return sorted(
        candidature.reference_code
        for candidature, _occupations in response.context["rows"]
    )


def test_the_network_sees_shared_profiles_only(client, network, profiles):
    client.force_login(network.operator_b)
    assert _network_codes(client) == ["BRA-2026-0001", "FA-1"]

    # The deletion day, a consent that ended, a desk no longer public: hidden.
    Candidature.objects.filter(pk=profiles.shared_b.pk).update(expires_on=TODAY)
    assert _network_codes(client) == ["BRA-2026-0001"]
    SharingConsent.objects.filter(candidature=profiles.shared_a).update(
        ended_reason="replaced"
    )
    assert _network_codes(client) == []
    SharingConsent.objects.filter(candidature=profiles.shared_a).update(ended_reason="")
    network.desk_a.status = "suspended"
    network.desk_a.save()
    client.force_login(network.staff)
    assert _network_codes(client) == []
    assert (
        client.get(
            reverse("sportelli:candidature", args=[profiles.shared_a.pk])
        ).status_code
        == OK  # staff manage every desk
    )
    client.force_login(network.operator_b)
    assert (
        client.get(
            reverse("sportelli:candidature", args=[profiles.shared_a.pk])
        ).status_code
        == NOT_FOUND
    )


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("?isco=5", ["BRA-2026-0001", "FA-1"]),
        ("?isco=9", ["BRA-2026-0001"]),
        ("?isco=532", ["FA-1"]),
        ("?region=08", ["FA-1"]),
        ("?province=CN", ["BRA-2026-0001"]),
        ("?education=qualifica", ["BRA-2026-0001", "FA-1"]),
        ("?education=laurea", []),
        ("?availability=3m", []),
        ("?availability=subito&region=01", ["BRA-2026-0001"]),
        ("?isco=x&education=nonsense", ["BRA-2026-0001", "FA-1"]),
    ],
)
def test_network_filters(client, network, profiles, query, codes):
    client.force_login(network.operator_b)
    assert _network_codes(client, query) == codes


def test_the_profile_page_shows_the_pseudonymous_profile_only(
    client, network, profiles
):
    client.force_login(network.operator_b)
    response = client.get(reverse("sportelli:candidature", args=[profiles.shared_a.pk]))
    html = response.content.decode()
    assert "BRA-2026-0001" in html
    assert "ISCO-08 5120" in html
    assert "HACCP" in html
    assert network.desk_a.name in html
    # Nobody of desk A is named: not who created it, not who recorded consent.
    for person in (network.operator_a, network.manager_a, network.referente):
        assert person.email not in html
        assert person.first_name not in html
    assert 'data-testid="own-profile"' not in html
    assert "/edit/" not in html


def test_views_by_other_desks_and_staff_are_logged(client, network, profiles):
    url = reverse("sportelli:candidature", args=[profiles.shared_a.pk])
    for actor in ("operator_a", "manager_a", "operator_b", "operator_b", "staff"):
        _login(client, network, profiles, actor)
        assert client.get(url).status_code == OK
    views = ProfileView.objects.order_by("pk")
    assert [(view.viewer, view.viewer_sportello) for view in views] == [
        (network.operator_b, network.desk_b),
        (network.staff, None),
    ]
    assert all(view.owner_sportello == network.desk_a for view in views)

    client.force_login(network.manager_a)
    response = client.get(
        reverse("sportelli:candidature_views", args=[network.desk_a.slug])
    )
    html = response.content.decode()
    assert html.count('data-testid="profile-view"') == 2
    assert network.desk_b.name in html


def test_the_view_log_of_a_desk_shows_its_own_profiles_only(client, network, profiles):
    client.force_login(network.operator_a)
    client.get(reverse("sportelli:candidature", args=[profiles.shared_b.pk]))
    assert ProfileView.objects.get().owner_sportello == network.desk_b
    response = client.get(
        reverse("sportelli:candidature_views", args=[network.desk_a.slug])
    )
    assert b'data-testid="profile-view"' not in response.content
    client.force_login(network.operator_b)
    response = client.get(
        reverse("sportelli:candidature_views", args=[network.desk_b.slug])
    )
    assert response.content.decode().count('data-testid="profile-view"') == 1
