"""publiccode.yml for the national catalogue: the standard's vocabularies, absolute
addresses on PORTAL_BASE_URL, a maintenance contact, and admin checks."""

import datetime
import io
import json
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from jsonschema import Draft202012Validator
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kit_downloads import demo, openpgp, vocabulary
from kit_downloads.models import KitProductPage, KitReleasePage, ReleaseFile
from kit_downloads.publiccode import publiccode_data, publiccode_missing
from portal.models import SectionPage

from .conftest import _home

pytestmark = pytest.mark.django_db

BASE = "https://portale.lavoro.example.gov.it"


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_BASE_URL = BASE


def validate(data: dict) -> list[str]:
    validator = Draft202012Validator(
        vocabulary.schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, error.path))}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def with_contact(product: KitProductPage) -> KitProductPage:
    product.maintenance_contact_name = "Ufficio SILLA – assistenza tecnica"
    product.maintenance_contact_email = "assistenza-silla@example.org"
    product.maintenance_contact_affiliation = "Programma SILLA"
    product.categories = "applicant-tracking, appointment-scheduling"
    product.scope = "employment, local-authorities"
    product.description = (
        "<p>Il kit SILLA mette a disposizione delle amministrazioni le applicazioni "
        "degli Sportelli Lavoro: gestione delle candidature, delle offerte di "
        "lavoro e degli appuntamenti, in raccordo con i Centri per l'Impiego.</p>"
    )
    product.save_revision().publish()
    return KitProductPage.objects.get(pk=product.pk)


def test_the_schema_ships_the_standard_vocabularies():
    Draft202012Validator.check_schema(vocabulary.schema())
    categories = vocabulary.vocabulary("category")
    assert len(categories) == 105
    assert {"applicant-tracking", "hr", "document-management"} <= set(categories)
    assert "employment-management" not in categories
    assert {"employment", "local-authorities", "welfare"} <= set(
        vocabulary.vocabulary("scope")
    )
    assert vocabulary.vocabulary("developmentStatus") == [
        "concept",
        "development",
        "beta",
        "stable",
        "obsolete",
    ]
    assert "standalone/web" in vocabulary.vocabulary("softwareType")
    assert vocabulary.vocabulary("maintenanceType") == [
        "internal",
        "contract",
        "community",
        "none",
    ]
    # The model's choices are the standard's values.
    assert {value for value, _label in KitProductPage.SoftwareType.choices} == set(
        vocabulary.vocabulary("softwareType")
    )
    assert {value for value, _label in KitProductPage.Maintenance.choices} == set(
        vocabulary.vocabulary("maintenanceType")
    )


def test_publiccode_validates_against_the_schema(kit):
    product = with_contact(kit.product)
    data = publiccode_data(product=product)
    assert validate(data) == []
    assert publiccode_missing(data) == []
    assert data["publiccodeYmlVersion"] == "0.4.0"
    assert data["categories"] == ["applicant-tracking", "appointment-scheduling"]
    assert data["intendedAudience"] == {"scope": ["employment", "local-authorities"]}
    assert data["platforms"] == ["web", "linux"]
    assert data["softwareType"] == "standalone/web"
    assert data["developmentStatus"] == "stable"  # newest release is a beta,
    # but a final exists: the newest of all decides only without a final.
    assert data["softwareVersion"] == "1.10.0"
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"] == {
        "type": "internal",
        "contacts": [
            {
                "name": "Ufficio SILLA – assistenza tecnica",
                "email": "assistenza-silla@example.org",
                "affiliation": "Programma SILLA",
            }
        ],
    }
    assert data["it"]["riuso"] == {"codiceIPA": "m_lps"}


def test_every_address_is_absolute_on_the_portal(kit, client):
    product = with_contact(kit.product)
    data = publiccode_data(product=product)
    assert data["landingURL"] == f"{BASE}/kit/silla/"
    assert data["description"]["it"]["documentation"] == f"{BASE}/kit/silla/"
    response = client.get(
        reverse("kit_downloads:publiccode", args=[product.pk]),
        HTTP_HOST="localhost",
    )
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "localhost" not in body and "127.0.0.1" not in body
    assert f'landingURL: "{BASE}/kit/silla/"' in body


def test_documentation_address_and_obsolete_status_are_editable(kit):
    product = with_contact(kit.product)
    product.documentation_url = "https://docs.example.org/silla/"
    product.development_status = KitProductPage.DevelopmentStatus.OBSOLETE
    product.save_revision().publish()
    data = publiccode_data(product=KitProductPage.objects.get(pk=product.pk))
    assert data["description"]["it"]["documentation"] == (
        "https://docs.example.org/silla/"
    )
    assert data["developmentStatus"] == "obsolete"
    assert validate(data) == []


def test_contract_maintenance_lists_the_contractor(kit):
    product = with_contact(kit.product)
    product.maintenance_type = KitProductPage.Maintenance.CONTRACT
    product.maintenance_contractor_name = "Fornitore Servizi Srl"
    product.maintenance_contract_until = datetime.date(2027, 12, 31)
    product.save_revision().publish()
    data = publiccode_data(product=KitProductPage.objects.get(pk=product.pk))
    assert data["maintenance"]["contractors"] == [
        {"name": "Fornitore Servizi Srl", "until": "2027-12-31"}
    ]
    assert validate(data) == []


