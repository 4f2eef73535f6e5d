import pytest
from django.core.exceptions import ValidationError

from portal.accounts import selectors, services
from portal.accounts.models import Membership, Organisation
from portal.accounts.validators import (
    codice_fiscale_check_digit,
    validate_codice_fiscale_ente,
    validate_codice_ipa,
)


@pytest.mark.parametrize("value", ["80185250588", "00514490010", "97532760580"])
def test_valid_codice_fiscale_of_public_bodies(value):
    validate_codice_fiscale_ente(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("80185250587", "invalid_cf_check_digit"),
        ("8018525058", "invalid_cf_format"),
        ("RSSMRA80A01H501U", "invalid_cf_format"),
        ("8018525058A", "invalid_cf_format"),
    ],
)
def test_invalid_codice_fiscale_is_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_codice_fiscale_ente(value)
    assert error.value.code == code


def test_check_digit_rule():
    assert codice_fiscale_check_digit("8018525058") == 8


@pytest.mark.parametrize("value", ["c_h501", "p_mi", "m_lps", "ABC123"])
def test_valid_ipa_codes(value):
    validate_codice_ipa(value)


@pytest.mark.parametrize("value", ["", "x", "c h501", "c-h501", "a" * 21, "ç_h501"])
def test_malformed_ipa_codes(value):
    with pytest.raises(ValidationError):
        validate_codice_ipa(value)


@pytest.mark.django_db
def test_organisation_is_validated_before_it_is_saved():
    with pytest.raises(ValidationError) as error:
        services.organisation_get_or_create(
            name="Comune di Prova", kind="comune", codice_fiscale="80185250587"
        )
    assert "codice_fiscale" in error.value.message_dict
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_organisation_get_or_create_is_idempotent_on_ipa_code():
    first, created = services.organisation_get_or_create(
        name="Comune di Roma", kind="comune", codice_ipa="c_h501"
    )
    again, created_again = services.organisation_get_or_create(
        name="Roma Capitale", kind="comune", codice_ipa="c_h501"
    )

    assert created and not created_again
    assert first == again


@pytest.mark.django_db
def test_memberships_of_a_user_in_one_query(make_user, django_assert_num_queries):
    user = make_user()
    for index in range(3):
        organisation, _ = services.organisation_get_or_create(
            name=f"Ente {index}", kind="comune"
        )
        services.membership_set(
            organisation=organisation, user=user, role=Membership.Role.OPERATOR
        )

    with django_assert_num_queries(1):
        names = [
            m.organisation.name for m in selectors.membership_list_for_user(user=user)
        ]

    assert names == ["Ente 0", "Ente 1", "Ente 2"]


@pytest.mark.django_db
def test_membership_set_changes_the_role_without_duplicating(make_user):
    user = make_user()
    organisation, _ = services.organisation_get_or_create(name="Ente", kind="comune")

    services.membership_set(organisation=organisation, user=user, role="member")
    services.membership_set(organisation=organisation, user=user, role="referente")

    assert Membership.objects.get().role == "referente"
