"""The stable latest/<key>/ addresses and the read-only JSON API v1."""

from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kit_downloads import selectors, services
from kit_downloads.models import KitProductPage, ReleaseFile

from .conftest import VISITORS, add_release

pytestmark = pytest.mark.django_db

BASE = "https://portale.lavoro.example.gov.it"
LIST_QUERIES = 6


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_BASE_URL = BASE


def add_file(release, name, kind, data=b"PK\x03\x04 file", signature=""):
    return services.release_file_add(
        release=release,
        upload=ContentFile(data, name=name),
        platform="ZIP",
        component="Applicazione web",
        kind=kind,
        signature=signature,
    )


@pytest.fixture
def keyed(kit):
    """The final release's file has the key web-app-zip; so has the older one."""
    ReleaseFile.objects.filter(pk=kit.file.pk).update(kind="web-app-zip")
    kit.file.refresh_from_db()
    add_file(kit.old, "kit-silla-1.0.0.zip", "web-app-zip")
    add_file(kit.beta, "kit-silla-2.0.0-beta.1.zip", "web-app-zip")
    return kit


def latest_url(kit, kind="web-app-zip", suffix=""):
    return f"{kit.product.url}latest/{kind}/{suffix}"


# latest/<key>/


@pytest.mark.parametrize("kind", VISITORS)
def test_latest_file_is_gated_like_the_download(keyed, visitor, kind):
    client, _user = visitor(kind)
    response = client.get(latest_url(keyed))
    download = client.get(keyed.file.get_absolute_url())
    if kind in {"approved", "staff"}:
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == keyed.file.get_absolute_url()
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert download.status_code == HTTPStatus.OK
    elif kind == "anonymous":
        assert response.status_code == download.status_code == HTTPStatus.FOUND
        assert "/login" in response["Location"] or "accedi" in response["Location"]
    else:
        assert response.status_code == download.status_code == HTTPStatus.FORBIDDEN


def test_latest_follows_the_newest_final_release(keyed, visitor):
    client, _user = visitor("approved")
    newer = add_release(keyed.product, "1.11.0", day=5)
    newest_file = add_file(newer, "kit-silla-1.11.0.zip", "web-app-zip")
    response = client.get(latest_url(keyed))
    assert response["Location"] == newest_file.get_absolute_url()
    # A beta never becomes "latest".
    assert "beta" not in response["Location"]


def test_latest_does_not_fall_back_to_an_older_release(keyed, visitor):
    client, _user = visitor("approved")
    add_release(keyed.product, "1.11.0", day=5)  # no web-app-zip in it
    assert client.get(latest_url(keyed)).status_code == HTTPStatus.NOT_FOUND


def test_unknown_key_is_not_found(keyed, visitor):
    client, _user = visitor("approved")
    assert client.get(latest_url(keyed, "nothing")).status_code == 404


