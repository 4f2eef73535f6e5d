"""OpenPGP: published signing keys, signatures verified on upload, and the
release manager's offline signature of a deterministic SHA256SUMS."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kit_downloads import selectors, services
from kit_downloads.models import ReleaseChecksumsSignature, ReleaseFile, SigningKey

from .conftest import FILE_BYTES

pytestmark = pytest.mark.django_db

DATA = b"PK\x03\x04 kit SILLA manual " + bytes(range(256)) * 8


def add_file(kit, *, data=DATA, name="manuale.zip", signature="", kind=""):
    return services.release_file_add(
        release=kit.final,
        upload=ContentFile(data, name=name),
        platform="ZIP",
        signature=signature,
        kind=kind,
    )


def refused(kit, signature: str, data=DATA) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        add_file(kit, data=data, signature=signature)
    assert not ReleaseFile.objects.filter(filename="manuale.zip").exists()
    with translation.override("en"):  # the messages are lazy
        return " ".join(raised.value.message_dict["signature"])


# Keys


def test_a_public_key_is_read_with_its_fingerprint(signing_key, signer):
    assert len(signing_key.fingerprint) == 40
    assert signing_key.user_ids == "Kit SILLA demo <kit-demo@esploralavoro.example>"
    assert signing_key.fingerprint_display.count(" ") == 9


def test_a_private_key_is_refused(db, signer):
    secret = signer._gpg(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--armor",
        "--export-secret-keys",
    ).decode()
    key = SigningKey(label="Errore", armored_key=secret)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        key.full_clean()
    with translation.override("en"):  # the messages are lazy
        assert "private key" in " ".join(raised.value.message_dict["armored_key"])


@pytest.mark.parametrize(
    "text",
    ["", "hello", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP"],
)
def test_text_that_is_not_a_public_key_is_refused(db, text):
    with pytest.raises(ValidationError) as raised:
        SigningKey(label="Errore", armored_key=text).full_clean()
    assert "armored_key" in raised.value.message_dict


def test_the_same_key_twice_is_refused(signing_key, signer):
    with pytest.raises(ValidationError):
        SigningKey(label="Doppia", armored_key=signer.public_key).full_clean()


def test_keys_are_published(kit, signing_key, client):
    response = client.get(reverse("kit_downloads:signing_keys"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pgp-keys"
    assert response.content.decode() == signing_key.armored_key
    response = client.get(
        reverse("kit_downloads:signing_key", args=[signing_key.fingerprint])
    )
    assert response.content.decode() == signing_key.armored_key
    page = client.get(kit.product.url).content.decode()
    assert signing_key.fingerprint_display in page
    assert reverse("kit_downloads:signing_keys") in page


def test_without_keys_nothing_is_published(kit, client):
    response = client.get(reverse("kit_downloads:signing_keys"))
    assert response.status_code == HTTPStatus.NOT_FOUND
    page = client.get(kit.product.url).content.decode()
    assert 'data-testid="no-signing-key"' in page


def test_kit_managers_manage_keys_in_the_admin(signer, visitor):
    client, _user = visitor("staff")
    response = client.get(reverse("kit_signing_keys:add"))
    assert response.status_code == HTTPStatus.OK
    response = client.post(
        reverse("kit_signing_keys:add"),
        {"label": "Chiave 2026", "armored_key": signer.public_key, "is_active": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    key = SigningKey.objects.get()
    assert key.fingerprint and key.is_active
    listing = client.get(reverse("kit_signing_keys:index"))
    assert key.fingerprint_display in listing.content.decode()
    inspect = client.get(reverse("kit_signing_keys:inspect", args=[key.pk]))
    assert key.fingerprint in inspect.content.decode()
    # Retired keys are deactivated, never deleted.
    response = client.get(reverse("kit_signing_keys:delete", args=[key.pk]))
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}
    assert SigningKey.objects.filter(pk=key.pk).exists()


@pytest.mark.parametrize("kind", ["approved", "anonymous"])
def test_others_cannot_manage_keys(db, visitor, kind):
    client, _user = visitor(kind)
    response = client.get(reverse("kit_signing_keys:index"))
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}


# File signatures


def test_a_good_signature_is_kept_with_its_key(kit, signing_key, signer):
    file = add_file(kit, signature=signer.sign(DATA), kind="manual-zip")
    assert file.signed_by == signing_key.fingerprint
    assert file.signature.startswith("-----BEGIN PGP SIGNATURE-----")


def test_a_signature_of_other_content_is_refused(kit, signing_key, signer):
    message = refused(kit, signer.sign(FILE_BYTES))
    assert "does not verify this file" in message


def test_a_signature_by_an_unpublished_key_is_refused(kit, signing_key, stranger):
    message = refused(kit, stranger.sign(DATA))
    assert "active signing keys" in message


def test_a_signature_by_a_deactivated_key_is_refused(kit, signing_key, signer):
    SigningKey.objects.filter(pk=signing_key.pk).update(is_active=False)
    refused(kit, signer.sign(DATA))


@pytest.mark.parametrize(
    "text",
    [
        "any text at all",
        "-----BEGIN PGP SIGNATURE-----\n\nnot base64\n-----END PGP SIGNATURE-----",
    ],
)
def test_text_that_is_not_a_signature_is_refused(kit, signing_key, text):
    refused(kit, text)


def test_a_refused_signature_leaves_nothing_in_storage(
    kit, signing_key, signer, private_root
):
    before = sorted(p for p in private_root.rglob("*") if p.is_file())
    refused(kit, signer.sign(b"other"))
    assert sorted(p for p in private_root.rglob("*") if p.is_file()) == before


def test_the_upload_form_shows_why_a_signature_is_refused(
    kit, signing_key, stranger, visitor
):
    client, _user = visitor("staff")
    response = client.post(
        reverse("kit_downloads_admin:file_upload"),
        {
            "release": kit.final.pk,
            "platform": "ZIP",
            "kind": "manual-zip",
            "file": SimpleUploadedFile("manuale.zip", DATA),
            "signature": stranger.sign(DATA),
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "signature" in response.context["form"].errors
    assert not ReleaseFile.objects.filter(filename="manuale.zip").exists()


def test_the_signature_of_a_file_is_served(kit, signing_key, signer, client):
    file = add_file(kit, signature=signer.sign(DATA))
    response = client.get(file.get_signature_url())
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().strip() == file.signature.strip()


# SHA256SUMS


def test_sha256sums_is_deterministic_and_sorted_by_name(kit, client):
    add_file(kit, name="a-manuale.zip")
    url = reverse("kit_downloads:sha256sums", args=[kit.final.pk])
    first = client.get(url).content
    assert first == client.get(url).content
    lines = first.decode().splitlines()
    assert [line.split("  ")[1] for line in lines] == [
        "a-manuale.zip",
        "kit-silla-1.10.0.zip",
    ]
    assert first.endswith(b"\n") and b"\r" not in first
    assert first.decode() == selectors.release_sha256sums(release=kit.final)


def test_the_signed_sha256sums_is_served_while_it_matches(
    kit, signing_key, signer, client
):
    sums = selectors.release_sha256sums(release=kit.final).encode()
    record = services.release_checksums_sign(
        release=kit.final, signature=signer.sign(sums)
    )
    assert record.signed_by == signing_key.fingerprint
    url = reverse("kit_downloads:sha256sums_signature", args=[kit.final.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pgp-signature"
    assert b"BEGIN PGP SIGNATURE" in response.content
    page = client.get(kit.final.url).content.decode()
    assert 'data-testid="sha256sums-signature"' in page
    # A new file changes SHA256SUMS: the old signature no longer covers it.
    add_file(kit)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_wrong_sha256sums_signature_is_refused(kit, signing_key, signer):
    with pytest.raises(ValidationError) as raised:
        services.release_checksums_sign(
            release=kit.final, signature=signer.sign(b"other sums\n")
        )
    assert "signature" in raised.value.message_dict
    assert not ReleaseChecksumsSignature.objects.exists()


def test_kit_managers_upload_the_sha256sums_signature(
    kit, signing_key, signer, stranger, visitor
):
    client, _user = visitor("staff")
    url = reverse("kit_downloads_admin:checksums_sign", args=[kit.final.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    sums = response.context["sums"]
    assert sums == selectors.release_sha256sums(release=kit.final)
    response = client.post(url, {"signature": stranger.sign(sums.encode())})
    assert response.status_code == HTTPStatus.OK
    assert "signature" in response.context["form"].errors
    response = client.post(url, {"signature": signer.sign(sums.encode())})
    assert response.status_code == HTTPStatus.FOUND
    assert ReleaseChecksumsSignature.objects.get().release_id == kit.final.pk


def test_only_kit_managers_sign_checksums(kit, visitor):
    client, _user = visitor("approved")
    url = reverse("kit_downloads_admin:checksums_sign", args=[kit.final.pk])
    assert client.get(url).status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}
