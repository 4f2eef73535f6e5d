"""The community composer in a real browser: the preview in place, @mention
suggestions chosen with the keyboard, and the message about a file too large or
of the wrong type as soon as it is chosen (all under the site's CSP)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from community import services
from community.models import Group, Thread
from portal.accounts.models import User
from tests.community.factories import add_member, make_group
from tests.conftest import build_tree, existing_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def composer_url(live_server, make_user, page, settings, tmp_path):
    settings.COMMUNITY_MAX_ATTACHMENT_BYTES = 1024 * 1024
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    existing_tree() or build_tree()
    group = make_group()
    author = make_user("autrice@example.org", first_name="Anna")
    for email, handle, name in (
        ("bruno@example.org", "bruno", "Bruno"),
        ("bruna@example.org", "bruna", "Bruna"),
    ):
        user = make_user(email, first_name=name)
        add_member(group, user)
        services.profile_update(user=user, handle=handle, email_mode="off")
    add_member(group, author)
    client = Client()
    client.force_login(author)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return f"{live_server.url}/en/community/{group.slug}/new/"


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_preview_mentions_and_file_check(page, composer_url):
    errors = _console_errors(page)
    page.goto(composer_url)
    text = page.locator("#id_body")

    # Preview in place: nothing submitted, nothing saved.
    text.fill("Un testo <b>importante</b><script>alert(1)</script>")
    page.get_by_role("button", name="Preview", exact=True).click()
    preview = page.get_by_test_id("composer-preview")
    expect(preview.locator("b")).to_have_text("importante")
    expect(preview).not_to_contain_text("alert")
    assert page.url == composer_url
    assert not Thread.objects.exists()

    # @mentions: suggestions from the group's members, chosen by keyboard.
    text.fill("")
    text.press_sequentially("Ciao @bru")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("@bruna")
    text.press("ArrowDown")
    text.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(text).to_have_attribute(
        "aria-activedescendant", options.nth(1).get_attribute("id")
    )
    text.press("Enter")
    expect(listbox).to_be_hidden()
    expect(text).to_have_value("Ciao @bruno ")
    text.press_sequentially("e @br")
    expect(listbox).to_be_visible()
    text.press("Escape")
    expect(listbox).to_be_hidden()
    expect(text).to_have_value("Ciao @bruno e @br")

    # Files: the message comes as soon as they are chosen.
    files = page.locator("#id_attachments")
    status = page.get_by_test_id("file-status")
    files.set_input_files(
        [
            {
                "name": "grande.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1),
            }
        ]
    )
    expect(status).to_have_text("grande.pdf is larger than the limit of 1 MB.")
    expect(files).to_have_attribute("aria-invalid", "true")
    files.set_input_files(
        [
            {
                "name": "programma.exe",
                "mimeType": "application/x-msdownload",
                "buffer": b"MZ",
            }
        ]
    )
    expect(status).to_contain_text("programma.exe: this type of file is not accepted")
    files.set_input_files(
        [{"name": "nota.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    expect(status).to_have_text("")

    # The preview rendered the mention as a link to the member's page.
    text.fill("Ciao @bruno")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(preview.get_by_role("link", name="@bruno")).to_have_attribute(
        "href", "/en/community/people/bruno/"
    )
    assert errors == []


def test_a_picture_is_shown_inline_under_the_csp(page, composer_url):
    errors = _console_errors(page)
    group = Group.objects.get()
    author = User.objects.get(email="autrice@example.org")
    buffer = io.BytesIO()
    Image.new("RGB", (30, 10), "blue").save(buffer, format="PNG")
    thread = services.thread_create(
        author=author,
        group=group,
        title="Con immagine",
        body="Il grafico",
        files=[SimpleUploadedFile("grafico.png", buffer.getvalue())],
    )

    page.goto(composer_url.split("/en/")[0] + thread.get_absolute_url())

    image = page.get_by_role("img", name="grafico.png")
    expect(image).to_be_visible()
    assert image.evaluate("element => element.naturalWidth") == 30
    assert errors == []
