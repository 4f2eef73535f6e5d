"""The post composer and the post display: preview, @mentions, inline pictures,
quotes rendered in the reader's language, the author's edit history and the
author's administration."""

import importlib
import io
import json
import struct
import zlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from community import services
from community.models import Attachment, Group, Post
from community.sanitize import sanitize_post
from portal.accounts.models import Membership, Organisation
from tests.community.factories import add_member, make_group, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    group = make_group()
    author = make_user("autrice@example.org", first_name="Anna", last_name="Rossi")
    member = make_user("membro@example.org", first_name="Bruno", last_name="Verdi")
    moderator = make_user("mod@example.org", first_name="Carla", last_name="Neri")
    add_member(group, author)
    add_member(group, member)
    add_member(group, moderator, role="moderator")
    for user, handle in ((author, "anna"), (member, "bruno"), (moderator, "carla")):
        services.profile_update(user=user, handle=handle, email_mode="off")
    return group, author, member, moderator


def picture(fmt="JPEG", size=(40, 20), exif=None, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, "red")
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Telefono"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (41.0, 54.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (12.0, 29.0, 0.0)
    return exif


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares a huge canvas (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


# --- Preview ---------------------------------------------------------------


def preview_of(response) -> str:
    page = response.content.decode()
    return page.split('data-testid="composer-preview"', 1)[1].split("</section>")[0]


def test_preview_without_javascript_saves_nothing_and_counts_nothing(
    client, people, settings
):
    settings.COMMUNITY_RATE_LIMIT_POSTS = 1
    group, author, _member, _moderator = people
    client.force_login(author)
    url = f"/en/community/{group.slug}/new/"

    for _ in range(3):
        response = client.post(
            url,
            {
                "title": "Bozza",
                "body": "Ciao <b>tutti</b><script>x()</script>",
                "preview": "1",
            },
        )
        assert response.status_code == HTTPStatus.OK
        preview = preview_of(response)
        assert "<b>tutti</b>" in preview
        assert "x()" not in preview
    assert not group.threads.exists()

    # The previews did not use up the one post allowed per minute.
    response = client.post(url, {"title": "Vera", "body": "Pubblicato"})
    assert response.status_code == HTTPStatus.FOUND
    assert group.threads.count() == 1


def test_preview_on_reply_and_edit_saves_nothing(client, people):
    group, author, member, _moderator = people
    thread = make_thread(group, author, body="Primo")
    first = thread.posts.get()
    client.force_login(member)

    reply = client.post(
        f"/en/community/{group.slug}/{thread.pk}/reply/",
        {"body": "Risposta in prova", "quote": first.pk, "preview": "1"},
    )
    assert reply.status_code == HTTPStatus.OK
    assert "Risposta in prova" in preview_of(reply)
    assert "<blockquote><p>Primo</p></blockquote>" in preview_of(reply)
    assert thread.posts.count() == 1

    client.force_login(author)
    edit = client.post(
        f"/en/community/posts/{first.pk}/edit/", {"body": "Nuovo testo", "preview": "1"}
    )
    assert edit.status_code == HTTPStatus.OK
    assert "Nuovo testo" in preview_of(edit)
    first.refresh_from_db()
    assert "Primo" in first.body and first.edited_at is None


def test_preview_shows_the_same_errors_as_publishing(client, people, settings):
    settings.COMMUNITY_MAX_POST_LENGTH = 20
    group, author, _member, _moderator = people
    client.force_login(author)

    response = client.post(
        f"/en/community/{group.slug}/new/",
        {"title": "t", "body": "x" * 21, "preview": "1"},
    )

    assert response.status_code == HTTPStatus.OK
    assert "The text is too long" in response.content.decode()


def test_preview_endpoint(client, people, make_user, settings):
    group, author, _member, _moderator = people
    url = f"/en/community/{group.slug}/preview/"

    assert client.post(url, {"body": "x"}).status_code == HTTPStatus.FOUND  # login
    outsider = make_user("fuori@example.org")
    client.force_login(outsider)
    assert client.post(url, {"body": "x"}).status_code == HTTPStatus.FORBIDDEN

    client.force_login(author)
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post(url, {"body": "Ciao @bruno <i>sì</i><img src=x onerror=y>"})
    assert response.status_code == HTTPStatus.OK
    html = response.json()["html"]
    assert "<i>sì</i>" in html and "<img" not in html and "onerror" not in html
    assert '<a class="mention" href="/en/community/people/bruno/">@bruno</a>' in html
    assert not Post.objects.filter(thread__group=group).exists()

    settings.COMMUNITY_MAX_POST_LENGTH = 100
    too_long = client.post(url, {"body": "x" * 101})
    assert too_long.status_code == HTTPStatus.BAD_REQUEST
    assert "too long" in too_long.json()["errors"][0]


def test_preview_endpoint_needs_the_csrf_token(people):
    group, author, _member, _moderator = people
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post(f"/en/community/{group.slug}/preview/", {"body": "x"})

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_private_group_preview_is_404_for_outsiders(client, make_user):
    group = make_group(Group.Visibility.PRIVATE)
    client.force_login(make_user())

    response = client.post(f"/en/community/{group.slug}/preview/", {"body": "x"})

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_composer_pages_load_the_script_and_the_limits(client, people):
    group, author, _member, _moderator = people
    client.force_login(author)

    page = client.get(f"/en/community/{group.slug}/new/").content.decode()

    assert "js/community-composer.js" in page
    assert 'data-max-bytes="10485760"' in page
    assert 'data-msg-too-big="{name} is larger than the limit of 10 MB."' in page
    assert 'name="preview"' in page
    assert "<script>" not in page.split("<main", 1)[-1].split("</main>")[0]


# --- Mentions --------------------------------------------------------------


def test_mentions_become_links_only_for_people_who_can_read_the_group(
    client, people, make_user
):
    group, author, _member, _moderator = people
    private = make_group(Group.Visibility.PRIVATE)
    insider = make_user("dentro@example.org")
    add_member(private, author)
    add_member(private, insider)
    services.profile_update(user=insider, handle="dentro", email_mode="off")
    # bruno is not a member of the private group.
    thread = make_thread(
        private, author, body="Ciao @dentro e @bruno e @nessuno, <code>@dentro</code>"
    )
    client.force_login(author)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert '<a class="mention" href="/en/community/people/dentro/">@dentro</a>' in page
    assert "people/bruno" not in page
    assert "@bruno" in page and "@nessuno" in page
    assert "<code>@dentro</code>" in page


def test_a_mention_link_cannot_be_forged_in_html(people):
    html = sanitize_post(
        '<a class="mention" data-user="1" href="/en/community/people/carla/">@carla</a>'
    )

    assert "class=" not in html and "data-user" not in html


def test_mention_suggestions(client, people, make_user):
    group, author, member, moderator = people
    url = f"/en/community/{group.slug}/mentions/"
    others = []
    for number in range(10):
        user = make_user(f"bruna{number}@example.org", first_name=f"Bruna{number}")
        add_member(group, user)
        services.profile_update(user=user, handle=f"bru-{number}", email_mode="off")
        others.append(user)
    banned = make_user("bandito@example.org")
    add_member(group, banned, status="banned")
    services.profile_update(user=banned, handle="brutto", email_mode="off")

    assert client.get(url, {"q": "b"}).status_code == HTTPStatus.FOUND
    client.force_login(make_user("fuori@example.org"))
    assert client.get(url, {"q": "b"}).status_code == HTTPStatus.FORBIDDEN

    client.force_login(author)
    response = client.get(url, {"q": "@BRU"})
    results = response.json()["results"]
    assert response.status_code == HTTPStatus.OK
    assert len(results) == 8
    assert {"handle", "name"} == set(results[0])
    assert "brutto" not in {r["handle"] for r in results}
    assert "@" not in json.dumps([r["name"] for r in results])
    assert "example.org" not in response.content.decode()
    by_name = client.get(url, {"q": "carl"}).json()["results"]
    assert by_name == [{"handle": "carla", "name": "Carla Neri"}]
    assert client.get(url, {"q": ""}).json()["results"] == []


def test_person_page(client, people, make_user):
    group, author, _member, _moderator = people
    organisation = Organisation.objects.create(
        name="Comune di Prova", kind="comune", codice_ipa="c_prova", status="approved"
    )
    Membership.objects.create(organisation=organisation, user=author)
    make_thread(group, author, title="Discussione visibile")
    private = make_group(Group.Visibility.PRIVATE)
    secret = make_user("segreto@example.org")
    add_member(private, secret)
    services.profile_update(user=secret, handle="segreto", email_mode="off")
    make_thread(private, secret, title="Riservata")

    assert client.get("/en/community/people/anna/").status_code == HTTPStatus.FOUND
    client.force_login(make_user("lettrice@example.org"))
    page = client.get("/en/community/people/anna/")
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert "Comune di Prova" in text and "Discussione visibile" in text
    assert "autrice@example.org" not in text
    assert client.get("/en/community/people/segreto/").status_code == 404
    assert client.get("/en/community/people/nessuno/").status_code == 404


# --- Pictures ----------------------------------------------------------------


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_gps_and_other_metadata_are_gone_after_upload(people):
    group, author, _member, _moderator = people
    original = picture(exif=gps_exif(orientation=6))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    thread = services.thread_create(
        author=author,
        group=group,
        title="Foto",
        body="Vedi",
        files=[upload("foto.jpg", original)],
    )

    attachment = Attachment.objects.get(post__thread=thread)
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"Telefono" not in stored
    # Orientation 6 (rotated 90°) was applied before the tag was dropped.
    assert (image.width, image.height) == (20, 40)
    assert (attachment.width, attachment.height) == (20, 40)
    assert attachment.size == len(stored)
    assert attachment.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "fmt", "mime"),
    [
        ("a.png", "PNG", "image/png"),
        ("b.gif", "GIF", "image/gif"),
        ("c.webp", "WEBP", "image/webp"),
    ],
)
def test_other_picture_types_are_accepted_and_capped(people, name, fmt, mime):
    group, author, _member, _moderator = people
    thread = services.thread_create(
        author=author,
        group=group,
        title="Grande",
        body="Vedi",
        files=[upload(name, picture(fmt=fmt, size=(3000, 1000)))],
    )

    attachment = Attachment.objects.get(post__thread=thread)
    assert attachment.content_type == mime
    assert (attachment.width, attachment.height) == (2000, 667)


