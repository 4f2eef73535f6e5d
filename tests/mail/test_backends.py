"""Every message leaves with a Message-ID on the portal's public host."""

from django.core.mail import EmailMessage, send_mail


def test_messages_without_an_id_get_one_on_the_portal_host(smtp, settings):
    settings.PORTAL_BASE_URL = "https://esplora.test"

    send_mail("Oggetto", "Testo", None, ["a@example.org"])

    (message,) = smtp.messages()
    assert message["Message-ID"].endswith("@esplora.test>")


def test_a_message_id_set_by_the_sender_is_kept(smtp, settings):
    settings.PORTAL_BASE_URL = "https://esplora.test"

    EmailMessage(
        "Oggetto", "Testo", to=["a@example.org"], headers={"Message-ID": "<x@y.z>"}
    ).send()

    (message,) = smtp.messages()
    assert message["Message-ID"] == "<x@y.z>"
