"""Moderation events reach the people concerned, on the site and by email, each in
their own language; old thread addresses redirect; the log names people."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import emails, selectors, services
from community.models import (
    CommunityProfile,
    Group,
    GroupMembership,
    ModerationAction,
    Notification,
    Post,
)
from tests.community.factories import add_member, make_group, make_thread

pytestmark = pytest.mark.django_db

BASE = "https://esploralavoro.example"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def people(make_user):
    group = make_group(
        name="Rete CPI", slug="rete-cpi", visibility=Group.Visibility.MODERATED
    )
    mod_it = make_user("mod.it@example.org", first_name="Marta", last_name="Neri")
    mod_en = make_user(
        "mod.en@example.org", first_name="Mark", last_name="Black", language="en"
    )
    author = make_user("autore@example.org", first_name="Anna", last_name="Ferri")
    reader = make_user("lettore@example.org", first_name="Luca", last_name="Bassi")
    bystander = make_user("altro@example.org")
    add_member(group, mod_it, role="moderator")
    add_member(group, mod_en, role="moderator")
    add_member(group, author)
    add_member(group, reader)
    thread = make_thread(group, author, title="Aggiornamento kit")
    return {
        "group": group,
        "mod_it": mod_it,
        "mod_en": mod_en,
        "author": author,
        "reader": reader,
        "bystander": bystander,
        "thread": thread,
        "post": thread.posts.get(),
    }


def _sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _recipients(kind):
    return set(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__email", flat=True
        )
    )


# --- Flags and join requests ----------------------------------------------------


def test_flag_notifies_the_groups_moderators_only_in_their_language(people, on_commit):
    mail.outbox.clear()
    with on_commit(execute=True):
        services.flag_create(
            reporter=people["reader"], post=people["post"], reason="spam"
        )

    assert _recipients(Notification.Kind.FLAG) == {
        "mod.it@example.org",
        "mod.en@example.org",
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mod.en@example.org",
        "mod.it@example.org",
    ]
    italian = _sent_to("mod.it@example.org")[0]
    assert "Spam o pubblicità" in italian.body
    assert "Interrompi queste email:" in italian.body
    assert "rete-cpi" in italian.body and f"{BASE}/" in italian.body
    english = _sent_to("mod.en@example.org")[0]
    assert "Spam or advertising" in english.body
    assert "A post was reported in Rete CPI" in english.subject
    assert f"{BASE}/en/community/rete-cpi/moderation/" in english.body
    assert "Stop these emails:" in english.body
    assert "127.0.0.1" not in italian.body + english.body
    assert f"{BASE}/comunita/rete-cpi/moderazione/" in italian.body


def test_flag_in_a_group_without_moderators_goes_to_global_moderators(
    make_user, on_commit
):
    group = make_group(name="Senza moderatori")
    author = make_user("a@example.org")
    reporter = make_user("r@example.org")
    add_member(group, author)
    make_user("root@example.org", is_superuser=True, is_staff=True)
    global_mod = make_user("globale@example.org")
    global_mod.user_permissions.add(
        Permission.objects.get(codename="moderate_all_groups")
    )
    make_user("nessuno@example.org")
    post = make_thread(group, author).posts.get()

    with on_commit(execute=True):
        services.flag_create(reporter=reporter, post=post, reason="off_topic")

    assert _recipients(Notification.Kind.FLAG) == {
        "root@example.org",
        "globale@example.org",
    }


def test_a_moderator_who_flags_is_not_told_about_their_own_flag(people, on_commit):
    with on_commit(execute=True):
        services.flag_create(
            reporter=people["mod_it"], post=people["post"], reason="spam"
        )
    assert _recipients(Notification.Kind.FLAG) == {"mod.en@example.org"}


def test_join_request_notifies_moderators_with_a_link_to_the_members_page(
    people, on_commit
):
    mail.outbox.clear()
    with on_commit(execute=True):
        membership = services.group_join(
            user=people["bystander"], group=people["group"]
        )
    assert membership.status == GroupMembership.Status.PENDING
    assert _recipients(Notification.Kind.JOIN_REQUEST) == {
        "mod.it@example.org",
        "mod.en@example.org",
    }
    english = _sent_to("mod.en@example.org")[0]
    assert f"{BASE}/en/community/rete-cpi/members/" in english.body
    assert "asks to join Rete CPI" in english.subject
    # The moderator is told who asks: the name, else the address (never
    # "Member 12", which says nothing to someone who must decide).
    assert "altro@example.org asks to join" in english.subject
    assert _sent_to("altro@example.org") == []


def test_joining_an_open_group_notifies_nobody(make_user, on_commit):
    group = make_group()
    add_member(group, make_user("m@example.org"), role="moderator")
    with on_commit(execute=True):
        services.group_join(user=make_user("x@example.org"), group=group)
    assert not Notification.objects.exists()


def test_flags_are_emailed_at_once_unless_emails_are_off(people, on_commit):
    CommunityProfile.objects.create(
        user=people["mod_it"],
        handle="marta",
        email_mode=CommunityProfile.EmailMode.DIGEST,
    )
    CommunityProfile.objects.create(
        user=people["mod_en"], handle="mark", email_mode=CommunityProfile.EmailMode.OFF
    )
    mail.outbox.clear()
    with on_commit(execute=True):
        services.flag_create(
            reporter=people["reader"], post=people["post"], reason="spam"
        )
    assert [m.to for m in mail.outbox] == [["mod.it@example.org"]]
    # Both still see it on the site.
    assert _recipients(Notification.Kind.FLAG) == {
        "mod.it@example.org",
        "mod.en@example.org",
    }


def test_a_request_approved_before_the_email_goes_out_is_not_emailed(people):
    services.group_join(user=people["bystander"], group=people["group"])
    notification = Notification.objects.filter(
        kind=Notification.Kind.JOIN_REQUEST, recipient=people["mod_en"]
    ).get()
    membership = GroupMembership.objects.get(user=people["bystander"])
    services.membership_approve(actor=people["mod_it"], membership=membership)
    mail.outbox.clear()
    assert emails.notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []


# --- Hide, restore, move: the author is told why --------------------------------


def test_hiding_a_reply_tells_its_author_the_reason_in_their_language(
    people, on_commit, client
):
    people["reader"].language = "en"
    people["reader"].save(update_fields=["language"])
    reply = services.post_create(
        author=people["reader"], thread=people["thread"], body="Compro oro"
    )
    mail.outbox.clear()
    client.force_login(people["mod_it"])
    with on_commit(execute=True):
        response = client.post(
            f"/en/community/posts/{reply.pk}/moderate/",
            {"action": "hide", "reason": "Pubblicità non richiesta"},
        )
    assert response.status_code == HTTPStatus.FOUND
    reply.refresh_from_db()
    assert reply.status == "hidden"
    log = ModerationAction.objects.get(action="post_hide")
    assert log.details == "Pubblicità non richiesta"
    notification = Notification.objects.get(kind=Notification.Kind.POST_HIDDEN)
    assert notification.recipient == people["reader"]
    assert notification.reason == "Pubblicità non richiesta"
    assert [m.to for m in mail.outbox] == [["lettore@example.org"]]
    message = mail.outbox[0]
    assert "was hidden by the moderators" in message.subject
    assert "Pubblicità non richiesta" in message.body
    assert f"{BASE}/en/community/rete-cpi/{people['thread'].pk}/" in message.body


def test_hide_without_a_reason_asks_for_one_and_changes_nothing(people, client):
    reply = services.post_create(
        author=people["reader"], thread=people["thread"], body="Testo"
    )
    client.force_login(people["mod_it"])
    url = f"/en/community/posts/{reply.pk}/moderate/"

    asked = client.post(url, {"action": "hide"})
    assert asked.status_code == HTTPStatus.OK
    assert b'data-testid="post-moderate-form"' in asked.content
    assert b"Give the author a reason." not in asked.content
    empty = client.post(url, {"action": "hide", "reason": "   "})
    assert empty.status_code == HTTPStatus.OK
    assert b"Give the author a reason." in empty.content

    reply.refresh_from_db()
    assert reply.status == "published"
    assert not Notification.objects.filter(kind=Notification.Kind.POST_HIDDEN)


def test_restore_asks_for_an_optional_reason(people, client, on_commit):
    reply = services.post_create(
        author=people["reader"], thread=people["thread"], body="Testo"
    )
    services.post_moderate(
        actor=people["mod_it"], post=reply, action="hide", reason="Verifica"
    )
    client.force_login(people["mod_it"])
    url = f"/en/community/posts/{reply.pk}/moderate/"

    asked = client.post(url, {"action": "restore"})
    assert b'data-testid="post-moderate-form"' in asked.content
    with on_commit(execute=True):
        done = client.post(url, {"action": "restore", "reason": ""})
    assert done.status_code == HTTPStatus.FOUND
    reply.refresh_from_db()
    assert reply.status == "published"
    restored = Notification.objects.get(kind=Notification.Kind.POST_RESTORED)
    assert restored.recipient == people["reader"] and restored.reason == ""


def test_members_cannot_moderate_nor_reach_the_reason_form(people, client):
    client.force_login(people["reader"])
    response = client.post(
        f"/en/community/posts/{people['post'].pk}/moderate/", {"action": "hide"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_hiding_and_restoring_the_first_post_is_about_the_thread(people, on_commit):
    with on_commit(execute=True):
        services.post_moderate(
            actor=people["mod_it"],
            post=people["post"],
            action="hide",
            reason="Dati personali",
        )
        services.post_moderate(
            actor=people["mod_it"], post=people["post"], action="restore"
        )
    kinds = list(
        Notification.objects.filter(recipient=people["author"])
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        Notification.Kind.THREAD_HIDDEN,
        Notification.Kind.THREAD_RESTORED,
    ]
    assert not Notification.objects.exclude(recipient=people["author"]).exists()


def test_a_moderator_hiding_their_own_post_is_not_notified(people):
    post = services.post_create(
        author=people["mod_it"], thread=people["thread"], body="Mio"
    )
    services.post_moderate(
        actor=people["mod_it"], post=post, action="hide", reason="Errore"
    )
    assert not Notification.objects.filter(kind=Notification.Kind.POST_HIDDEN)


def test_move_tells_the_author_and_the_old_url_redirects(
    people, on_commit, client, make_user
):
    target = make_group(name="Archivio", slug="archivio")
    add_member(target, people["mod_it"], role="moderator")
    thread = people["thread"]
    client.force_login(people["mod_it"])
    with on_commit(execute=True):
        response = client.post(
            f"/en/community/rete-cpi/{thread.pk}/move/",
            {"group": target.pk, "reason": "Argomento dell'archivio"},
        )
    assert response.status_code == HTTPStatus.FOUND
    notification = Notification.objects.get(kind=Notification.Kind.THREAD_MOVED)
    assert notification.recipient == people["author"]
    assert notification.group == target
    assert notification.reason == "Argomento dell'archivio"
    logged = ModerationAction.objects.filter(action="thread_move").first()
    assert "Argomento dell'archivio" in logged.details
    moved = _sent_to("autore@example.org")
    assert len(moved) == 1 and f"{BASE}/comunita/archivio/" in moved[0].body

    client.force_login(people["reader"])
    old = client.get(f"/en/community/rete-cpi/{thread.pk}/?page=2&x=1")
    assert old.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert old["Location"] == f"/en/community/archivio/{thread.pk}/?page=2&x=1"
    wrong = client.get(f"/en/community/nessuno/{thread.pk}/")
    assert wrong.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert wrong["Location"] == f"/en/community/archivio/{thread.pk}/"
    reply = client.get(f"/en/community/rete-cpi/{thread.pk}/reply/")
    assert reply.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert reply["Location"] == f"/en/community/archivio/{thread.pk}/reply/"
    posted = client.post(f"/en/community/rete-cpi/{thread.pk}/watch/", {"level": "x"})
    assert posted.status_code == HTTPStatus.PERMANENT_REDIRECT
    assert client.get(old["Location"]).status_code == HTTPStatus.OK


def test_old_url_of_a_thread_moved_to_a_private_group_is_404_for_outsiders(
    people, client
):
    private = make_group(
        name="Riservato", slug="riservato", visibility=Group.Visibility.PRIVATE
    )
    add_member(private, people["mod_it"], role="moderator")
    thread = people["thread"]
    services.thread_move(actor=people["mod_it"], thread=thread, to_group=private)
    # The author cannot read the private group: not told, not even its name.
    assert not Notification.objects.filter(kind=Notification.Kind.THREAD_MOVED)

    for visitor in (None, people["reader"]):
        if visitor:
            client.force_login(visitor)
        old = client.get(f"/en/community/rete-cpi/{thread.pk}/")
        assert old.status_code == HTTPStatus.NOT_FOUND
        assert client.get(f"/en/community/riservato/{thread.pk}/").status_code == (
            HTTPStatus.NOT_FOUND
        )
    client.force_login(people["mod_it"])
    assert (
        client.get(f"/en/community/rete-cpi/{thread.pk}/").status_code
        == HTTPStatus.MOVED_PERMANENTLY
    )


def test_missing_thread_under_any_slug_is_still_404(people, client):
    assert client.get("/en/community/rete-cpi/999999/").status_code == 404
    assert client.get("/en/community/nessuno/999999/").status_code == 404


# --- The author of a hidden thread is told why; others get 404 -------------------


def test_hidden_first_post_shows_its_author_a_notice_and_others_404(people, client):
    thread = people["thread"]
    services.post_moderate(
        actor=people["mod_it"],
        post=people["post"],
        action="hide",
        reason="Contiene dati personali",
    )
    url = f"/en/community/rete-cpi/{thread.pk}/"
    client.force_login(people["author"])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'data-testid="thread-hidden-notice"' in content
    assert "Contiene dati personali" in content
    assert "Primo messaggio" not in content
    # A wrong address of the hidden thread leads its author to the notice.
    assert client.get(f"/en/community/altro/{thread.pk}/")["Location"] == url

    for visitor in (people["reader"], people["bystander"]):
        client.force_login(visitor)
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        wrong = client.get(f"/en/community/altro/{thread.pk}/")
        assert wrong.status_code == HTTPStatus.NOT_FOUND
    client.logout()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(people["mod_en"])
    assert client.get(url).status_code == HTTPStatus.OK


def test_pending_first_post_tells_its_author_it_waits(make_user, client):
    group = make_group(slug="filtrato", premoderated_posts=1)
    author = make_user("nuovo@example.org")
    add_member(group, author)
    thread = make_thread(group, author)
    assert thread.status == "pending"
    client.force_login(author)
    response = client.get(f"/en/community/filtrato/{thread.pk}/")
    assert b'data-testid="thread-pending-notice"' in response.content
    client.force_login(make_user("altro@example.org"))
    assert client.get(f"/en/community/filtrato/{thread.pk}/").status_code == 404


# --- The notifications page and opening a notification ---------------------------


def test_notification_list_renders_every_kind(people, client, make_user):
    target = make_group(name="Archivio", slug="archivio")
    add_member(target, people["mod_it"], role="moderator")
    add_member(target, people["author"])
    services.flag_create(reporter=people["reader"], post=people["post"], reason="spam")
    services.group_join(user=people["bystander"], group=people["group"])
    reply = services.post_create(
        author=people["author"], thread=people["thread"], body="Due"
    )
    services.post_moderate(
        actor=people["mod_it"], post=reply, action="hide", reason="Doppio"
    )
    services.post_moderate(actor=people["mod_it"], post=reply, action="restore")
    services.thread_move(
        actor=people["mod_it"], thread=people["thread"], to_group=target, reason="Qui"
    )

    client.force_login(people["mod_en"])
    content = client.get("/en/community/notifications/").content.decode()
    assert 'data-testid="notification-flag"' in content
    assert "reason: Spam or advertising" in content
    assert 'data-testid="notification-join_request"' in content

    client.force_login(people["author"])
    page = client.get("/en/community/notifications/")
    content = page.content.decode()
    for kind in ("post_hidden", "post_restored", "thread_moved"):
        assert f'data-testid="notification-{kind}"' in content
    assert "reason: Doppio" in content
    # the Italian names are marked as Italian inside the English sentence
    assert (
        '“<span lang="it">Aggiornamento kit</span>” is now in '
        '<span lang="it">Archivio</span>' in content
    )

    moved = Notification.objects.get(kind=Notification.Kind.THREAD_MOVED)
    opened = client.get(f"/en/community/notifications/{moved.pk}/")
    assert opened["Location"] == f"/en/community/archivio/{people['thread'].pk}/"
    restored = Notification.objects.get(kind=Notification.Kind.POST_RESTORED)
    opened = client.get(f"/en/community/notifications/{restored.pk}/")
    assert opened["Location"] == f"/en/community/posts/{reply.pk}/"


def test_someone_elses_notification_cannot_be_opened(people, client):
    services.flag_create(reporter=people["reader"], post=people["post"], reason="spam")
    notification = Notification.objects.filter(kind="flag").first()
    client.force_login(people["reader"])
    response = client.get(f"/en/community/notifications/{notification.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_moderator_removed_from_a_private_group_no_longer_sees_its_flags(
    make_user,
):
    group = make_group(visibility=Group.Visibility.PRIVATE)
    moderator = make_user("m@example.org")
    author = make_user("a@example.org")
    add_member(group, moderator, role="moderator")
    add_member(group, author)
    services.flag_create(
        reporter=author, post=make_thread(group, author).posts.get(), reason="spam"
    )
    assert selectors.notification_list(user=moderator).count() == 1
    GroupMembership.objects.filter(user=moderator).delete()
    assert selectors.notification_list(user=moderator).count() == 0


# --- The review badge -----------------------------------------------------------


def _review_badge(client) -> str:
    content = client.get("/en/community/notifications/").content.decode()
    start = content.find('data-testid="review-count">')
    if start < 0:
        return ""
    return content[start:].split(">", 1)[1].split("<", 1)[0]


def test_review_badge_counts_what_waits_in_the_groups_one_moderates(
    people, client, make_user
):
    other = make_group(name="Altro gruppo", visibility=Group.Visibility.MODERATED)
    other_author = make_user("x@example.org")
    add_member(other, other_author)
    add_member(other, make_user("y@example.org"), role="moderator")
    services.flag_create(
        reporter=other_author,
        post=make_thread(other, other_author).posts.get(),
        reason="spam",
    )
    services.group_join(user=make_user("z@example.org"), group=other)

    client.force_login(people["mod_it"])
    assert (
        'data-testid="review-link"'
        in client.get("/en/community/notifications/").content.decode()
    )
    assert _review_badge(client) == ""

    services.flag_create(reporter=people["reader"], post=people["post"], reason="spam")
    services.group_join(user=people["bystander"], group=people["group"])
    Post.objects.filter(pk=people["post"].pk).update(status="pending")
    assert _review_badge(client) == "3"
    assert selectors.badges(user=people["mod_it"]).review == 3
    queue = client.get("/en/community/moderation/").content.decode()
    assert queue.count('data-testid="flag"') == 1
    assert queue.count('data-testid="join-request"') == 1

    client.force_login(people["reader"])
    content = client.get("/en/community/notifications/").content.decode()
    assert 'data-testid="review-link"' not in content
    assert client.get("/en/community/moderation/").status_code == 403

    superuser = make_user("root@example.org", is_superuser=True, is_staff=True)
    # Everything, everywhere: 2 flags, 2 join requests, 1 pending post.
    assert selectors.badges(user=superuser).review == 5


def test_badges_take_one_query_whatever_the_number_of_groups(
    make_user, django_assert_num_queries
):
    moderator = make_user("m@example.org")
    author = make_user("a@example.org")
    for count in (1, 8):
        while GroupMembership.objects.filter(user=moderator).count() < count:
            group = make_group(visibility=Group.Visibility.MODERATED)
            add_member(group, moderator, role="moderator")
            add_member(group, author)
            services.flag_create(
                reporter=author,
                post=make_thread(group, author).posts.get(),
                reason="spam",
            )
        moderator = type(moderator).objects.get(pk=moderator.pk)
        moderator.has_perm("community.moderate_all_groups")  # permission cache
        with django_assert_num_queries(1):
            badges = selectors.badges(user=moderator)
        assert badges.review == count


def test_community_pages_do_not_get_slower_with_the_badge(people, client):
    client.force_login(people["mod_it"])
    url = f"/en/community/rete-cpi/{people['thread'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(5):
        services.flag_create(
            reporter=people["reader"],
            post=services.post_create(
                author=people["author"], thread=people["thread"], body="x"
            ),
            reason="spam",
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# --- The moderation log names people --------------------------------------------


def test_moderation_log_names_people_and_explains_every_row(people, client, make_user):
    nameless = make_user("senza.nome@example.org")
    services.profile_get_or_create(user=nameless)
    group = people["group"]
    add_member(group, nameless)
    services.member_ban(
        actor=people["mod_it"], group=group, user=nameless, reason="Spam ripetuto"
    )
    services.member_set_role(
        actor=people["mod_it"], group=group, user=people["reader"], role="moderator"
    )
    flag = services.flag_create(
        reporter=people["reader"], post=people["post"], reason="off_topic"
    )
    services.flag_dismiss(actor=people["mod_it"], flag=flag)
    services.post_moderate(
        actor=people["mod_it"], post=people["post"], action="hide", reason="Motivo"
    )

    client.force_login(people["mod_en"])
    content = client.get("/en/community/rete-cpi/log/").content.decode()
    handle = nameless.community_profile.handle
    assert f"@{handle}" in content
    assert f"#member-{nameless.pk}" in content or f"/{handle}/" in content
    assert "Reason: Spam ripetuto" in content
    assert "New role: Moderator" in content
    assert "Reason: Off topic" in content
    assert "Reason: Motivo" in content
    assert "Aggiornamento kit" in content
    assert "Marta Neri" in content

    # Someone without a name nor a community profile: moderators read the address.
    anonymous = make_user("anonimo@example.org")
    add_member(group, anonymous)
    services.member_remove(actor=people["mod_it"], group=group, user=anonymous)
    content = client.get("/en/community/rete-cpi/log/").content.decode()
    assert "(anonimo@example.org)" in content


def test_every_email_subject_has_its_italian(db):
    from django.utils import translation

    for kind, subject in emails.SUBJECTS.items():
        with translation.override("en"):
            english = str(subject)
        with translation.override("it"):
            italian = str(subject)
        assert italian != english, kind