def test_a_jpg_name_with_other_content_is_refused_with_a_message(client, people):
    group, author, _member, _moderator = people
    client.force_login(author)

    response = client.post(
        f"/en/community/{group.slug}/new/",
        {
            "title": "Finta",
            "body": "testo",
            "attachments": [upload("foto.jpg", picture(fmt="PNG"))],
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "foto.jpg: the content of the file does not match its name." in (
        response.content.decode()
    )
    assert not group.threads.exists()


def test_a_broken_picture_is_refused(people):
    group, author, _member, _moderator = people
    broken = picture()[:40]

    with pytest.raises(ValidationError, match="could not be read as an image"):
        services.thread_create(
            author=author,
            group=group,
            title="t",
            body="x",
            files=[upload("rotta.jpg", broken)],
        )
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("width", "height"), [(9000, 9000), (30000, 30000)])
def test_a_decompression_bomb_is_refused(people, width, height):
    group, author, _member, _moderator = people

    with pytest.raises(ValidationError) as error:
        services.thread_create(
            author=author,
            group=group,
            title="t",
            body="x",
            files=[upload("bomba.png", png_declaring(width, height))],
        )
    assert "bomba.png" in str(error.value)
    assert not Attachment.objects.exists()
    assert not group.threads.exists()


def test_pictures_are_shown_inline_through_the_checked_view(client, people):
    group, author, _member, _moderator = people
    thread = services.thread_create(
        author=author,
        group=group,
        title="Foto",
        body="Vedi",
        files=[
            upload("grafico.png", picture(fmt="PNG", size=(30, 10))),
            upload("relazione.pdf", b"%PDF-1.4\n%%EOF\n"),
        ],
    )
    image, document = Attachment.objects.filter(post__thread=thread).order_by("id")

    page = client.get(thread.get_absolute_url()).content.decode()

    assert (
        f'<img src="{image.get_absolute_url()}" alt="grafico.png" width="30" '
        'height="10" loading="lazy"' in page
    )
    assert f'<img src="{document.get_absolute_url()}"' not in page
    assert f'href="{document.get_absolute_url()}" download' in page
    assert client.get(image.get_absolute_url()).status_code == HTTPStatus.OK


# --- Quotes ------------------------------------------------------------------


def test_quote_header_is_rendered_in_the_readers_language(client, people):
    group, author, member, moderator = people
    thread = make_thread(group, moderator, body="Apertura")
    first = services.post_create(author=author, thread=thread, body="Testo citato")

    reply = services.post_create(
        author=member, thread=thread, body="Risposta", quote=first
    )

    assert reply.quoted == first
    assert reply.body.startswith("<blockquote><p>Testo citato</p></blockquote>")
    assert "wrote" not in reply.body
    english_url = thread.get_absolute_url()
    page = client.get(english_url).content.decode()
    assert f'<a href="/en/community/posts/{first.pk}/">Anna Rossi wrote:</a>' in page
    italian = client.get(english_url.replace("/en/community/", "/comunita/"))
    assert italian.status_code == HTTPStatus.OK
    assert 'data-testid="quote-header"' in italian.content.decode()
    assert "Anna Rossi ha scritto:" in italian.content.decode()

    # Once the quoted post is hidden, readers no longer see whom it quoted.
    services.post_moderate(actor=moderator, post=first, action="hide")
    page = client.get(english_url).content.decode()
    assert "Anna Rossi wrote:" not in page
    assert "Quoting an earlier post:" in page
    client.force_login(moderator)
    assert "Anna Rossi wrote:" in client.get(english_url).content.decode()


def test_data_migration_strips_the_stored_english_header(people):
    group, author, member, _moderator = people
    thread = make_thread(group, author, body="Vecchio")
    first = thread.posts.get()
    old = Post.objects.create(
        thread=thread,
        author=member,
        quoted=first,
        body="<blockquote><p><strong>Anna Rossi</strong> wrote:</p><p>Vecchio</p>"
        "</blockquote><p>Risposta</p>",
    )
    orphan = Post.objects.create(
        thread=thread,
        author=member,
        body="<blockquote><p><strong>Chi</strong> wrote:</p><p>x</p></blockquote>",
    )
    migration = importlib.import_module("community.migrations.0004_composer")

    migration.strip_stored_quote_headers(apps, None)

    old.refresh_from_db()
    orphan.refresh_from_db()
    assert old.body == "<blockquote><p>Vecchio</p></blockquote><p>Risposta</p>"
    assert orphan.body.startswith("<blockquote><p><strong>Chi</strong> wrote:")


# --- Edit history -------------------------------------------------------------


def test_the_author_may_read_their_own_edit_history(client, people):
    group, author, member, moderator = people
    post = make_thread(group, author, body="Versione uno").posts.get()
    services.post_edit(editor=author, post=post, body="Versione due")
    url = f"/en/community/posts/{post.pk}/history/"

    client.force_login(author)
    own = client.get(url)
    assert own.status_code == HTTPStatus.OK
    assert "Versione uno" in own.content.decode()
    assert url in client.get(post.thread.get_absolute_url()).content.decode()
    client.force_login(member)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(moderator)
    assert client.get(url).status_code == HTTPStatus.OK


# --- The author's administration ---------------------------------------------------


def test_each_post_shows_the_authors_approved_administration(client, people):
    group, author, member, _moderator = people
    approved = Organisation.objects.create(
        name="Zeta Comune", kind="comune", codice_ipa="c_zeta", status="approved"
    )
    earlier = Organisation.objects.create(
        name="Alfa Comune", kind="comune", codice_ipa="c_alfa", status="approved"
    )
    pending = Organisation.objects.create(
        name="Aaa In attesa", kind="comune", codice_ipa="c_aaa", status="pending"
    )
    Membership.objects.create(organisation=approved, user=author)
    Membership.objects.create(organisation=earlier, user=author)
    Membership.objects.create(organisation=pending, user=member)
    thread = make_thread(group, author)
    services.post_create(author=member, thread=thread, body="Risposta")

    page = client.get(thread.get_absolute_url()).content.decode()

    assert page.count('data-testid="post-organisation"') == 1
    assert "Alfa Comune" in page
    assert "Zeta Comune" not in page and "Aaa In attesa" not in page
