import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.accounts.models import Membership, Organisation
from sportelli import permissions, services
from sportelli.models import (
    Agreement,
    DeskRole,
    OpeningHours,
    ServiceCharter,
    Sportello,
)
from sportelli.services import HoursRow

from .conftest import T, desk, details, organisation, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return organisation()


@pytest.fixture
def referente(org, make_user):
    user = make_user("referente@bra.example")
    Membership.objects.create(
        organisation=org, user=user, role=Membership.Role.REFERENTE
    )
    return user


def test_referente_activates_a_draft_desk_with_hours_and_services(org, referente):
    sportello = services.sportello_create(
        organisation=org, by=referente, details=details()
    )

    assert sportello.status == Sportello.Status.DRAFT
    assert sportello.slug == "sportello-lavoro-di-bra"
    assert sorted(sportello.services.values_list("service", flat=True)) == [
        "accoglienza",
        "orientamento",
    ]
    assert sportello.opening_hours.filter(weekday=0).count() == 2
    assert not sportello.is_public


def test_slugs_are_unique_and_avoid_the_directory_own_paths(org, referente):
    first = desk(org=org, by=referente)
    second = desk(org=org, by=referente)
    reserved = desk(org=org, by=referente, name="Gestione")

    assert first.slug != second.slug
    assert second.slug == "sportello-lavoro-di-bra-2"
    assert reserved.slug == "gestione-bra"


def test_only_an_approved_administration_activates_desks(referente, org):
    org.status = Organisation.Status.PENDING
    org.save()

    with pytest.raises(ValidationError):
        services.sportello_create(organisation=org, by=referente, details=details())
    assert not Sportello.objects.exists()


def test_a_plain_member_cannot_activate_a_desk(org, make_user):
    member = make_user("operatore@bra.example")
    Membership.objects.create(organisation=org, user=member)

    with pytest.raises(PermissionDenied):
        services.sportello_create(organisation=org, by=member, details=details())


def test_bad_input_gives_a_message_per_field_and_saves_nothing(org, referente):
    bad = details(
        postcode="123",
        latitude=Decimal("95"),
        longitude=Decimal("200"),
        phone="chiamare in orario d'ufficio",
        email="non-una-mail",
        pec="neanche",
        name="",
        services=("accoglienza", "massaggi"),
        hours=(
            HoursRow(1, T(12), T(9)),
            HoursRow(2, T(9), T(12)),
            HoursRow(2, T(11), T(13)),
        ),
    )

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.sportello_create(organisation=org, by=referente, details=bad)

    errors = caught.value.message_dict
    assert set(errors) >= {
        "name",
        "postcode",
        "latitude",
        "longitude",
        "phone",
        "email",
        "pec",
        "services",
        "hours",
    }
    assert errors["postcode"] == ["Enter a postcode of five digits (CAP)."]
    assert any("later than the opening time" in message for message in errors["hours"])
    assert any("overlap" in message for message in errors["hours"])
    assert not Sportello.objects.exists()
    assert not OpeningHours.objects.exists()


def test_coordinates_come_in_pairs(org, referente):
    with pytest.raises(ValidationError) as caught:
        services.sportello_create(
            organisation=org, by=referente, details=details(longitude=None)
        )
    assert "longitude" in caught.value.message_dict


def test_a_refused_update_keeps_the_desk_as_it_was(org, referente):
    sportello = desk(org=org, by=referente)

    with pytest.raises(ValidationError):
        services.sportello_update(
            sportello=sportello,
            by=referente,
            details=details(
                name="Nuovo nome",
                services=("tirocini",),
                hours=(HoursRow(3, T(18), T(8)),),
            ),
        )

    sportello.refresh_from_db()
    assert sportello.name == "Sportello Lavoro di Bra"
    assert sportello.opening_hours.count() == 3
    assert set(sportello.services.values_list("service", flat=True)) == {
        "accoglienza",
        "orientamento",
    }


def test_a_desk_of_a_suspended_administration_cannot_be_made_active(org, referente):
    sportello = desk(org=org, by=referente, status=Sportello.Status.DRAFT)
    Organisation.objects.filter(pk=org.pk).update(status=Organisation.Status.SUSPENDED)
    sportello.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.sportello_set_status(
            sportello=sportello, by=referente, status=Sportello.Status.ACTIVE
        )
    assert "status" in caught.value.message_dict
    sportello.refresh_from_db()
    assert sportello.status == Sportello.Status.DRAFT


