"""Private discussions never reach a non-member, on every path of the search."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from community import services
from community.models import Group, GroupMembership
from search.models import SearchDocument
from tests.community.factories import add_member, make_group, make_thread

from .test_search import results_html


def text_of(response) -> str:
    return strip_tags(results_html(response))


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


@pytest.fixture
def discussions(tree, make_user):
    author = make_user("autrice@example.org")
    member = make_user("socia@example.org")
    outsider = make_user("esterna@example.org")
    private = make_group(visibility=Group.Visibility.PRIVATE, name="Riservato")
    open_group = make_group(visibility=Group.Visibility.OPEN, name="Aperto")
    for group in (private, open_group):
        add_member(group, author)
    add_member(private, member)
    secret = make_thread(
        private, author, title="Calendario riservato", body="Verbale segreto"
    )
    public = make_thread(
        open_group, author, title="Calendario aperto", body="Verbale pubblico"
    )
    return {
        "author": author,
        "member": member,
        "outsider": outsider,
        "private": private,
        "secret": secret,
        "public": public,
    }


def test_threads_and_replies_are_indexed_with_their_group(client, discussions):
    secret = discussions["secret"]
    reply = services.post_create(
        author=discussions["member"], thread=secret, body="Allego il protocollo"
    )

    assert SearchDocument.objects.get(key=f"thread:{secret.pk}").text == (
        "Verbale segreto"
    )
    assert SearchDocument.objects.get(key=f"post:{reply.pk}").group_id == (
        discussions["private"].pk
    )
    client.force_login(discussions["member"])
    found = text_of(client.get("/cerca/", {"q": "protocollo"}))
    assert "Calendario riservato" in found  # a reply shows its thread's title
    client.force_login(discussions["outsider"])
    assert "Calendario" not in text_of(client.get("/cerca/", {"q": "protocollo"}))


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_private_discussions_are_hidden_from_non_members(client, discussions, who):
    if who == "outsider":
        client.force_login(discussions["outsider"])

    html = text_of(client.get("/cerca/", {"q": "calendario verbale"}))
    suggestions = client.get(reverse("search:suggest"), {"q": "calend"}).json()

    assert "Calendario aperto" in html
    assert "riservato" not in html.lower() and "segreto" not in html
    titles = [s["title"] for s in suggestions["suggestions"]]
    assert "Calendario aperto" in titles and "Calendario riservato" not in titles


def test_members_find_private_discussions(client, discussions):
    client.force_login(discussions["member"])

    response = client.get("/cerca/", {"q": "verbale segreto"})

    assert "Calendario riservato" in text_of(response)
    assert "<mark>segreto</mark>" in results_html(response)


def test_removing_a_member_takes_effect_on_the_next_query(client, discussions):
    client.force_login(discussions["member"])
    assert "Calendario riservato" in text_of(client.get("/cerca/", {"q": "calendario"}))

    GroupMembership.objects.filter(
        group=discussions["private"], user=discussions["member"]
    ).delete()

    assert "Calendario riservato" not in text_of(
        client.get("/cerca/", {"q": "calendario"})
    )


def test_deleted_and_hidden_posts_leave_the_index(client, discussions):
    public = discussions["public"]
    public.is_deleted = True
    public.save()

    assert "Calendario aperto" not in text_of(
        client.get("/cerca/", {"q": "calendario"})
    )


def test_the_type_facet_separates_discussions(client, discussions):
    response = client.get("/en/search/", {"q": "verbale", "kind": "community.thread"})

    assert response.status_code == HTTPStatus.OK
    assert "Calendario aperto" in text_of(response)
    assert "Discussion" in text_of(response)
    assert "Reply in a discussion" not in text_of(response)
