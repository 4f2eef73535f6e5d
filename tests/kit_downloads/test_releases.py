"""Releases: latest link, announcements, security reminders, the administration's
page, the install base, the feed and publiccode.yml."""

import datetime
import json
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from kit_downloads import selectors, services
from kit_downloads.models import KitReleasePage
from kit_downloads.publiccode import publiccode_data, publiccode_missing
from kit_downloads.versions import semver_key
from portal.accounts.models import Membership

from .conftest import add_release, make_organisation

pytestmark = pytest.mark.django_db


def test_semver_ordering():
    versions = ["1.0.0", "1.10.0", "1.2.0", "2.0.0-beta.1", "2.0.0-rc.1", "2.0.0"]
    assert sorted(versions, key=semver_key) == [
        "1.0.0", "1.2.0", "1.10.0", "2.0.0-beta.1", "2.0.0-rc.1", "2.0.0",
    ]  # fmt: skip


def test_latest_is_the_newest_final_release(kit, client):
    assert selectors.release_latest_final(product=kit.product) == kit.final
    newer = add_release(kit.product, "1.11.0")
    response = client.get(kit.product.url + "latest/")
    assert response["Location"] == newer.url


def _referente(make_user, status, ipa):
    organisation = make_organisation(status, ipa)
    user = make_user(email=f"ref-{ipa}@example.org")
    Membership.objects.create(organisation=organisation, user=user, role="referente")
    return organisation, user


def test_publishing_a_release_emails_referenti_of_approved_once(
    kit, make_user, django_capture_on_commit_callbacks
):
    _referente(make_user, "approved", "c_uno")
    _referente(make_user, "pending", "c_due")
    _referente(make_user, "suspended", "c_tre")
    with django_capture_on_commit_callbacks(execute=True):
        release = add_release(kit.product, "1.11.0", security=True)
    assert [message.to for message in mail.outbox] == [["ref-c_uno@example.org"]]
    assert "1.11.0" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        release.save_revision().publish()
    assert len(mail.outbox) == 1


def test_security_reminder_after_the_configured_days(
    kit, make_user, settings, commit_hooks
):
    settings.KIT_SECURITY_REMINDER_DAYS = 3
    behind, _user = _referente(make_user, "approved", "c_uno")
    current, _user = _referente(make_user, "approved", "c_due")
    services.download_record(file=kit.file, user=_user, organisation=behind)
    security = add_release(kit.product, "1.11.0", security=True)
    patch = security.files.create(
        platform="ZIP", filename="p.zip", size=1, sha256="a" * 64, file="x/p.zip"
    )
    services.download_record(file=patch, user=_user, organisation=current)
    mail.outbox.clear()
    assert services.security_reminders_send() == 0  # too early
    later = timezone.now() + datetime.timedelta(days=4)
    assert services.security_reminders_send(now=later) == 1
    assert mail.outbox[-1].to == ["ref-c_uno@example.org"]
    assert services.security_reminders_send(now=later) == 0  # once only


def test_administration_page_shows_downloads_and_updates(kit, visitor):
    client, user = visitor("approved")
    organisation = user.memberships.get().organisation
    services.download_record(file=kit.file, user=user, organisation=organisation)
    page = client.get(reverse("kit_downloads:organisation")).content.decode()
    assert 'data-testid="up-to-date"' in page
    add_release(kit.product, "1.11.0")
    page = client.get(reverse("kit_downloads:organisation")).content.decode()
    assert 'data-testid="update-available"' in page
    assert "kit-silla-1.10.0.zip" in page


def test_administration_page_lists_each_product_once_in_the_visitors_language(kit):
    english, _created = Locale.objects.get_or_create(language_code="en")
    translated = kit.product.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    organisation = make_organisation("approved", "c_a662")
    for language, expected in (("it", kit.product), ("en", translated)):
        with translation.override(language):
            statuses = selectors.organisation_kit_status(organisation=organisation)
        assert [status.product.pk for status in statuses] == [expected.pk]


def test_install_base_counts_administrations_per_version(kit, make_user, visitor):
    first, first_user = _referente(make_user, "approved", "c_uno")
    second, second_user = _referente(make_user, "approved", "c_due")
    services.download_record(file=kit.file, user=first_user, organisation=first)
    services.download_record(file=kit.file, user=second_user, organisation=second)
    old = kit.old.files.create(
        platform="ZIP", filename="o.zip", size=1, sha256="b" * 64, file="x/o.zip"
    )
    services.download_record(file=old, user=second_user, organisation=second)
    (row,) = selectors.install_base()
    assert row["versions"] == [("1.10.0", 2)]
    client, _staff = visitor("staff")
    page = client.get(reverse("kit_downloads_admin:install_base")).content.decode()
    assert "1.10.0" in page


def test_feed_lists_the_releases(kit, client):
    response = client.get(kit.product.url + "feed/")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "<rss" in body
    assert "Kit SILLA 1.10.0" in body
    assert "2.0.0-beta.1" in body


def _parse_yaml(text: str):
    """Parse the subset of YAML that publiccode.py emits (block mappings and
    sequences, JSON-quoted scalars, booleans). Strict: anything else fails."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]

    def scalar(raw):
        return {"true": True, "false": False}.get(raw, None) if raw in {
            "true", "false"} else json.loads(raw)  # fmt: skip

    def block(index, indent):
        is_list = lines[index].strip().startswith("- ")
        result = [] if is_list else {}
        while index < len(lines):
            line = lines[index]
            current = len(line) - len(line.lstrip())
            if current < indent:
                break
            assert current == indent, line
            content = line.strip()
            if is_list:
                assert content.startswith("- "), line
                item = content[2:]
                if ":" in item and not item.startswith('"'):
                    # a mapping inside a list: re-indent its first key
                    lines[index] = " " * (indent + 2) + item
                    value, index = block(index, indent + 2)
                    result.append(value)
                    continue
                result.append(scalar(item))
                index += 1
            else:
                key, _sep, raw = content.partition(":")
                raw = raw.strip()
                index += 1
                if raw:
                    result[key] = scalar(raw)
                else:
                    result[key], index = block(index, indent + 2)
        return result, index

    value, end = block(0, 0)
    assert end == len(lines)
    return value


def test_publiccode_yml_has_the_required_fields(kit, client):
    response = client.get(reverse("kit_downloads:publiccode", args=[kit.product.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/yaml")
    document = _parse_yaml(response.content.decode())
    assert publiccode_missing(document) == []
    assert document == json.loads(
        json.dumps(publiccode_data(product=kit.product), default=str)
    )
    assert document["softwareVersion"] == "1.10.0"
    assert document["releaseDate"] == "2013-01-02"
    assert document["developmentStatus"] == "stable"
    assert document["legal"]["license"] == "EUPL-1.2"
    assert document["it"]["riuso"]["codiceIPA"] == "m_lps"
    assert document["description"]["it"]["features"] == ["Applicazione web"]


def test_publiccode_validation_names_what_is_missing(kit):
    data = publiccode_data(product=kit.product)
    del data["legal"]["license"]
    data["platforms"] = []
    assert publiccode_missing(data) == ["platforms", "legal.license"]


def test_unpublished_release_is_not_public(kit, client):
    kit.beta.unpublish()
    assert client.get(kit.beta.url).status_code == HTTPStatus.NOT_FOUND
    url = reverse("kit_downloads:sha256sums", args=[kit.beta.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert KitReleasePage.objects.live().count() == 2
