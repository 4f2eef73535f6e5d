"""A 200 MB file goes up and comes down without ever being held in memory."""

import hashlib
import tracemalloc
from http import HTTPStatus

import pytest
from django.core.files import File
from django.urls import reverse

from kit_downloads import services

pytestmark = pytest.mark.django_db

SIZE = 200 * 1024 * 1024
BLOCK = hashlib.sha256(b"silla").digest() * 32768  # 1 MiB, not all zeros
LIMIT = 16 * 1024 * 1024  # bytes of Python allocations allowed at peak


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "kit-silla-big.tar"
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for index in range(SIZE // len(BLOCK)):
            block = BLOCK[index % 7 :] + BLOCK[: index % 7]
            handle.write(block)
            digest.update(block)
    return path, digest.hexdigest()


def test_200_mb_upload_and_download_in_bounded_memory(kit, visitor, big_file):
    path, expected = big_file
    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            record = services.release_file_add(
                release=kit.final,
                upload=File(handle, name=path.name),
                platform="TAR",
                declared_sha256=expected,
            )
        _current, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()

        client, _user = visitor("approved")
        response = client.get(
            reverse("kit_downloads:file", args=[record.pk, record.filename])
        )
        assert response.status_code == HTTPStatus.OK
        received = hashlib.sha256()
        total = 0
        for chunk in response.streaming_content:
            received.update(chunk)
            total += len(chunk)
        _current, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert record.size == SIZE == total
    assert record.sha256 == expected == received.hexdigest()
    assert upload_peak < LIMIT, f"upload peaked at {upload_peak} bytes"
    assert download_peak < LIMIT, f"download peaked at {download_peak} bytes"