def test_schema_catches_what_the_catalogue_would_refuse(kit):
    data = publiccode_data(product=with_contact(kit.product))
    data["categories"] = ["employment-management"]
    data["maintenance"] = {"type": "internal"}
    errors = validate(data)
    assert any(error.startswith("categories/0") for error in errors)
    assert any("contacts" in error for error in errors)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("categories", "employment-management"),
        ("categories", ""),
        ("platforms", "web, amiga"),
        ("scope", "employment, jobs"),
    ],
)
def test_model_refuses_values_outside_the_vocabulary(kit, field, value):
    product = kit.product
    setattr(product, field, value)
    with pytest.raises(ValidationError) as raised:
        product.full_clean()
    assert field in raised.value.message_dict


def _edit_data(product: KitProductPage, **changes) -> dict:
    fields = {
        "title": product.title,
        "slug": product.slug,
        "summary": product.summary,
        "description": rich_text(product.description),
        "components": streamfield([]),
        "requirements": rich_text(""),
        "install_guide": rich_text(""),
        "licence": product.licence,
        "repository_url": product.repository_url,
        "documentation_url": "",
        "platforms": product.platforms,
        "categories": "applicant-tracking",
        "scope": "employment",
        "software_type": "standalone/web",
        "development_status": "",
        "owner_organisation": product.owner_organisation_id,
        "maintenance_type": "internal",
        "maintenance_contact_name": "Ufficio SILLA – assistenza tecnica",
        "maintenance_contact_email": "",
        "maintenance_contact_affiliation": "",
        "maintenance_contractor_name": "",
        "maintenance_contract_until": "",
        "seo_title": "",
        "search_description": "",
    }
    fields.update(changes)
    return nested_form_data(fields)


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(email="admin@example.org", is_superuser=True)
    client.force_login(user)
    return client


def _errors(response) -> str:
    form = response.context["form"]
    return json.dumps(form.errors, ensure_ascii=False)


def test_admin_form_refuses_an_unknown_category_with_a_clear_message(kit, admin_client):
    url = reverse("wagtailadmin_pages:edit", args=[kit.product.pk])
    response = admin_client.post(
        url, _edit_data(kit.product, categories="employment-management")
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["categories"]] == ["publiccode_vocabulary"]
    # The message names the refused value and lists the allowed ones.
    message = str(response.context["form"].errors["categories"])
    assert "employment-management" in message and "applicant-tracking" in message
    kit.product.refresh_from_db()
    assert "employment-management" not in kit.product.categories


def test_admin_form_requires_the_maintenance_data_of_the_type(kit, admin_client):
    url = reverse("wagtailadmin_pages:edit", args=[kit.product.pk])
    response = admin_client.post(
        url, _edit_data(kit.product, maintenance_type="contract")
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert {"maintenance_contractor_name", "maintenance_contract_until"} <= set(errors)
    response = admin_client.post(
        url, _edit_data(kit.product, maintenance_contact_name="")
    )
    assert "maintenance_contact_name" in response.context["form"].errors


def test_admin_form_saves_valid_values(kit, admin_client):
    url = reverse("wagtailadmin_pages:edit", args=[kit.product.pk])
    response = admin_client.post(
        url, _edit_data(kit.product, categories="applicant-tracking, hr")
    )
    assert response.status_code == HTTPStatus.FOUND, _errors(response)
    kit.product.refresh_from_db()
    latest = kit.product.get_latest_revision_as_object()
    assert latest.categories == "applicant-tracking, hr"


def _demo_section():
    home = _home()
    section = SectionPage(title="Kit SILLA", slug="kit")
    home.add_child(instance=section)
    section.save_revision().publish()
    return home


def test_demo_product_passes_the_catalogue(db):
    home = _demo_section()
    demo.load(home=home, stdout=io.StringIO())
    product = KitProductPage.objects.get(slug="silla")
    data = publiccode_data(product=product)
    assert validate(data) == []
    assert publiccode_missing(data) == []
    contact = data["maintenance"]["contacts"][0]
    assert contact["name"] == "Ufficio SILLA – assistenza tecnica"
    assert contact["affiliation"]
    assert all(file.kind == "web-app-zip" for file in ReleaseFile.objects.all())
    assert ReleaseFile.objects.count() == KitReleasePage.objects.count() == 3


@pytest.mark.skipif(not openpgp.available(), reason="GnuPG is not installed")
def test_demo_signs_with_a_key_generated_at_load_time(db, client):
    home = _demo_section()
    out = io.StringIO()
    demo.load(home=home, stdout=out)
    files = list(ReleaseFile.objects.all())
    assert files and all(file.signature and file.signed_by for file in files)
    release = KitReleasePage.objects.get(version="1.1.0")
    response = client.get(
        reverse("kit_downloads:sha256sums_signature", args=[release.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert b"BEGIN PGP SIGNATURE" in response.content
    # Only the public key was stored.
    from kit_downloads.models import SigningKey

    key = SigningKey.objects.get()
    assert "PRIVATE" not in key.armored_key


def test_demo_without_gnupg_leaves_files_unsigned_and_says_so(db, client, monkeypatch):
    monkeypatch.setattr(openpgp, "gpg_binary", lambda: None)
    home = _demo_section()
    out = io.StringIO()
    demo.load(home=home, stdout=out)
    assert "unsigned" in out.getvalue()
    assert not ReleaseFile.objects.exclude(signature="").exists()
    release = KitReleasePage.objects.get(version="1.1.0")
    response = client.get(release.url)
    assert b'data-testid="unsigned-notice"' in response.content
    response = client.get(KitProductPage.objects.get(slug="silla").url)
    assert b'data-testid="no-signing-key"' in response.content
