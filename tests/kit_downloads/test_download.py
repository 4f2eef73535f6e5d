"""The download view: headers, Range, ETag, checksums, X-Accel-Redirect."""

import hashlib
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from kit_downloads import services
from kit_downloads.models import DownloadEvent, ReleaseFile
from kit_downloads.storage import private_storage
from kit_downloads.views import RangeNotSatisfiable, parse_range

from .conftest import FILE_BYTES

pytestmark = pytest.mark.django_db
SIZE = len(FILE_BYTES)


@pytest.fixture
def approved(visitor):
    client, _user = visitor("approved")
    return client


def _url(file):
    return reverse("kit_downloads:file", args=[file.pk, file.filename])


def test_whole_file_with_safe_headers(kit, approved):
    response = approved.get(_url(kit.file))
    body = b"".join(response.streaming_content)
    assert response.status_code == HTTPStatus.OK
    assert hashlib.sha256(body).hexdigest() == kit.file.sha256
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "application/octet-stream"
    assert (
        response["Content-Disposition"] == 'attachment; filename="kit-silla-1.10.0.zip"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["ETag"] == f'"{kit.file.sha256}"'
    assert response["Accept-Ranges"] == "bytes"


def test_non_ascii_name_gets_an_rfc_6266_header(kit, approved):
    kit.file.filename = "manuale-perché.pdf"
    kit.file.save()
    response = approved.get(_url(kit.file))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''manuale-perch%C3%A9.pdf"
    )


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=-10", SIZE - 10, SIZE - 1),
        ("bytes=5-999999", 5, SIZE - 1),
    ],
)
def test_range_returns_the_asked_bytes(kit, approved, header, first, last):
    response = approved.get(_url(kit.file), HTTP_RANGE=header)
    assert response.status_code == HTTPStatus.PARTIAL_CONTENT
    assert b"".join(response.streaming_content) == FILE_BYTES[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)


@pytest.mark.parametrize(
    "header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"]
)
def test_range_out_of_bounds_is_416(kit, approved, header):
    response = approved.get(_url(kit.file), HTTP_RANGE=header)
    assert response.status_code == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE
    assert response["Content-Range"] == f"bytes */{SIZE}"


def test_resume_with_stale_if_range_gets_the_whole_file(kit, approved):
    response = approved.get(
        _url(kit.file), HTTP_RANGE="bytes=10-", HTTP_IF_RANGE='"other"'
    )
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == FILE_BYTES


def test_resumed_parts_are_not_new_downloads(kit, approved):
    b"".join(approved.get(_url(kit.file), HTTP_RANGE="bytes=0-9").streaming_content)
    b"".join(approved.get(_url(kit.file), HTTP_RANGE="bytes=10-").streaming_content)
    assert DownloadEvent.objects.count() == 1


def test_if_none_match_is_304(kit, approved):
    response = approved.get(_url(kit.file), HTTP_IF_NONE_MATCH=f'"{kit.file.sha256}"')
    assert response.status_code == HTTPStatus.NOT_MODIFIED


@pytest.mark.parametrize("name", ["kit-silla-1.0.0.zip", "KIT-SILLA-1.10.0.ZIP", "x"])
def test_filename_that_does_not_match_is_404(kit, approved, name):
    url = reverse("kit_downloads:file", args=[kit.file.pk, name])
    assert approved.get(url).status_code == HTTPStatus.NOT_FOUND
    assert not DownloadEvent.objects.exists()


def test_unknown_file_is_404(kit, approved):
    url = reverse("kit_downloads:file", args=[9999, "kit.zip"])
    assert approved.get(url).status_code == HTTPStatus.NOT_FOUND


def test_x_accel_redirect_hands_the_file_to_nginx(kit, approved, settings):
    settings.KIT_X_ACCEL_REDIRECT_PREFIX = "/_kit_private/"
    response = approved.get(_url(kit.file))
    assert response.status_code == HTTPStatus.OK
    assert response["X-Accel-Redirect"] == f"/_kit_private/{kit.file.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert DownloadEvent.objects.count() == 1


def test_x_accel_redirect_is_never_sent_to_those_refused(kit, visitor, settings):
    settings.KIT_X_ACCEL_REDIRECT_PREFIX = "/_kit_private/"
    client, _user = visitor("suspended")
    response = client.get(_url(kit.file))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "X-Accel-Redirect" not in response


def test_checksum_is_computed_on_upload_and_verified(kit):
    assert kit.file.sha256 == hashlib.sha256(FILE_BYTES).hexdigest()
    assert kit.file.size == SIZE
    assert services.file_verify(file=kit.file)
    with private_storage.open(kit.file.file.name, "wb") as handle:
        handle.write(b"tampered")
    assert not services.file_verify(file=kit.file)


def test_upload_with_a_wrong_declared_checksum_is_refused(kit, private_root):
    with pytest.raises(ValidationError) as error:
        services.release_file_add(
            release=kit.final,
            upload=ContentFile(b"other bytes", name="kit-silla-extra.zip"),
            platform="ZIP",
            declared_sha256="0" * 64,
        )
    assert "declared_sha256" in error.value.message_dict
    assert ReleaseFile.objects.count() == 1
    stored = [path for path in private_root.rglob("*") if path.is_file()]
    assert len(stored) == 1  # only the fixture's file: nothing half-saved


def test_upload_with_the_right_declared_checksum(kit):
    data = b"manuale operativo"
    record = services.release_file_add(
        release=kit.final,
        upload=ContentFile(data, name="manuale.pdf"),
        platform="PDF",
        declared_sha256=hashlib.sha256(data).hexdigest().upper(),
    )
    assert record.sha256 == hashlib.sha256(data).hexdigest()


