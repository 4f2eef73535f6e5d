"""The same user downloads the same file in many parallel requests."""

import threading

import pytest
from django.db import connection, connections

from kit_downloads import services
from kit_downloads.models import DownloadEvent

THREADS = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; true concurrency needs PostgreSQL",
)
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_downloads_count_once(kit, visitor):
    _client, user = visitor("approved")
    organisation = user.memberships.get().organisation
    barrier = threading.Barrier(THREADS)
    created = []
    errors = []

    def download():
        try:
            barrier.wait()
            _event, new = services.download_record(
                file=kit.file, user=user, organisation=organisation
            )
            created.append(new)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download) for _index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(created) == [False] * (THREADS - 1) + [True]
    assert DownloadEvent.objects.filter(file=kit.file, user=user).count() == 1
