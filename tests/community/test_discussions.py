from datetime import UTC, datetime
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import ValidationError

from community import selectors, services
from community.models import Flag, ModerationAction, Post, Thread
from portal.forbidden import Forbidden
from portal.ratelimit import services as ratelimit_services
from tests.community.factories import add_member, make_group, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    group = make_group(name="Operatori CPI")
    moderator = make_user("mod@example.org", first_name="Marta", last_name="Neri")
    member = make_user("membro@example.org", first_name="Paolo", last_name="Gialli")
    add_member(group, moderator, role="moderator")
    add_member(group, member)
    return group, moderator, member


def test_reply_updates_counters_and_last_post(people):
    group, moderator, member = people
    thread = make_thread(group, moderator)

    post = services.post_create(author=member, thread=thread, body="Risposta")

    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert thread.last_post == post
    assert thread.last_post_author == member
    assert thread.last_post_at == post.created_at


def test_reply_through_the_page_and_quote(client, people):
    group, moderator, member = people
    thread = make_thread(group, moderator, body="Domanda originale")
    first = thread.posts.get()
    client.force_login(member)

    form = client.get(f"/en/community/{group.slug}/{thread.pk}/reply/?quote={first.pk}")
    assert "Domanda originale" in form.content.decode()
    response = client.post(
        f"/en/community/{group.slug}/{thread.pk}/reply/",
        {"body": "La mia risposta", "quote": first.pk},
    )

    reply = Post.objects.get(body__contains="La mia risposta")
    assert response.status_code == HTTPStatus.FOUND
    assert reply.quoted == first
    assert reply.body.startswith("<blockquote>")
    assert "Domanda originale" in reply.body
    page = client.get(response["Location"], follow=True).content.decode()
    assert "La mia risposta" in page


def test_post_over_the_length_limit_is_refused_with_a_message(client, people):
    group, moderator, member = people
    thread = make_thread(group, moderator)
    client.force_login(member)

    response = client.post(
        f"/en/community/{group.slug}/{thread.pk}/reply/", {"body": "a" * 50_001}
    )

    assert response.status_code == HTTPStatus.OK
    assert "The text is too long: 50001 characters" in response.content.decode()
    assert thread.posts.count() == 1
    services.post_create(author=member, thread=thread, body="a" * 50_000)


def test_more_than_ten_posts_a_minute_are_refused(client, people, monkeypatch):
    # One minute for every count: the limit's windows are fixed minutes, and a
    # test crossing into the next one would start counting again.
    minute = datetime(2026, 12, 2, 10, 0, 30, tzinfo=UTC)
    monkeypatch.setattr(
        ratelimit_services, "timezone", SimpleNamespace(now=lambda: minute)
    )
    group, moderator, member = people
    thread = make_thread(group, moderator)
    for number in range(10):
        services.post_create(author=member, thread=thread, body=f"messaggio {number}")
    client.force_login(member)

    response = client.post(
        f"/en/community/{group.slug}/{thread.pk}/reply/", {"body": "undicesimo"}
    )

    assert "Wait a minute and try again" in response.content.decode()
    assert not Post.objects.filter(body__contains="undicesimo").exists()
    with pytest.raises(ValidationError):
        services.thread_create(author=member, group=group, title="t", body="b")
    # The limit is per user: others can still post.
    services.post_create(author=moderator, thread=thread, body="moderatore")


def test_empty_post_is_refused(people):
    group, moderator, _member = people
    with pytest.raises(ValidationError, match="Write some text"):
        services.thread_create(
            author=moderator, group=group, title="t", body="<script>x</script>"
        )


def test_edit_keeps_history_for_moderators(client, people):
    group, moderator, member = people
    thread = make_thread(group, member, body="Versione uno")
    post = thread.posts.get()
    client.force_login(member)

    client.post(f"/en/community/posts/{post.pk}/edit/", {"body": "Versione due"})

    post.refresh_from_db()
    assert "Versione due" in post.body
    assert post.edited_at is not None
    # The author may read their own history (tests/community/test_composer.py).
    assert client.get(f"/en/community/posts/{post.pk}/history/").status_code == 200
    client.force_login(moderator)
    history = client.get(f"/en/community/posts/{post.pk}/history/").content.decode()
    assert "Versione uno" in history and "Versione due" in history


def test_others_cannot_edit_but_moderators_can_and_are_logged(people, make_user):
    group, moderator, member = people
    other = make_user("altro@example.org")
    add_member(group, other)
    post = make_thread(group, member).posts.get()

    with pytest.raises(Exception, match="PermissionDenied|^$"):
        services.post_edit(editor=other, post=post, body="vandalismo")
    services.post_edit(editor=moderator, post=post, body="corretto")

    assert ModerationAction.objects.filter(action="post_edit", post=post).exists()


