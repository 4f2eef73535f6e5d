from http import HTTPStatus

import pytest
from django.core.management import call_command

from community.models import Group, Post, Thread

pytestmark = pytest.mark.django_db


def test_demo_groups_are_created_once_and_the_private_one_is_hidden(client):
    call_command("load_demo")
    counts = (Group.objects.count(), Thread.objects.count(), Post.objects.count())
    call_command("load_demo")

    assert (Group.objects.count(), Thread.objects.count(), Post.objects.count()) == (
        counts
    )
    assert counts[0] == 4
    assert set(Group.objects.values_list("visibility", flat=True)) == {
        "open",
        "moderated",
        "private",
    }
    listing = client.get("/en/community/").content.decode()
    assert "Rete degli Osservatori" in listing
    assert "Rete degli Sportelli Lavoro" in listing
    assert "Tavolo dell&#x27;Osservatorio" not in listing
    private = Group.objects.get(visibility="private")
    assert client.get(private.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    thread = Thread.objects.get(title__startswith="Presa in carico")
    assert (
        "équipe multidisciplinare"
        in client.get(thread.get_absolute_url()).content.decode()
    )