def test_roles_only_for_members_and_only_by_the_referente(org, referente, make_user):
    sportello = desk(org=org, by=referente)
    member = make_user("operatore@bra.example")
    Membership.objects.create(organisation=org, user=member)
    outsider = make_user("esterno@altrove.example")

    with pytest.raises(ValidationError) as caught:
        services.desk_role_assign(
            sportello=sportello, user=outsider, role="operator", by=referente
        )
    assert "user" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.desk_role_assign(
            sportello=sportello, user=member, role="capo", by=referente
        )
    assert "role" in caught.value.message_dict

    role = services.desk_role_assign(
        sportello=sportello, user=member, role="manager", by=referente
    )
    assert permissions.desk_access(member, sportello).edit
    assert not permissions.desk_access(member, sportello).manage_roles
    with pytest.raises(PermissionDenied):
        services.desk_role_assign(
            sportello=sportello, user=member, role="operator", by=member
        )
    services.desk_role_remove(desk_role=role, by=referente)
    assert not DeskRole.objects.exists()
    assert not permissions.desk_access(member, sportello).view


def test_leaving_the_administration_ends_desk_rights(org, referente, make_user):
    sportello = desk(org=org, by=referente)
    member = make_user("operatore@bra.example")
    membership = Membership.objects.create(organisation=org, user=member)
    services.desk_role_assign(
        sportello=sportello, user=member, role="manager", by=referente
    )

    membership.delete()

    assert permissions.desk_access(member, sportello) == permissions.DeskAccess()
    assert not DeskRole.objects.filter(user=member).exists()


def test_charter_versions_are_pdfs_checked_by_content(org, referente):
    sportello = desk(org=org, by=referente)
    fake = SimpleUploadedFile("carta.pdf", b"<html>not a pdf</html>", "application/pdf")

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.charter_upload(
            sportello=sportello,
            by=referente,
            version="",
            file=fake,
            valid_from=None,
        )
    errors = caught.value.message_dict
    assert errors["file"] == ["The file is not a PDF document."]
    assert {"version", "valid_from"} <= set(errors)

    charter = services.charter_upload(
        sportello=sportello,
        by=referente,
        version="1.0",
        file=pdf_upload("Carta dei servizi (2013).pdf"),
        valid_from=datetime.date(2013, 4, 1),
    )
    assert charter.filename == "Carta_dei_servizi_2013.pdf"
    assert charter.file.read().startswith(b"%PDF-")
    with pytest.raises(ValidationError) as caught:
        services.charter_upload(
            sportello=sportello,
            by=referente,
            version="1.0",
            file=pdf_upload(),
            valid_from=datetime.date(2014, 1, 1),
        )
    assert "version" in caught.value.message_dict
    assert ServiceCharter.objects.count() == 1


def test_agreement_dates_are_checked(org, referente):
    sportello = desk(org=org, by=referente)

    with pytest.raises(ValidationError) as caught:
        services.agreement_add(
            sportello=sportello,
            by=referente,
            partner_name="CPI di Alba-Bra",
            kind="cpi",
            signed_on=datetime.date(2013, 3, 1),
            valid_until=datetime.date(2012, 1, 1),
        )
    assert "valid_until" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.agreement_add(
            sportello=sportello,
            by=referente,
            partner_name="",
            kind="sindacato",
            signed_on=None,
        )
    assert {"partner_name", "kind", "signed_on"} <= set(caught.value.message_dict)
    assert not Agreement.objects.exists()

    agreement = services.agreement_add(
        sportello=sportello,
        by=referente,
        partner_name="CPI di Alba-Bra",
        kind="cpi",
        signed_on=datetime.date(2013, 3, 1),
    )
    assert not agreement.file
    assert agreement.is_in_force(datetime.date(2020, 1, 1))


def test_operators_cannot_upload_documents(org, referente, make_user):
    sportello = desk(org=org, by=referente)
    member = make_user("operatore@bra.example")
    Membership.objects.create(organisation=org, user=member)
    services.desk_role_assign(
        sportello=sportello, user=member, role="operator", by=referente
    )

    with pytest.raises(PermissionDenied):
        services.charter_upload(
            sportello=sportello,
            by=member,
            version="1.0",
            file=pdf_upload(),
            valid_from=datetime.date(2013, 1, 1),
        )
