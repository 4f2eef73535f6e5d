import pytest
from django.core import mail
from django.core.management import call_command

from community import emails, services
from community.models import CommunityProfile, Group, Notification
from tests.community.factories import add_member, make_group, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Notifications go out after the commit: run those callbacks in tests."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def setup(make_user):
    group = make_group(name="Rete Sportelli")
    author = make_user("autore@example.org", first_name="Anna", last_name="Ferri")
    reader = make_user("lettore@example.org", first_name="Luca", last_name="Bassi")
    add_member(group, author)
    add_member(group, reader)
    thread = make_thread(group, author, title="Aggiornamento kit")
    return group, author, reader, thread


def test_reply_to_a_watched_thread_emails_the_watcher_with_unsubscribe(
    setup, on_commit
):
    group, author, reader, thread = setup
    mail.outbox.clear()

    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="Installato, tutto ok")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["autore@example.org"]
    assert "Aggiornamento kit" in message.subject
    assert "Installato, tutto ok" in message.body
    assert "https://esploralavoro.example/" in message.body
    assert "/unsubscribe/" in message.body or "/disiscrizione/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://")
    assert Notification.objects.get(recipient=author).kind == "reply"


def test_group_watchers_hear_of_new_threads_and_muted_threads_stay_silent(
    setup, on_commit
):
    group, author, reader, thread = setup
    services.watch_set(user=reader, group=group, level="watching")
    mail.outbox.clear()

    with on_commit(execute=True):
        make_thread(group, author, title="Nuova discussione")
    assert [m.to for m in mail.outbox] == [["lettore@example.org"]]

    services.watch_set(user=author, thread=thread, level="muted")
    mail.outbox.clear()
    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="silenzio")
    assert mail.outbox == []


def test_mentions_notify_only_people_who_may_read(make_user, on_commit):
    group = make_group(Group.Visibility.PRIVATE)
    author = make_user("autore@example.org")
    insider = make_user("interno@example.org", first_name="Ida", last_name="Rossi")
    outsider = make_user("esterno@example.org", first_name="Ugo", last_name="Verdi")
    add_member(group, author)
    add_member(group, insider)
    insider_handle = services.profile_get_or_create(user=insider).handle
    outsider_handle = services.profile_get_or_create(user=outsider).handle
    mail.outbox.clear()

    with on_commit(execute=True):
        make_thread(
            group, author, body=f"Ciao @{insider_handle} e @{outsider_handle}, leggete"
        )

    assert [m.to for m in mail.outbox] == [["interno@example.org"]]
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert Notification.objects.get(recipient=insider).kind == "mention"


def test_email_is_not_sent_if_access_was_lost_before_sending(setup, on_commit):
    group, author, reader, thread = setup
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    with on_commit(execute=True):
        post = services.post_create(author=reader, thread=thread, body="risposta")
    notification = Notification.objects.get(recipient=author, post=post)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    group.memberships.filter(user=author).delete()
    mail.outbox.clear()

    assert emails.notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []
    assert not emails.digest_send(user=author)


def test_hidden_posts_are_not_emailed_nor_listed(setup, make_user, on_commit):
    group, author, reader, thread = setup
    moderator = make_user("mod@example.org")
    add_member(group, moderator, role="moderator")
    group.premoderated_posts = 5
    group.save()
    mail.outbox.clear()

    pending = services.post_create(author=reader, thread=thread, body="in attesa")

    assert mail.outbox == []
    with on_commit(execute=True):
        services.post_moderate(actor=moderator, post=pending, action="approve")
    assert [m.to for m in mail.outbox] == [["autore@example.org"]]
    services.post_moderate(actor=moderator, post=pending, action="hide")
    from community import selectors

    assert not selectors.notification_list(user=author).exists()


def test_daily_digest_instead_of_immediate_emails(setup, on_commit, commit_hooks):
    group, author, reader, thread = setup
    services.profile_update(
        user=author, handle="anna", email_mode=CommunityProfile.EmailMode.DIGEST
    )
    mail.outbox.clear()
    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="uno")
    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="due")
    assert mail.outbox == []

    call_command("community_digest")

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["autore@example.org"]
    assert digest.body.count("Aggiornamento kit") == 2
    assert "List-Unsubscribe" in digest.extra_headers
    call_command("community_digest")
    assert len(mail.outbox) == 1  # nothing new: no second digest


def test_unsubscribe_link_needs_a_post_and_a_valid_token(client, setup, on_commit):
    group, author, reader, thread = setup
    url = emails.unsubscribe_url(user=author).removeprefix(
        "https://esploralavoro.example"
    )

    assert client.get(url).status_code == 200
    assert not CommunityProfile.objects.filter(user=author, email_mode="off").exists()
    client.post(url)
    assert CommunityProfile.objects.get(user=author).email_mode == "off"
    assert client.post(url.rstrip("/") + "x/").status_code == 400

    mail.outbox.clear()
    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="nessuna email")
    assert mail.outbox == []


def test_notification_list_unread_count_and_mark_read(client, setup, on_commit):
    group, author, reader, thread = setup
    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="uno")
    with on_commit(execute=True):
        services.post_create(author=reader, thread=thread, body="due")
    client.force_login(author)

    page = client.get("/en/community/notifications/").content.decode()
    assert 'data-testid="unread-count">2' in page
    client.post("/en/community/notifications/read/")
    page = client.get("/en/community/notifications/").content.decode()
    assert 'data-testid="unread-count"' not in page
    assert page.count("Aggiornamento kit") >= 2


def test_one_click_unsubscribe_works_without_a_csrf_token(setup):
    from django.test import Client

    group, author, reader, thread = setup
    url = emails.unsubscribe_url(user=author).removeprefix(
        "https://esploralavoro.example"
    )

    response = Client(enforce_csrf_checks=True).post(
        url, {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert CommunityProfile.objects.get(user=author).email_mode == "off"
