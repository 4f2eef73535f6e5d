"""Sending an issue through a real SMTP server (aiosmtpd on a loopback port):
one delivery per subscriber, exactly once, in their language, resumable."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from portal.newsletters import selectors, services, smtp
from portal.newsletters.models import Delivery, Dispatch, Subscriber

from .factories import issue_with_pulled_pages, make_subscribers, translate_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(tree, archive):
    return issue_with_pulled_pages(tree.home, archive)


def _recipients(server) -> list[str]:
    return sorted(address for m in server.handler.messages for address in m.recipients)


def _send(issue):
    dispatch, created = services.issue_send(issue=issue, enqueue=False)
    assert created
    return dispatch, services.dispatch_run(dispatch_id=dispatch.pk)


def test_every_subscriber_gets_one_message_with_unsubscribe_headers(issue, smtp_server):
    subscribers = make_subscribers(5)
    make_subscribers(2, status=Subscriber.Status.PENDING, prefix="attesa")
    make_subscribers(1, status=Subscriber.Status.UNSUBSCRIBED, prefix="uscito")
    dispatch, result = _send(issue)
    assert result.sent == 5 and result.failed == 0
    assert _recipients(smtp_server) == sorted(s.email for s in subscribers)
    stats = selectors.dispatch_stats(dispatch=dispatch)
    assert (stats["sent"], stats["failed"], stats["total"]) == (5, 0, 5)
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DONE
    message = smtp_server.handler.parsed()[0]
    subscriber = Subscriber.objects.get(email=message["To"])
    assert message["List-Unsubscribe"].strip() == (
        f"<http://localhost/newsletter/iscrizione/cancella/{subscriber.key}/>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith(f"<newsletter.{dispatch.pk}.")
    assert message["Subject"] == "Lavoro Informa n. 1"
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert 'role="presentation"' in html and 'style="' in html
    assert "Collocamento mirato ICF" in html and "Collocamento mirato ICF" in text
    assert str(subscriber.key) in html and str(subscriber.key) in text
    assert "__EL_" not in html + text


def test_subscribers_receive_their_language_where_it_exists(issue, smtp_server):
    translate_issue(issue)
    make_subscribers(2, language="it", prefix="it")
    make_subscribers(3, language="en", prefix="en")
    _send(issue)
    by_language = {}
    for message in smtp_server.handler.parsed():
        by_language.setdefault(message["Content-Language"], []).append(message)
    assert len(by_language["it"]) == 2 and len(by_language["en"]) == 3
    assert all(m["Subject"] == "Lavoro Informa no. 1" for m in by_language["en"])
    assert all("/en/" in m["List-Unsubscribe"] for m in by_language["en"])


def test_language_without_translation_falls_back_to_the_issue(issue, smtp_server):
    make_subscribers(1, language="en")
    _send(issue)
    (message,) = smtp_server.handler.parsed()
    assert message["Content-Language"] == "it"


def test_pressing_send_twice_sends_once(issue, smtp_server):
    make_subscribers(3)
    first, created = services.issue_send(issue=issue, enqueue=False)
    second, created_again = services.issue_send(issue=issue, enqueue=False)
    assert created and not created_again and first.pk == second.pk
    assert Delivery.objects.count() == 3
    services.dispatch_run(dispatch_id=first.pk)
    again = services.dispatch_run(dispatch_id=first.pk, resume=True)
    assert again.sent == 0
    assert len(smtp_server.handler.messages) == 3


def test_admin_send_twice_through_the_views(
    issue, smtp_server, admin_client, django_capture_on_commit_callbacks
):
    make_subscribers(2)
    from django.urls import reverse

    url = reverse("newsletters_admin:send", args=[issue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url).status_code == 302
        assert admin_client.post(url).status_code == 302
    assert Dispatch.objects.count() == 1
    assert len(smtp_server.handler.messages) == 2
    report = admin_client.get(reverse("newsletters_admin:report", args=[issue.pk]))
    assert "Inviati" in report.text
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    assert "Inviati: 2 · non riusciti: 0" in edit.text


def test_a_dead_workers_deliveries_are_sent_on_resume_and_nothing_twice(
    issue, smtp_server
):
    make_subscribers(10)
    dispatch, _ = services.issue_send(issue=issue, enqueue=False)
    # A worker claimed the first four, sent two, then died.
    rows = list(Delivery.objects.order_by("pk"))
    dead = uuid.uuid4()
    claimed_at = timezone.now() - dt.timedelta(seconds=5)
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:4]]).update(
        status=Delivery.Status.SENDING, claim=dead, claimed_at=claimed_at
    )
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(
        status=Delivery.Status.SENT, sent_at=claimed_at
    )
    # An ordinary run leaves the held rows to their (living?) worker...
    first = services.dispatch_run(dispatch_id=dispatch.pk)
    assert first.sent == 6
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 2
    # ...resuming takes them over.
    second = services.dispatch_run(dispatch_id=dispatch.pk, resume=True)
    assert second.sent == 2
    received = _recipients(smtp_server)
    assert (
        len(received) == len(set(received)) == 8
    )  # the two sent before are not resent
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DONE


def test_a_worker_that_lost_its_claim_does_not_send(issue, smtp_server):
    make_subscribers(1)
    dispatch, _ = services.issue_send(issue=issue, enqueue=False)
    delivery = Delivery.objects.get()
    transport = smtp.SmtpTransport.from_settings()
    with transport, pytest.raises(smtp.NotOwned):
        transport.send(
            sender="noreply@example.org",
            recipient=delivery.subscriber.email,
            message=b"Subject: x\r\n\r\nbody\r\n",
            handover=lambda: False,
        )
    assert smtp_server.handler.messages == []


def test_refused_recipient_is_failed_with_the_reason_and_not_retried(
    issue, smtp_server
):
    make_subscribers(3)
    smtp_server.handler.refuse.add("iscritto1@example.org")
    dispatch, result = _send(issue)
    assert (result.sent, result.failed) == (2, 1)
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == "iscritto1@example.org"
    assert "550" in failed.error and "No such mailbox" in failed.error
    assert failed.next_attempt_at is None
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DONE


def test_server_refusing_the_sender_stops_the_run_without_giving_up(
    issue, smtp_server, settings
):
    make_subscribers(6)
    settings.NEWSLETTER_MAX_CONSECUTIVE_FAILURES = 3
    smtp_server.handler.refuse_sender = "554 5.7.1 Sender rejected by policy"
    dispatch, result = _send(issue)
    assert result.sent == 0 and "554" in result.stopped
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    assert failed.count() == 3
    assert all(d.next_attempt_at is not None for d in failed)  # will retry
    assert Delivery.objects.filter(status=Delivery.Status.QUEUED).count() == 3
    smtp_server.handler.refuse_sender = ""
    services.dispatch_resume(dispatch=dispatch)
    services.dispatch_run(dispatch_id=dispatch.pk)
    assert selectors.dispatch_stats(dispatch=dispatch)["sent"] == 6


def test_server_down_marks_failed_then_resume_delivers_everything(
    issue, smtp_server, settings
):
    make_subscribers(4)
    settings.NEWSLETTER_MAX_CONSECUTIVE_FAILURES = 2
    port = settings.EMAIL_PORT
    smtp_server.stop()
    dispatch, result = _send(issue)
    assert result.sent == 0 and result.stopped
    failed = list(Delivery.objects.filter(status=Delivery.Status.FAILED))
    assert len(failed) == 2
    assert all("Cannot connect" in d.error and d.next_attempt_at for d in failed)
    assert Delivery.objects.filter(status=Delivery.Status.QUEUED).count() == 2
    stats = selectors.dispatch_stats(dispatch=dispatch)
    assert stats["retrying"] == 2
    # The server comes back; the editor resumes.
    from .conftest import Handler, SmtpServer

    revived = SmtpServer(Handler())
    revived.port = port
    from aiosmtpd.controller import Controller

    revived.controller = Controller(revived.handler, hostname="127.0.0.1", port=port)
    revived.start()
    try:
        services.dispatch_resume(dispatch=dispatch)
        services.dispatch_run(dispatch_id=dispatch.pk, resume=True)
        assert len(_recipients(revived)) == 4
    finally:
        revived.stop()
    assert selectors.dispatch_stats(dispatch=dispatch)["sent"] == 4


def test_connection_dropped_mid_message_is_failed_and_retried(issue, smtp_server):
    make_subscribers(3)
    calls = {"n": 0}
    original = smtp_server.handler.handle_DATA

    async def flaky(server, session, envelope):
        calls["n"] += 1
        if calls["n"] == 2:
            server.transport.close()  # drop the connection before replying
            return "421 closing"
        return await original(server, session, envelope)

    smtp_server.handler.handle_DATA = flaky
    dispatch, result = _send(issue)
    assert result.sent == 2 and result.failed == 1
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.error and failed.next_attempt_at is not None
    smtp_server.handler.handle_DATA = original
    services.dispatch_resume(dispatch=dispatch)
    services.dispatch_run(dispatch_id=dispatch.pk)
    assert selectors.dispatch_stats(dispatch=dispatch)["sent"] == 3
    assert len(set(_recipients(smtp_server))) == 3


def test_unsubscribed_during_the_send_is_skipped(issue, smtp_server):
    subscribers = make_subscribers(3)
    dispatch, _ = services.issue_send(issue=issue, enqueue=False)
    services.subscriber_unsubscribe(subscriber=subscribers[0], source="test")
    result = services.dispatch_run(dispatch_id=dispatch.pk)
    assert (result.sent, result.skipped) == (2, 1)
    assert subscribers[0].email not in _recipients(smtp_server)


def test_unpublished_issue_cannot_be_sent(tree, archive):
    from .factories import make_issue

    draft = make_issue(archive, slug="bozza", publish=False)
    with pytest.raises(services.SendError):
        services.issue_send(issue=draft)


def test_send_a_test_to_myself_uses_the_draft(
    issue, smtp_server, admin_user, admin_client, commit_hooks
):
    from django.urls import reverse

    issue.title = "Titolo in bozza"
    issue.save_revision()
    response = admin_client.post(reverse("newsletters_admin:test", args=[issue.pk]))
    assert response.status_code == 302
    (message,) = smtp_server.handler.parsed()
    assert message["To"] == admin_user.email
    assert message["Subject"] == "[Prova] Titolo in bozza"
    assert Dispatch.objects.count() == 0


def test_preview_modes_render_email_and_text(issue, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    html = issue.serve_preview(request, "email").content.decode()
    text = issue.serve_preview(request, "text")
    assert 'role="presentation"' in html
    assert text["Content-Type"].startswith("text/plain")
    assert "== In evidenza ==" in text.content.decode()
    assert "Leggi <https://www.example.org/x>" in text.content.decode()
    web = issue.serve_preview(request, "")
    web.render()
    assert 'data-testid="pulled-practice"' in web.content.decode()


def test_editors_without_publish_permission_cannot_send(issue, client, make_user):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    user = make_user(email="lettore@example.org")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for name in ("send", "report", "test"):
        response = client.post(reverse(f"newsletters_admin:{name}", args=[issue.pk]))
        assert response.status_code in (302, 403)
    assert Dispatch.objects.count() == 0