def test_latest_signature_redirects_to_the_signature(kit, signing_key, signer, client):
    data = b"PK\x03\x04 signed"
    newer = add_release(kit.product, "1.11.0", day=5)
    file = add_file(
        newer, "kit-silla-1.11.0.zip", "web-app-zip", data, signer.sign(data)
    )
    response = client.get(latest_url(kit, suffix="signature/"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == file.get_signature_url()
    assert "no-store" in response["Cache-Control"]


def test_latest_signature_of_an_unsigned_file_is_not_found(keyed, client):
    response = client.get(latest_url(keyed, suffix="signature/"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_key_is_unique_within_a_release(keyed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        add_file(keyed.final, "altro.zip", "web-app-zip")
    assert "kind" in raised.value.message_dict


def test_product_page_lists_the_stable_links(keyed, client):
    page = client.get(keyed.product.url).content.decode()
    assert 'data-testid="latest-files"' in page
    assert f"{keyed.product.url}latest/web-app-zip/" in page


# API


def test_product_list(keyed, client):
    response = client.get(reverse("kit_downloads:api_product_list"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["api_version"] == "1"
    assert data["count"] == 1 and data["next"] is None
    product = data["results"][0]
    assert product["id"] == keyed.product.pk
    assert product["latest_version"] == "1.10.0"
    assert product["url"] == f"{BASE}/kit/silla/"
    assert product["api_url"] == (
        BASE + reverse("kit_downloads:api_product_detail", args=[keyed.product.pk])
    )


def test_product_detail(keyed, client):
    url = reverse("kit_downloads:api_product_detail", args=[keyed.product.pk])
    data = client.get(url).json()["product"]
    assert [release["version"] for release in data["releases"]] == [
        "2.0.0-beta.1",
        "1.10.0",
        "1.0.0",
    ]
    final = data["releases"][1]
    assert final["is_latest"] and final["maturity"] == "final"
    assert final["is_security"] is False
    assert final["sha256sums_url"].startswith(BASE)
    assert final["sha256sums_signature_url"] is None
    (file,) = final["files"]
    assert file == {
        "id": keyed.file.pk,
        "filename": "kit-silla-1.10.0.zip",
        "key": "web-app-zip",
        "component": "Applicazione web",
        "platform": "ZIP",
        "size": keyed.file.size,
        "sha256": keyed.file.sha256,
        "signed": False,
        "signed_by": None,
        "signature_url": None,
        "download_url": BASE + keyed.file.get_absolute_url(),
        "latest_url": f"{BASE}/kit/silla/latest/web-app-zip/",
        "in_latest_release": True,
        "uploaded_at": keyed.file.uploaded_at.isoformat(),
    }
    assert "localhost" not in str(data)


def test_detail_shows_signatures(kit, signing_key, signer, client):
    sums = selectors.release_sha256sums(release=kit.final).encode()
    services.release_checksums_sign(release=kit.final, signature=signer.sign(sums))
    data = b"PK signed"
    file = add_file(kit.final, "firmato.zip", "signed-zip", data, signer.sign(data))
    url = reverse("kit_downloads:api_product_detail", args=[kit.product.pk])
    release = client.get(url).json()["product"]["releases"][1]
    # The new file made the SHA256SUMS signature stale.
    assert release["sha256sums_signature_url"] is None
    signed = next(row for row in release["files"] if row["id"] == file.pk)
    assert signed["signed"] and signed["signed_by"] == signing_key.fingerprint
    assert signed["signature_url"] == BASE + file.get_signature_url()
    sums = selectors.release_sha256sums(release=kit.final).encode()
    services.release_checksums_sign(release=kit.final, signature=signer.sign(sums))
    release = client.get(url).json()["product"]["releases"][1]
    assert release["sha256sums_signature_url"] == BASE + reverse(
        "kit_downloads:sha256sums_signature", args=[kit.final.pk]
    )


def test_download_urls_stay_gated(keyed, client):
    url = reverse("kit_downloads:api_product_detail", args=[keyed.product.pk])
    file = client.get(url).json()["product"]["releases"][1]["files"][0]
    response = client.get(file["download_url"].removeprefix(BASE))
    assert response.status_code == HTTPStatus.FOUND  # to the login page


def test_unpublished_things_are_not_listed(keyed, client):
    keyed.beta.unpublish()
    url = reverse("kit_downloads:api_product_detail", args=[keyed.product.pk])
    versions = [r["version"] for r in client.get(url).json()["product"]["releases"]]
    assert "2.0.0-beta.1" not in versions
    keyed.product.unpublish()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    response = client.get(reverse("kit_downloads:api_product_list"))
    assert response.json()["results"] == []


def test_conditional_requests(keyed, client):
    url = reverse("kit_downloads:api_product_detail", args=[keyed.product.pk])
    response = client.get(url)
    etag = response["ETag"]
    assert etag.startswith('"') and response["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == HTTPStatus.NOT_MODIFIED
    add_file(keyed.final, "nuovo.zip", "new-zip")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == HTTPStatus.OK
    assert changed["ETag"] != etag


def test_pagination_and_bad_pages(kit, client, settings, monkeypatch):
    monkeypatch.setattr(selectors, "API_PAGE_SIZE", 1)
    second = KitProductPage(
        title="Kit SILLA bis",
        slug="silla-bis",
        description="<p>Secondo prodotto.</p>",
        repository_url="https://github.com/esplora-lavoro/kit-silla-bis",
    )
    kit.section.add_child(instance=second)
    second.save_revision().publish()
    url = reverse("kit_downloads:api_product_list")
    first = client.get(url).json()
    assert first["count"] == 2 and first["pages"] == 2
    assert first["next"] == f"{BASE}{url}?page=2"
    page_two = client.get(url, {"page": 2}).json()
    assert page_two["previous"] == f"{BASE}{url}?page=1"
    assert client.get(url, {"page": 3}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url, {"page": "x"}).status_code == HTTPStatus.BAD_REQUEST


def _grow(kit, releases: int, files: int):
    for index in range(releases):
        release = add_release(kit.product, f"3.{index}.0", day=10 + index)
        for number in range(files):
            add_file(release, f"f-{index}-{number}.zip", f"k{number}")
    second = KitProductPage(
        title=f"Prodotto {releases}",
        slug=f"prodotto-{releases}",
        description="<p>Altro prodotto.</p>",
        repository_url="https://github.com/esplora-lavoro/altro",
    )
    kit.section.add_child(instance=second)
    second.save_revision().publish()
    add_release(second, "1.0.0", day=1)


@pytest.mark.parametrize("size", [1, 4])
def test_query_count_does_not_grow_with_the_catalogue(
    kit, client, size, django_assert_num_queries
):
    _grow(kit, releases=size, files=size)
    detail = reverse("kit_downloads:api_product_detail", args=[kit.product.pk])
    listing = reverse("kit_downloads:api_product_list")
    client.get(detail)  # warm the site and locale caches
    # View restrictions and default locale, product, view restrictions again
    # and releases, files, SHA256SUMS signatures: the same at both sizes.
    with django_assert_num_queries(7):
        assert client.get(detail).status_code == HTTPStatus.OK
    # View restrictions, default locale, count, products, view restrictions,
    # releases.
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(listing).status_code == HTTPStatus.OK
