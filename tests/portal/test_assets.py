"""Pages load only the assets they need: no Bootstrap Italia bundle, the portal's
small icon sprite with every icon the templates use, and the portal's own WOFF2
fonts for the families Bootstrap Italia's CSS names."""

import re
import xml.etree.ElementTree as ET
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from fontTools.ttLib import TTFont

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
PAGES = ["/", "/en/", "/buone-pratiche/", "/accessibilita/"]
# Every character of Italian text, typographic punctuation and the euro.
ITALIAN = "àèéìíòóùúÀÈÉÌÒÙ«»’‘“”–—…€ "


def _static_text(path):
    found = finders.find(path)
    assert found, f"static file {path} is missing"
    return Path(found).read_text(encoding="utf-8")


def _template_icon_ids():
    """Icon ids referenced by any portal template, read from the files."""
    ids = set()
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        ids.update(re.findall(r"#(it-[a-z0-9-]+)", path.read_text(encoding="utf-8")))
    return ids


def _font_faces():
    css = _static_text("css/fonts.css")
    faces = []
    for block in re.findall(r"@font-face\s*{([^}]*)}", css):
        descriptors = {
            name.strip(): value.strip()
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+);", block)
        }
        faces.append(descriptors)
    return faces


def _pages(client):
    urls = [*PAGES, reverse("search:search")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        yield url, response.content.decode()


def test_pages_do_not_load_the_bootstrap_italia_bundle(client, tree):
    for url, html in _pages(client):
        assert "bootstrap-italia.bundle" not in html, url
        assert "bootstrap-italia.min.js" not in html, url
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
        assert "/static/js/navbar.js" in scripts, url
        # Every script is a small portal script, deferred.
        for tag in re.findall(r"<script[^>]*>", html):
            assert " defer" in tag, (url, tag)


def test_pages_use_the_portal_sprite_only(client, tree):
    for url, html in _pages(client):
        sprites = set(re.findall(r'<use href="([^"#]+)#it-', html))
        assert sprites == {"/static/svg/portal-icons.svg"}, url
        assert "sprites.svg" not in html, url


def test_portal_sprite_holds_every_icon_the_templates_use():
    icons = _template_icon_ids()
    assert {"it-burger", "it-close-big"} <= icons
    path = finders.find("svg/portal-icons.svg")
    root = ET.parse(path).getroot()  # noqa: S314 (our own committed file)
    symbols = {symbol.get("id") for symbol in root.iter(f"{SVG}symbol")}
    assert icons <= symbols
    assert symbols == icons  # nothing more than the templates use
    for symbol in root.iter(f"{SVG}symbol"):
        assert symbol.get("viewBox")
        assert list(symbol), symbol.get("id")  # the paths were copied
    # Against the theme's 92 KiB sprite.
    assert Path(path).stat().st_size < 4 * 1024
    # The sprite is what the command builds from today's templates.
    call_command("build_icon_sprite", "--check")


def test_no_template_references_the_theme_sprite():
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "svg/sprites.svg" not in text, path
        assert "bootstrap-italia.bundle" not in text, path


def test_fonts_css_declares_woff2_subsets_that_exist():
    faces = _font_faces()
    assert faces
    for face in faces:
        assert face["font-display"] == "swap"
        url = re.fullmatch(r'url\("\.\./([^"]+)"\) format\("woff2"\)', face["src"])
        assert url, face["src"]
        font_path = finders.find(url.group(1))
        assert font_path, url.group(1)
        data = Path(font_path).read_bytes()
        assert data[:4] == b"wOF2", font_path
        # Subset: far smaller than the theme's full TrueType files.
        assert len(data) < 25 * 1024, font_path
        font = TTFont(BytesIO(data))
        cmap = font.getBestCmap()
        missing = [char for char in ITALIAN if ord(char) not in cmap]
        assert not missing, (font_path, missing)
        assert font["OS/2"].usWeightClass == int(face["font-weight"]), font_path
    call_command("build_fonts", "--check")


def test_fonts_cover_the_families_and_weights_bootstrap_italia_uses():
    faces = {
        (face["font-family"].strip('"'), face["font-style"], int(face["font-weight"]))
        for face in _font_faces()
    }
    theme_css = _static_text("css/bootstrap-italia.min.css")
    families = set(re.findall(r'font-family:\s*"([^"]+)"', theme_css))
    # Every named family but the video player's icon font is served by the portal.
    named = {family for family in families if family != "VideoJS"}
    assert named <= {family for family, _style, _weight in faces}
    assert {"Titillium Web", "Lora"} <= named
    for needed in [
        ("Titillium Web", "normal", 300),  # .lead
        ("Titillium Web", "normal", 400),
        ("Titillium Web", "italic", 400),
        ("Titillium Web", "normal", 600),
        ("Titillium Web", "normal", 700),
        ("Lora", "normal", 400),  # cards, hero, callout
        ("Lora", "italic", 700),  # .card-signature
    ]:
        assert needed in faces, needed


def test_pages_link_fonts_css_and_preload_the_text_font(client, tree):
    faces = _font_faces()
    text_font = next(
        face
        for face in faces
        if face["font-family"] == '"Titillium Web"'
        and face["font-weight"] == "400"
        and face["font-style"] == "normal"
    )
    text_font_file = re.search(r"fonts/portal/[\w-]+\.woff2", text_font["src"]).group()
    for url, html in _pages(client):
        assert '<link rel="stylesheet" href="/static/css/fonts.css">' in html, url
        preloads = re.findall(
            r'<link rel="preload" href="([^"]+)" as="font"[^>]*>', html
        )
        assert preloads == ["/static/" + text_font_file], url
        assert re.search(
            r'<link rel="preload"[^>]*type="font/woff2" crossorigin>', html
        )
