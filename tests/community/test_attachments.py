import io
import zipfile
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community import services
from community.models import Attachment, Group
from tests.community.factories import add_member, make_group

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    # A picture Pillow can decode: image attachments are re-encoded on upload.
    buffer = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def member(make_user):
    user = make_user()
    group = make_group()
    add_member(group, user)
    return user, group


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("grafico.png", PNG, "image/png"),
        ("relazione.pdf", PDF, "application/pdf"),
        (
            "verbale.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_stored_privately(member, settings, name, content, mime):
    user, group = member
    thread = services.thread_create(
        author=user,
        group=group,
        title="Con allegato",
        body="Vedi allegato",
        files=[SimpleUploadedFile(name, content, content_type="text/plain")],
    )

    attachment = Attachment.objects.get(post__thread=thread)
    assert attachment.content_type == mime
    path = attachment.file.path
    assert path.startswith(str(settings.COMMUNITY_ATTACHMENT_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("finto.pdf", b"<html><script>alert(1)</script></html>"),
        ("immagine.png", PDF),
        ("relazione.pdf", PNG),
        ("script.exe", b"MZ\x90\x00"),
        ("pagina.html", b"<html></html>"),
        ("vettoriale.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("archivio.docx", b"PK\x03\x04 not really a document"),
        ("senza-estensione", PNG),
    ],
)
def test_files_whose_content_does_not_match_are_refused(member, name, content):
    user, group = member

    with pytest.raises(ValidationError):
        services.thread_create(
            author=user,
            group=group,
            title="Con allegato",
            body="Vedi allegato",
            files=[SimpleUploadedFile(name, content)],
        )
    assert not Attachment.objects.exists()
    assert not group.threads.exists()


def test_too_big_file_is_refused_with_a_message(client, member, settings):
    settings.COMMUNITY_MAX_ATTACHMENT_BYTES = 1024 * 1024
    user, group = member
    client.force_login(user)
    big = SimpleUploadedFile("grande.pdf", PDF + b"0" * (1024 * 1024 + 1))

    response = client.post(
        f"/en/community/{group.slug}/new/",
        {"title": "Grande", "body": "testo", "attachments": [big]},
    )

    assert response.status_code == HTTPStatus.OK
    assert "larger than the limit" in response.content.decode()
    assert not group.threads.exists()


def test_mismatched_file_through_the_form_gets_a_clear_message(client, member):
    user, group = member
    client.force_login(user)

    response = client.post(
        f"/en/community/{group.slug}/new/",
        {
            "title": "Finto",
            "body": "testo",
            "attachments": [SimpleUploadedFile("finto.pdf", b"<html></html>")],
        },
    )

    assert "does not match its name" in response.content.decode()


def test_download_is_checked_and_served_as_an_attachment(client, make_user):
    owner = make_user("owner@example.org")
    group = make_group(Group.Visibility.PRIVATE)
    add_member(group, owner)
    thread = services.thread_create(
        author=owner,
        group=group,
        title="Riservato",
        body="x",
        files=[SimpleUploadedFile("grafico.png", PNG)],
    )
    attachment = Attachment.objects.get(post__thread=thread)
    url = attachment.get_absolute_url()

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(owner)
    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    # Pictures are re-encoded on upload (tests/community/test_composer.py).
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Type"] == "image/png"
    # The file name is part of the URL: a wrong name is a 404.
    assert client.get(url.replace("grafico", "altro")).status_code == 404


def test_hidden_post_attachments_are_hidden_too(client, make_user):
    moderator = make_user("mod@example.org")
    author = make_user()
    group = make_group()
    add_member(group, moderator, role="moderator")
    add_member(group, author)
    thread = services.thread_create(
        author=author,
        group=group,
        title="t",
        body="x",
        files=[SimpleUploadedFile("grafico.png", PNG)],
    )
    post = thread.posts.get()
    services.post_moderate(actor=moderator, post=post, action="hide")

    assert client.get(post.attachments.get().get_absolute_url()).status_code == 404