def test_soft_delete_hides_from_members_keeps_row_for_moderators(people):
    group, moderator, member = people
    thread = make_thread(group, moderator)
    reply = services.post_create(author=member, thread=thread, body="da cancellare")

    services.post_delete(actor=member, post=reply)

    assert Post.objects.filter(pk=reply.pk, is_deleted=True).exists()
    member_access = selectors.group_access(user=member, group=group)
    mod_access = selectors.group_access(user=moderator, group=group)
    assert reply not in selectors.post_list_visible(
        user=member, access=member_access, thread=thread
    )
    assert reply in selectors.post_list_visible(
        user=moderator, access=mod_access, thread=thread
    )
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_flag_queue_hide_and_restore(client, people, make_user):
    group, moderator, member = people
    staff = make_user("staff@example.org")
    staff.groups.add(AuthGroup.objects.get(name="Moderazione globale"))
    thread = make_thread(group, moderator)
    reply = services.post_create(author=moderator, thread=thread, body="offensivo")
    client.force_login(member)

    client.post(
        f"/en/community/posts/{reply.pk}/flag/",
        {"reason": "offensive", "comment": "tono aggressivo"},
    )
    flag = Flag.objects.get()
    assert flag.reporter == member

    client.force_login(moderator)
    queue = client.get(f"/en/community/{group.slug}/moderation/").content.decode()
    assert "tono aggressivo" in queue
    client.force_login(staff)
    assert "tono aggressivo" in client.get("/en/community/moderation/").content.decode()

    services.post_moderate(actor=moderator, post=reply, action="hide")
    flag.refresh_from_db()
    assert flag.resolved_by == moderator
    client.force_login(member)
    assert "offensivo" not in client.get(thread.get_absolute_url()).content.decode()

    services.post_moderate(actor=moderator, post=reply, action="restore")
    assert "offensivo" in client.get(thread.get_absolute_url()).content.decode()
    actions = list(
        ModerationAction.objects.filter(group=group).values_list("action", flat=True)
    )
    assert {"post_hide", "post_restore"} <= set(actions)


@pytest.mark.parametrize("action", ["lock", "pin", "delete"])
def test_thread_moderation_is_applied_and_logged(client, people, action):
    group, moderator, member = people
    thread = make_thread(group, member)
    client.force_login(moderator)

    client.post(f"/en/community/{group.slug}/{thread.pk}/moderate/", {"action": action})

    thread.refresh_from_db()
    field = {"lock": "is_locked", "pin": "is_pinned", "delete": "is_deleted"}[action]
    assert getattr(thread, field)
    assert ModerationAction.objects.get(thread=thread).action == f"thread_{action}"


def test_locked_thread_refuses_replies_from_members(people):
    group, moderator, member = people
    thread = make_thread(group, moderator)
    services.thread_moderate(actor=moderator, thread=thread, action="lock")

    with pytest.raises(ValidationError, match="locked"):
        services.post_create(author=member, thread=thread, body="ancora")
    services.post_create(author=moderator, thread=thread, body="nota del moderatore")


def test_pinned_threads_come_first(people):
    group, moderator, member = people
    old = make_thread(group, member, title="Vecchia")
    make_thread(group, member, title="Nuova")
    services.thread_moderate(actor=moderator, thread=old, action="pin")
    access = selectors.group_access(user=member, group=group)

    titles = [
        t.title for t in selectors.thread_list_visible(user=member, access=access)
    ]

    assert titles == ["Vecchia", "Nuova"]


def test_move_needs_moderation_rights_in_both_groups(client, people):
    group, moderator, member = people
    target = make_group(name="Destinazione")
    thread = make_thread(group, member)
    with pytest.raises(Forbidden, match="moderators"):
        services.thread_move(actor=moderator, thread=thread, to_group=target)
    add_member(target, moderator, role="moderator")
    client.force_login(moderator)

    client.post(f"/en/community/{group.slug}/{thread.pk}/move/", {"group": target.pk})

    thread.refresh_from_db()
    assert thread.group == target
    assert ModerationAction.objects.filter(action="thread_move").count() == 2


def test_premoderation_of_a_new_members_first_posts(client, people, make_user):
    group, moderator, member = people
    group.premoderated_posts = 1
    group.save()
    newcomer = make_user("nuovo@example.org")
    add_member(group, newcomer)
    thread = make_thread(group, moderator)

    pending = services.post_create(author=newcomer, thread=thread, body="primo post")

    assert pending.status == "pending"
    thread.refresh_from_db()
    assert thread.reply_count == 0
    client.force_login(member)
    assert "primo post" not in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(newcomer)
    assert "primo post" in client.get(thread.get_absolute_url()).content.decode()

    services.post_moderate(actor=moderator, post=pending, action="approve")
    second = services.post_create(author=newcomer, thread=thread, body="secondo")

    assert second.status == "published"
    thread.refresh_from_db()
    assert thread.reply_count == 2


def test_unread_tracking_and_mark_all_read(client, people):
    group, moderator, member = people
    thread = make_thread(group, moderator, title="Da leggere")
    client.force_login(member)
    client.get(thread.get_absolute_url())
    services.post_create(author=moderator, thread=thread, body="novità")
    make_thread(group, moderator, title="Mai vista")

    page = client.get(group.get_absolute_url()).content.decode()
    assert page.count('data-testid="unread"') == 2

    client.get(thread.get_absolute_url())
    page = client.get(group.get_absolute_url()).content.decode()
    assert page.count('data-testid="unread"') == 1

    client.post(f"/en/community/{group.slug}/read/")
    page = client.get(group.get_absolute_url()).content.decode()
    assert 'data-testid="unread"' not in page


def test_post_goto_finds_the_right_page(client, people, settings):
    settings.COMMUNITY_POSTS_PER_PAGE = 2
    settings.COMMUNITY_RATE_LIMIT_POSTS = 0
    group, moderator, member = people
    thread = make_thread(group, moderator)
    posts = [
        services.post_create(author=member, thread=thread, body=f"n {i}")
        for i in range(4)
    ]

    response = client.get(f"/en/community/posts/{posts[-1].pk}/")

    assert response["Location"].endswith(f"?page=3#post-{posts[-1].pk}")
    assert Thread.objects.get(pk=thread.pk).reply_count == 4


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"]
)
def test_moderation_redirects_stay_on_the_site(client, people, next_url):
    group, moderator, member = people
    post = make_thread(group, member).posts.get()
    client.force_login(moderator)

    response = client.post(
        f"/en/community/posts/{post.pk}/moderate/",
        {"action": "hide", "reason": "Fuori tema", "next": next_url},
    )

    assert "evil.example" not in response["Location"]
