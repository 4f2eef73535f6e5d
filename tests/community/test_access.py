"""Who can see and do what, for every kind of visitor and on every path."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from community import selectors, services
from community.models import Group, GroupMembership, Post
from tests.community.factories import add_member, make_group, make_thread
from tests.community.test_attachments import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(make_user):
    owner = make_user("moderatore@example.org")
    group = make_group(Group.Visibility.PRIVATE, name="Tavolo riservato")
    add_member(group, owner, role="moderator")
    thread = services.thread_create(
        author=owner,
        group=group,
        title="Verbale riservato",
        body="Contenuto riservato del Tavolo",
        files=[SimpleUploadedFile("grafico.png", PNG)],
    )
    post = thread.posts.get()
    return {"owner": owner, "group": group, "thread": thread, "post": post}


def private_urls(data) -> list[tuple[str, str]]:
    group, thread, post = data["group"], data["thread"], data["post"]
    attachment = post.attachments.get()
    slug = group.slug
    return [
        ("get", group.get_absolute_url()),
        ("get", thread.get_absolute_url()),
        ("get", f"/en/community/{slug}/members/"),
        ("get", f"/en/community/{slug}/{thread.pk}/reply/"),
        ("get", f"/en/community/{slug}/new/"),
        ("get", f"/en/community/posts/{post.pk}/"),
        ("get", f"/en/community/posts/{post.pk}/flag/"),
        ("get", f"/en/community/posts/{post.pk}/edit/"),
        ("get", attachment.get_absolute_url()),
        ("post", f"/en/community/{slug}/join/"),
        ("post", f"/en/community/{slug}/{thread.pk}/reply/"),
        ("post", f"/en/community/{slug}/{thread.pk}/watch/"),
        ("post", f"/en/community/posts/{post.pk}/flag/"),
    ]


@pytest.mark.parametrize("visitor", ["stranger", "banned", "removed", "pending"])
def test_private_group_answers_404_everywhere_to_non_members(
    client, make_user, private, visitor
):
    user = make_user("esterno@example.org")
    if visitor == "banned":
        add_member(private["group"], user, status="banned")
    elif visitor == "pending":
        add_member(private["group"], user, status="pending")
    elif visitor == "removed":
        add_member(private["group"], user)
        services.member_remove(
            actor=private["owner"], group=private["group"], user=user
        )
    client.force_login(user)

    for method, url in private_urls(private):
        response = getattr(client, method)(url, {"body": "x", "level": "watching"})
        assert response.status_code == HTTPStatus.NOT_FOUND, (visitor, method, url)

    listing = client.get("/en/community/").content.decode()
    assert "Tavolo riservato" not in listing
    assert private["group"].pk not in selectors.group_ids_readable(user=user)


def test_private_group_answers_404_to_anonymous_visitors(client, private):
    urls = private_urls(private)
    # Pages that need no login answer 404; the others send to the login page, as
    # they do for a group that does not exist, so nothing is revealed.
    for _method, url in [urls[i] for i in (0, 1, 2, 5, 8)]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    assert client.get(urls[3][1])["Location"].startswith("/en/account/login/")
    assert "Tavolo riservato" not in client.get("/en/community/").content.decode()


def test_private_group_is_readable_by_members_and_staff(client, make_user, private):
    member = make_user("membro@example.org")
    add_member(private["group"], member)
    staff = make_user("redazione@example.org")
    staff.groups.add(AuthGroup.objects.get(name="Moderazione globale"))

    for user in (member, staff):
        client.force_login(user)
        response = client.get(private["thread"].get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        assert "Contenuto riservato" in response.content.decode()
        assert private["group"].pk in selectors.group_ids_readable(user=user)


@pytest.mark.parametrize("visibility", ["open", "moderated"])
def test_public_groups_are_readable_by_anyone_but_writing_needs_membership(
    client, make_user, visibility
):
    author = make_user("autrice@example.org")
    group = make_group(visibility)
    add_member(group, author)
    thread = make_thread(group, author, body="Testo pubblico")
    outsider = make_user("esterno@example.org")

    assert "Testo pubblico" in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(outsider)
    response = client.post(
        f"/en/community/{group.slug}/{thread.pk}/reply/", {"body": "Intrusione"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Post.objects.filter(body__contains="Intrusione").exists()
    with pytest.raises(PermissionDenied):
        services.post_create(author=outsider, thread=thread, body="Intrusione")
    assert set(selectors.group_ids_readable(user=outsider)) >= {group.pk}


def test_joining_open_moderated_and_private_groups(make_user):
    user = make_user()
    moderator = make_user("mod@example.org")
    open_group = make_group("open")
    moderated = make_group("moderated")
    private = make_group("private")
    add_member(moderated, moderator, role="moderator")

    assert services.group_join(user=user, group=open_group).status == "active"
    pending = services.group_join(user=user, group=moderated)
    assert pending.status == "pending"
    assert not selectors.group_access(user=user, group=moderated).can_post
    with pytest.raises(PermissionDenied):
        services.group_join(user=user, group=private)
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=user, membership=pending)

    services.membership_approve(actor=moderator, membership=pending)

    assert selectors.group_access(user=user, group=moderated).can_post
    assert moderated.moderation_actions.filter(action="member_approve").exists()


def test_banned_user_cannot_post_by_any_path(client, make_user):
    moderator = make_user("mod@example.org")
    user = make_user()
    group = make_group()
    add_member(group, moderator, role="moderator")
    add_member(group, user)
    thread = make_thread(group, moderator)
    own = services.post_create(author=user, thread=thread, body="prima del ban")

    services.member_ban(actor=moderator, group=group, user=user, reason="spam")

    for call in (
        lambda: services.thread_create(author=user, group=group, title="t", body="b"),
        lambda: services.post_create(author=user, thread=thread, body="b"),
        lambda: services.post_create(
            author=user, thread=thread, body="b", quote=thread.posts.first()
        ),
        lambda: services.post_edit(editor=user, post=own, body="modificato"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(Exception, match="banned"):
        services.group_join(user=user, group=group)
    services.group_leave(user=user, group=group)  # leaving does not lift a ban
    assert GroupMembership.objects.get(group=group, user=user).status == "banned"

    client.force_login(user)
    slug = group.slug
    for url in (
        f"/en/community/{slug}/new/",
        f"/en/community/{slug}/{thread.pk}/reply/",
        f"/en/community/posts/{own.pk}/edit/",
    ):
        response = client.post(url, {"title": "t", "body": "via web"})
        assert response.status_code == HTTPStatus.FORBIDDEN, url
    assert not Post.objects.filter(body__contains="via web").exists()
    assert group.moderation_actions.filter(action="member_ban").exists()


def test_removing_a_member_takes_effect_at_once(client, make_user):
    moderator = make_user("mod@example.org")
    user = make_user()
    group = make_group()
    add_member(group, moderator, role="moderator")
    add_member(group, user)
    thread = make_thread(group, moderator)
    client.force_login(user)
    assert (
        client.post(
            f"/en/community/{group.slug}/{thread.pk}/reply/", {"body": "prima"}
        ).status_code
        == HTTPStatus.FOUND
    )

    client_mod = client.__class__()
    client_mod.force_login(moderator)
    client_mod.post(
        f"/en/community/{group.slug}/members/{user.pk}/", {"action": "remove"}
    )

    client.post(f"/en/community/{group.slug}/{thread.pk}/reply/", {"body": "dopo"})
    assert Post.objects.filter(body__contains="prima").exists()
    assert not Post.objects.filter(body__contains="dopo").exists()
    assert group.moderation_actions.filter(
        action="member_remove", target_user=user
    ).exists()


def test_moderator_pages_are_closed_to_members(client, make_user):
    member = make_user()
    group = make_group()
    add_member(group, member)
    thread = make_thread(group, member)
    post = thread.posts.get()
    client.force_login(member)
    slug = group.slug

    for url in (
        f"/en/community/{slug}/moderation/",
        f"/en/community/{slug}/log/",
        f"/en/community/{slug}/{thread.pk}/move/",
        "/en/community/moderation/",
    ):
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url
    assert (
        client.post(
            f"/en/community/{slug}/{thread.pk}/moderate/", {"action": "lock"}
        ).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert (
        client.post(
            f"/en/community/posts/{post.pk}/moderate/", {"action": "hide"}
        ).status_code
        == HTTPStatus.FORBIDDEN
    )