def test_directories_in_an_uploaded_name_are_dropped(kit):
    record = services.release_file_add(
        release=kit.final,
        upload=ContentFile(b"x", name="../../etc/passwd"),
        platform="TXT",
    )
    assert record.filename == "passwd"
    assert ".." not in record.file.name


@pytest.mark.parametrize("name", ["a b.zip", "..", "nome;.zip", "dir/"])
def test_unsafe_file_names_are_refused(kit, name):
    with pytest.raises(ValidationError):
        services.release_file_add(
            release=kit.final,
            upload=ContentFile(b"x", name=name),
            platform="ZIP",
            filename=name,
        )


def test_private_storage_has_no_url(kit):
    with pytest.raises(NotImplementedError):
        kit.file.file.url  # noqa: B018
    assert "private" in str(private_storage.location)


def test_sha256sums_lists_every_file(kit):
    response = (
        pytest.importorskip("django.test")
        .Client()
        .get(reverse("kit_downloads:sha256sums", args=[kit.final.pk]))
    )
    assert response.content.decode() == f"{kit.file.sha256}  {kit.file.filename}\n"


def test_admin_upload_form(kit, visitor):
    client, _user = visitor("staff")
    url = reverse("kit_downloads_admin:file_upload")
    assert client.get(url).status_code == HTTPStatus.OK
    data = b"carta dei servizi"
    response = client.post(
        url,
        {
            "release": kit.final.pk,
            "platform": "ODT",
            "component": "Carta dei servizi",
            "file": ContentFile(data, name="carta-servizi.odt"),
            "declared_sha256": "f" * 64,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "declared" in response.content.decode()
    assert not ReleaseFile.objects.filter(filename="carta-servizi.odt").exists()
    response = client.post(
        url,
        {
            "release": kit.final.pk,
            "platform": "ODT",
            "file": ContentFile(data, name="carta-servizi.odt"),
            "declared_sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert ReleaseFile.objects.get(filename="carta-servizi.odt").size == len(data)


def test_parse_range_ignores_what_it_may_ignore():
    assert parse_range("", 100) is None
    assert parse_range("items=0-1", 100) is None
    assert parse_range("bytes=0-1,5-6", 100) is None
    assert parse_range("bytes=9-2", 100) is None
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=100-", 100)


def _fetch(client, file, **headers):
    response = client.generic(headers.pop("method", "GET"), _url(file), **headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("accel", [False, True], ids=["stream", "x-accel"])
def test_head_is_not_a_download(kit, approved, settings, accel):
    if accel:
        settings.KIT_X_ACCEL_REDIRECT_PREFIX = "/_kit_private/"
    response = _fetch(approved, kit.file, method="HEAD")
    assert response.status_code == HTTPStatus.OK
    assert not DownloadEvent.objects.exists()


@pytest.mark.parametrize("accel", [False, True], ids=["stream", "x-accel"])
@pytest.mark.parametrize(
    ("header", "counted"),
    [("bytes=100-", 0), ("bytes=-500", 0), ("bytes=0-", 1), ("bytes=0-99", 1)],
)
def test_only_a_range_from_byte_0_is_a_download(
    kit, approved, settings, accel, header, counted
):
    # Behind nginx the Range reaches Django unchanged with the X-Accel request.
    if accel:
        settings.KIT_X_ACCEL_REDIRECT_PREFIX = "/_kit_private/"
    response = _fetch(approved, kit.file, HTTP_RANGE=header)
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.PARTIAL_CONTENT}
    assert DownloadEvent.objects.count() == counted


def test_a_stale_if_range_sends_and_counts_the_whole_file(kit, approved):
    _fetch(approved, kit.file, HTTP_RANGE="bytes=10-", HTTP_IF_RANGE='"other"')
    assert DownloadEvent.objects.count() == 1


def test_the_same_file_on_the_same_day_counts_once(kit, approved):
    for _attempt in range(3):
        _fetch(approved, kit.file)
    _fetch(approved, kit.file, HTTP_RANGE="bytes=0-")
    assert DownloadEvent.objects.count() == 1


def test_each_user_and_each_file_counts(kit, approved, visitor):
    other_file = services.release_file_add(
        release=kit.final,
        upload=ContentFile(b"manuale", name="manuale.pdf"),
        platform="PDF",
    )
    staff, _user = visitor("staff")
    _fetch(approved, kit.file)
    _fetch(approved, other_file)
    _fetch(staff, kit.file)
    assert DownloadEvent.objects.count() == 3


def test_a_new_day_counts_again(kit, approved, monkeypatch):
    import datetime

    from django.utils import timezone

    _fetch(approved, kit.file)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    _fetch(approved, kit.file)
    _fetch(approved, kit.file)
    assert sorted(DownloadEvent.objects.values_list("day", flat=True)) == [
        tomorrow - datetime.timedelta(days=1),
        tomorrow,
    ]


def test_download_record_returns_the_days_event(kit, visitor):
    _client, user = visitor("approved")
    organisation = user.memberships.get().organisation
    first, created = services.download_record(
        file=kit.file, user=user, organisation=organisation
    )
    again, created_again = services.download_record(
        file=kit.file, user=user, organisation=organisation
    )
    assert (created, created_again) == (True, False)
    assert again == first


def test_the_database_refuses_a_second_event_for_the_same_day(kit, visitor):
    from django.db import IntegrityError, transaction

    _client, user = visitor("approved")
    services.download_record(file=kit.file, user=user, organisation=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DownloadEvent.objects.create(
            file=kit.file, release=kit.final, version="1.10.0", user=user
        )
