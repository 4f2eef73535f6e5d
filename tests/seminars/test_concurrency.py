"""Many operators register for the same seminar in the same second."""

import threading

import pytest
from django.db import connection, connections

from portal.seminars import services
from portal.seminars.models import Registration

from ..conftest import build_tree
from .factories import make_index, make_seminar, registration_data

THREADS = 12
CAPACITY = 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; true concurrency needs PostgreSQL",
)
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_capacity_never_exceeded_under_concurrency(make_user):
    tree = build_tree()
    seminar = make_seminar(make_index(tree.home), capacity=CAPACITY)
    users = [make_user(email=f"op{i}@example.org") for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors = []

    def register(user):
        try:
            barrier.wait()
            services.registration_create(
                seminar=seminar, user=user, **registration_data()
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(
        Registration.objects.filter(seminar=seminar).values_list("status", flat=True)
    )
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waiting") == THREADS - CAPACITY
