from http import HTTPStatus

import pytest

from community.models import CommunityProfile, Group, GroupMembership
from tests.community.factories import add_member, make_group

pytestmark = pytest.mark.django_db


def test_staff_manage_groups_and_members_in_the_wagtail_admin(client, make_user):
    admin = make_user("admin@example.org", is_staff=True, is_superuser=True)
    member = make_user("membro@example.org")
    client.force_login(admin)

    assert client.get("/admin/snippets/community/group/").status_code == 200
    response = client.post(
        "/admin/snippets/community/group/add/",
        {
            "name": "Tavolo provinciale",
            "slug": "tavolo-provinciale",
            "description": "Riservato",
            "visibility": "private",
            "premoderated_posts": "0",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": str(member.pk),
            "memberships-0-role": "moderator",
            "memberships-0-status": "active",
            "memberships-0-ban_reason": "",
            "memberships-0-ORDER": "1",
        },
    )

    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    group = Group.objects.get(slug="tavolo-provinciale")
    assert group.visibility == "private"
    assert GroupMembership.objects.get(group=group, user=member).role == "moderator"


@pytest.mark.parametrize("slug", ["notifications", "moderazione", "posts"])
def test_reserved_slugs_are_refused(slug):
    group = Group(name="x", slug=slug)
    with pytest.raises(Exception, match="reserved"):
        group.full_clean()


def test_preferences_set_handle_and_email_mode(client, make_user):
    user = make_user()
    other = make_user("altra@example.org")
    CommunityProfile.objects.create(user=other, handle="presa")
    client.force_login(user)

    page = client.get("/en/community/settings/").content.decode()
    assert 'name="handle"' in page
    taken = client.post(
        "/en/community/settings/", {"handle": "presa", "email_mode": "digest"}
    )
    assert taken.status_code == HTTPStatus.OK
    assert "already exists" in taken.content.decode()
    client.post("/en/community/settings/", {"handle": "giulia", "email_mode": "digest"})

    profile = CommunityProfile.objects.get(user=user)
    assert (profile.handle, profile.email_mode) == ("giulia", "digest")


def test_join_and_leave_through_the_pages(client, make_user):
    user = make_user()
    group = make_group("moderated", name="Rete")
    client.force_login(user)

    page = client.get(group.get_absolute_url()).content.decode()
    assert "Ask to join" in page
    client.post(f"/en/community/{group.slug}/join/", follow=True)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "waiting for a moderator" in page
    assert GroupMembership.objects.get(user=user).status == "pending"


def test_member_can_start_a_thread_with_an_h1_and_labelled_fields(client, make_user):
    user = make_user()
    group = make_group()
    add_member(group, user)
    client.force_login(user)

    form = client.get(f"/en/community/{group.slug}/new/").content.decode()
    assert form.count("<h1") == 1
    assert 'for="id_title"' in form and 'for="id_body"' in form
    response = client.post(
        f"/en/community/{group.slug}/new/",
        {"title": "Buone pratiche", "body": "Vi racconto la nostra esperienza"},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert "Vi racconto la nostra esperienza" in response.content.decode()


def test_bad_page_numbers_do_not_fail(client, make_user):
    group = make_group()
    for page in ("abc", "-1", "99999"):
        response = client.get(f"{group.get_absolute_url()}?page={page}")
        assert response.status_code == HTTPStatus.OK


def test_group_feed_lists_threads_and_private_groups_have_none(client, make_user):
    user = make_user("senza.nome@example.org")
    public = make_group(name="Pubblico")
    private = make_group("private", name="Riservato")
    for group in (public, private):
        add_member(group, user)
    from tests.community.factories import make_thread

    make_thread(public, user, title="Discussione pubblica")
    make_thread(private, user, title="Discussione riservata")

    feed = client.get(f"/en/community/{public.slug}/feed/")
    assert feed.status_code == HTTPStatus.OK
    assert "Discussione pubblica" in feed.content.decode()
    assert "senza.nome@example.org" not in feed.content.decode()
    client.force_login(user)  # even a member's session does not open the feed
    assert client.get(f"/en/community/{private.slug}/feed/").status_code == 404


def test_public_pages_never_show_email_addresses(client, make_user):
    user = make_user("senza.nome@example.org")
    group = make_group()
    add_member(group, user)
    from tests.community.factories import make_thread

    thread = make_thread(group, user, title="Chi scrive?")

    for url in (
        group.get_absolute_url(),
        thread.get_absolute_url(),
        f"/en/community/{group.slug}/members/",
    ):
        assert "senza.nome@example.org" not in client.get(url).content.decode()
