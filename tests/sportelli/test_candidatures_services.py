"""Candidature services: per-field validation (privacy guard included), nothing
half-saved, consent with every profile, deletion on withdrawal and expiry, the
view log. The helpers at the top are shared by the other candidature tests."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from portal.forbidden import Forbidden
from sportelli.models import (
    Candidature,
    CandidatureOccupation,
    Municipality,
    ProfileView,
    SharingConsent,
)
from sportelli.services.candidatures import (
    CandidatureDetails,
    candidature_create,
    candidature_delete_expired,
    candidature_renew,
    candidature_set_status,
    candidature_update,
    consent_withdraw,
    privacy_errors,
    profile_view_record,
)

from .conftest import municipality

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def candidature_details(**overrides) -> CandidatureDetails:
    values = {
        "reference_code": "BRA-2026-0001",
        "municipality": municipality(),
        "occupations": ("5120", "9412"),
        "mobility": "km",
        "mobility_km": 30,
        "availability": "subito",
        "working_time": "full",
        "education_level": "qualifica",
        "languages": (("it", "C2"), ("en", "A2")),
        "driving_licence": "B",
        "experience_years": 4,
        "skills": ("HACCP", "cucina piemontese", "gestione ordini"),
        "summary": "Cuoco con esperienza in trattorie e mense aziendali.",
    }
    values.update(overrides)
    return CandidatureDetails(**values)


def candidature(
    *, sportello, by, scope="proposals", given_on=None, **overrides
) -> Candidature:
    return candidature_create(
        sportello=sportello,
        by=by,
        details=candidature_details(**overrides),
        consent_scope=scope,
        consent_given_on=given_on or TODAY - datetime.timedelta(days=2),
    )


def faenza() -> Municipality:
    return Municipality.objects.get(istat_code="039010")


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Create --------------------------------------------------------------------


def test_a_profile_is_created_with_its_consent(network, settings):
    settings.SPORTELLI_CANDIDATURE_RETENTION_DAYS = 90
    item = candidature(sportello=network.desk_a, by=network.operator_a)

    assert item.status == Candidature.Status.ACTIVE
    assert item.expires_on == TODAY + datetime.timedelta(days=90)
    assert item.languages == [
        {"language": "it", "level": "C2"},
        {"language": "en", "level": "A2"},
    ]
    assert item.skills == ["HACCP", "cucina piemontese", "gestione ordini"]
    assert sorted(
        item.occupations.values_list("isco_code", "isco_minor", "isco_major")
    ) == [("5120", "512", "5"), ("9412", "941", "9")]
    consent = SharingConsent.objects.get(candidature=item)
    assert consent.sportello == network.desk_a
    assert consent.reference_code == "BRA-2026-0001"
    assert consent.scope == "proposals"
    assert consent.recorded_by == network.operator_a
    assert consent.is_active


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"occupations": ()}, "occupations", "at least one"),
        ({"occupations": ("5120", "9999")}, "occupations", "9999 is not an ISCO"),
        ({"occupations": ("512",)}, "occupations", "512 is not an ISCO"),
        (
            {"occupations": ("5120", "5131", "5132", "9412", "9112", "4321")},
            "occupations",
            "at most 5",
        ),
        ({"occupations": ("5120", "5120")}, "occupations", "listed twice"),
        ({"skills": tuple(f"skill {n}" for n in range(21))}, "skills", "at most 20"),
        ({"skills": ("x" * 41,)}, "skills", "at most 40 characters"),
        ({"mobility": "km", "mobility_km": None}, "mobility_km", "distance in km"),
        ({"mobility": "provincia", "mobility_km": 20}, "mobility_km", "only when"),
        ({"mobility_km": 900}, "mobility_km", "500"),
        ({"languages": (("xx", "B1"),)}, "languages", "from the lists"),
        ({"languages": (("en", "B1"), ("en", "C1"))}, "languages", "listed once"),
        ({"reference_code": ""}, "reference_code", "blank"),
        ({"municipality": None}, "municipality", "null"),
        ({"reference_code": "RSSMRA85T10A562S"}, "reference_code", "fiscal code"),
        ({"reference_code": "mario.rossi@mail.it"}, "reference_code", "email"),
        ({"summary": "Chiamare il 333 1234567"}, "summary", "phone number"),
        ({"summary": "CF rssmra85t10a562s"}, "summary", "fiscal code"),
        ({"skills": ("Excel", "tel. 0172 000101")}, "skills", "phone number"),
        ({"summary": "x" * 1001}, "summary", "1000"),
        ({"education_level": "phd"}, "education_level", "not a valid choice"),
        ({"availability": "mai"}, "availability", "not a valid choice"),
    ],
)
def test_create_refuses_bad_input_per_field(network, overrides, field, fragment):
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            candidature(sportello=network.desk_a, by=network.operator_a, **overrides)
        messages = " ".join(_errors(excinfo)[field])
    assert fragment in messages
    assert not Candidature.objects.exists()
    assert not SharingConsent.objects.exists()


def test_the_privacy_guard_says_why(network):
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            candidature(
                sportello=network.desk_a,
                by=network.operator_a,
                reference_code="RSSMRA85T10A562S",
            )
        message = _errors(excinfo)["reference_code"][0]
    assert "SILLA" in message
    assert "pseudonymous" in message


@pytest.mark.parametrize(
    "text",
    [
        "BRA-2026-0042",
        "SL-2026-000123",
        "CAND-00001234",
        "Excel 2016, 300 ore",
        "dal 2019 al 2023",
        "1.500 pezzi/ora",
        "12/03/2019",
    ],
)
def test_the_privacy_guard_lets_codes_and_figures_through(text):
    assert privacy_errors(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "+39 333 1234567",
        "3331234567",
        "06 12345678",
        "0039 02 1234567",
        "cell. 347-1234567",
        "scrivere a a.b@c.it",
        "RSSMRA85T10A562S",
    ],
)
def test_the_privacy_guard_catches_contacts(text):
    assert privacy_errors(text)


def test_the_consent_is_required_and_not_in_the_future(network):
    with pytest.raises(ValidationError) as excinfo:
        candidature_create(
            sportello=network.desk_a,
            by=network.operator_a,
            details=candidature_details(),
            consent_scope="everything",
            consent_given_on=TODAY + datetime.timedelta(days=1),
        )
    assert set(_errors(excinfo)) == {"consent_scope", "consent_given_on"}
    with pytest.raises(ValidationError) as excinfo:
        candidature_create(
            sportello=network.desk_a,
            by=network.operator_a,
            details=candidature_details(),
            consent_scope="network",
            consent_given_on=None,
        )
    assert set(_errors(excinfo)) == {"consent_given_on"}
    assert not Candidature.objects.exists()
    assert not SharingConsent.objects.exists()


def test_all_errors_are_reported_at_once(network):
    with pytest.raises(ValidationError) as excinfo:
        candidature_create(
            sportello=network.desk_a,
            by=network.operator_a,
            details=candidature_details(
                occupations=("0000",), mobility_km=None, summary="a@b.it"
            ),
            consent_scope="",
            consent_given_on=None,
        )
    assert set(_errors(excinfo)) == {
        "occupations",
        "mobility_km",
        "summary",
        "consent_scope",
        "consent_given_on",
    }


def test_reference_code_and_external_id_are_unique_per_desk(network):
    candidature(sportello=network.desk_a, by=network.operator_a, external_id="S-1")
    with pytest.raises(ValidationError) as excinfo:
        candidature(sportello=network.desk_a, by=network.operator_a, external_id="S-1")
    assert set(_errors(excinfo)) == {"reference_code", "external_id"}
    # Another desk may use the same codes.
    candidature(sportello=network.desk_b, by=network.operator_b, external_id="S-1")
    assert Candidature.objects.count() == 2
    assert SharingConsent.objects.count() == 2


def test_skills_are_trimmed_and_deduplicated(network):
    item = candidature(
        sportello=network.desk_a,
        by=network.operator_a,
        skills=("  Excel ", "excel", "", "patentino   muletto"),
    )
    assert item.skills == ["Excel", "patentino muletto"]


@pytest.mark.parametrize("who", ["operator_a", "manager_a", "referente", "staff"])
def test_the_desk_people_and_staff_create(network, who):
    candidature(sportello=network.desk_a, by=getattr(network, who))
    assert Candidature.objects.count() == 1


def test_other_desks_and_strangers_cannot_write(network, make_user):
    stranger = make_user("stranger@example.org")
    for user in (network.operator_b, stranger):
        with pytest.raises(Forbidden):
            candidature(sportello=network.desk_a, by=user)
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    for action in (
        lambda: candidature_update(
            candidature=item, by=network.operator_b, details=candidature_details()
        ),
        lambda: candidature_renew(candidature=item, by=network.operator_b),
        lambda: candidature_set_status(
            candidature=item, by=network.operator_b, status="suspended"
        ),
        lambda: consent_withdraw(candidature=item, by=network.operator_b),
    ):
        with pytest.raises(Forbidden):
            action()
    assert Candidature.objects.filter(pk=item.pk).exists()


# --- Update, renew, status ------------------------------------------------------


def test_update_changes_the_profile_and_its_occupations(network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    updated = candidature_update(
        candidature=item,
        by=network.manager_a,
        details=candidature_details(
            reference_code="BRA-2026-0099",
            occupations=("5120", "5131"),
            mobility="regione",
            mobility_km=None,
            municipality=faenza(),
        ),
    )
    assert updated.reference_code == "BRA-2026-0099"
    assert updated.updated_by == network.manager_a
    assert sorted(updated.occupations.values_list("isco_code", flat=True)) == [
        "5120",
        "5131",
    ]
    assert SharingConsent.objects.get().reference_code == "BRA-2026-0099"


def test_a_refused_update_changes_nothing(network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    with pytest.raises(ValidationError):
        candidature_update(
            candidature=item,
            by=network.operator_a,
            details=candidature_details(
                reference_code="BRA-9", occupations=("5120", "9999")
            ),
        )
    item.refresh_from_db()
    assert item.reference_code == "BRA-2026-0001"
    assert CandidatureOccupation.objects.filter(candidature=item).count() == 2


def test_renew_moves_the_deletion_day(network, settings):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    Candidature.objects.filter(pk=item.pk).update(
        expires_on=TODAY + datetime.timedelta(days=3)
    )
    settings.SPORTELLI_CANDIDATURE_RETENTION_DAYS = 200
    renewed = candidature_renew(candidature=item, by=network.operator_a)
    assert renewed.expires_on == TODAY + datetime.timedelta(days=200)


def test_sharing_can_be_suspended_and_resumed(network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    item = candidature_set_status(
        candidature=item, by=network.operator_a, status="suspended"
    )
    assert item.status == Candidature.Status.SUSPENDED
    item = candidature_set_status(
        candidature=item, by=network.operator_a, status="active"
    )
    assert item.status == Candidature.Status.ACTIVE
    with pytest.raises(ValidationError):
        candidature_set_status(candidature=item, by=network.operator_a, status="x")


# --- Withdrawal and expiry: deleted, not hidden ---------------------------------


def test_withdrawing_consent_deletes_the_profile(network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    profile_view_record(candidature=item, viewer=network.operator_b)
    pk = item.pk

    consent = consent_withdraw(candidature=item, by=network.manager_a)

    assert not Candidature.objects.filter(pk=pk).exists()
    assert not CandidatureOccupation.objects.filter(candidature_id=pk).exists()
    consent.refresh_from_db()
    assert consent.candidature is None
    assert consent.reference_code == "BRA-2026-0001"
    assert consent.ended_reason == "withdrawn"
    assert consent.withdrawn_by == network.manager_a
    assert consent.withdrawn_at is not None
    assert not consent.is_active
    view = ProfileView.objects.get()
    assert view.candidature is None
    assert view.reference_code == "BRA-2026-0001"


def test_expired_profiles_are_deleted_and_consents_kept(network):
    due = candidature(sportello=network.desk_a, by=network.operator_a)
    today_due = candidature(
        sportello=network.desk_b, by=network.operator_b, reference_code="FA-1"
    )
    alive = candidature(
        sportello=network.desk_a, by=network.operator_a, reference_code="BRA-2"
    )
    Candidature.objects.filter(pk=due.pk).update(
        expires_on=TODAY - datetime.timedelta(days=1)
    )
    Candidature.objects.filter(pk=today_due.pk).update(expires_on=TODAY)

    assert candidature_delete_expired(today=TODAY) == 2

    assert list(Candidature.objects.values_list("pk", flat=True)) == [alive.pk]
    assert not CandidatureOccupation.objects.filter(
        candidature_id__in=[due.pk, today_due.pk]
    ).exists()
    ended = SharingConsent.objects.filter(ended_reason="expired")
    assert sorted(ended.values_list("reference_code", flat=True)) == [
        "BRA-2026-0001",
        "FA-1",
    ]
    assert all(consent.candidature_id is None for consent in ended)
    assert SharingConsent.objects.get(reference_code="BRA-2").is_active
    assert candidature_delete_expired(today=TODAY) == 0


def test_the_daily_command_deletes_expired_profiles(network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    Candidature.objects.filter(pk=item.pk).update(
        expires_on=TODAY - datetime.timedelta(days=1)
    )
    out = io.StringIO()
    call_command("sportelli_delete_expired_candidatures", stdout=out)
    assert "1" in out.getvalue()
    assert not Candidature.objects.exists()
    assert SharingConsent.objects.get().ended_reason == "expired"


# --- View log -------------------------------------------------------------------


def test_views_by_other_desks_and_staff_are_logged_once_an_hour(network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    now = timezone.now()

    assert profile_view_record(candidature=item, viewer=network.operator_a) is None
    assert profile_view_record(candidature=item, viewer=network.referente) is None
    first = profile_view_record(candidature=item, viewer=network.operator_b, now=now)
    assert first.owner_sportello == network.desk_a
    assert first.viewer_sportello == network.desk_b
    assert first.reference_code == "BRA-2026-0001"
    assert (
        profile_view_record(
            candidature=item,
            viewer=network.operator_b,
            now=now + datetime.timedelta(minutes=30),
        )
        is None
    )
    assert profile_view_record(
        candidature=item,
        viewer=network.operator_b,
        now=now + datetime.timedelta(minutes=61),
    )
    staff_view = profile_view_record(candidature=item, viewer=network.staff)
    assert staff_view.viewer_sportello is None
    assert ProfileView.objects.count() == 3
