"""Assets: bytes over the wire for a first visit to the home page.

The demo content is loaded, the static files are collected as production does
(whitenoise's CompressedManifestStaticFilesStorage: hashed names, .gz copies) and
the home is rendered in each language. Headless Chromium then loads that HTML
with every request answered from the collected files, so the count holds what a
browser really fetches (only the fonts the page's text uses). Each response is
counted at the size nginx sends: the .gz copy where collectstatic wrote one
(gzip_static), the file itself for WOFF2 and images, the HTML gzipped at nginx's
default level 1. Headers are not counted. Target (issue "Speed as deployed"):
<= 250 KB for HTML + CSS + JS + fonts + sprite.

Without Chromium the script falls back to reading the HTML: every stylesheet,
script and preload, the sprite and every font fonts.css declares (an upper bound).
"""

import gzip
import mimetypes
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from common import ROOT, bench_environment, emit, prepare_database

TARGET_BYTES = 250 * 1000  # "250 KB"
KIND_BY_SUFFIX = {
    ".css": "css",
    ".js": "js",
    ".woff2": "fonts",
    ".woff": "fonts",
    ".svg": "sprite",
}


def setup_django(env, static_root):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    override_settings(
        STATIC_ROOT=str(static_root),
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
            },
        },
        ALLOWED_HOSTS=["*"],
    ).enable()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    return settings


def render(path):
    from django.test import Client

    response = Client().get(path, HTTP_HOST="localhost")
    assert response.status_code == 200, (path, response.status_code)
    return response.content


def wire_size(path: Path) -> int:
    """What nginx sends for a static file: its .gz copy if there is one."""
    compressed = path.with_name(path.name + ".gz")
    return compressed.stat().st_size if compressed.exists() else path.stat().st_size


def kind_of(url_path: str) -> str:
    if url_path.startswith("/media/"):
        return "images"
    suffix = Path(url_path).suffix
    if suffix == ".svg" and "/svg/" not in url_path:
        return "images"
    return KIND_BY_SUFFIX.get(suffix, "other")


def local_file(url_path, settings):
    if url_path.startswith(settings.STATIC_URL):
        return Path(settings.STATIC_ROOT) / url_path[len(settings.STATIC_URL) :]
    if url_path.startswith(settings.MEDIA_URL):
        return Path(settings.MEDIA_ROOT) / url_path[len(settings.MEDIA_URL) :]
    return None


def browser_visit(html: bytes, page_path: str, settings) -> dict[str, int] | None:
    """{url path: bytes} of every request Chromium makes to show the page."""
    sys.path.insert(0, str(ROOT))
    from tests.chromium import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    fetched: dict[str, int] = {}
    origin = "http://localhost"

    def answer(route):
        url_path = urlsplit(route.request.url).path
        if url_path == page_path:
            fetched[url_path] = len(gzip.compress(html, compresslevel=1))
            route.fulfill(status=200, body=html, content_type="text/html")
            return
        path = local_file(url_path, settings)
        if path is None or not path.is_file():
            fetched[url_path] = 0
            route.fulfill(status=404, body=b"")
            return
        fetched[url_path] = wire_size(path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            content_type = "font/woff2"
        route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", answer)
        page.goto(origin + page_path, wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.wait_for_timeout(300)
        browser.close()
    return fetched


def html_visit(html: bytes, page_path: str, settings) -> dict[str, int]:
    """Upper bound without a browser: everything the HTML and fonts.css name."""
    text = html.decode()
    fetched = {page_path: len(gzip.compress(html, compresslevel=1))}
    urls = re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', text)
    urls += re.findall(r'<use href="([^"#]+)#', text)
    for url in urls:
        path = local_file(url, settings)
        if path and path.is_file():
            fetched[url] = wire_size(path)
            if path.name.startswith("fonts.") and path.suffix == ".css":
                for font in re.findall(r'url\("([^"]+)"\)', path.read_text()):
                    font_path = (path.parent / font).resolve()
                    fetched[str(font_path)] = wire_size(font_path)
    return fetched


def theme_file(name: str) -> Path:
    from django.contrib.staticfiles import finders

    return Path(finders.find(name))


def main() -> None:
    env = bench_environment()
    prepare_database(env)
    static_root = Path(env["DJANGO_VAR_DIR"]) / "static-bench"
    settings = setup_django(env, static_root)

    for page_path in ("/", "/en/"):
        html = render(page_path)
        fetched = browser_visit(html, page_path, settings)
        how = "chromium"
        if fetched is None:
            fetched = html_visit(html, page_path, settings)
            how = "from the HTML (no chromium: all declared fonts)"
        case = f"home {page_path} first visit, {how}"
        totals: dict[str, int] = {}
        for url_path, size in fetched.items():
            kind = "html" if url_path == page_path else kind_of(url_path)
            totals[kind] = totals.get(kind, 0) + size
        for kind in ("html", "css", "js", "fonts", "sprite", "images", "other"):
            if kind in totals:
                emit("assets", case, f"{kind} (gzip)", totals[kind] / 1000, "KB")
        budget = sum(
            size
            for kind, size in totals.items()
            if kind in {"html", "css", "js", "fonts", "sprite"}
        )
        emit(
            "assets",
            case,
            "HTML+CSS+JS+fonts+sprite",
            budget / 1000,
            "KB",
            f"<= {TARGET_BYTES // 1000} KB",
        )
        emit("assets", case, "requests", len(fetched), "")
        fonts = sorted(
            Path(url).name.split(".")[0] for url in fetched if kind_of(url) == "fonts"
        )
        print("fonts fetched for", page_path, ":", ", ".join(fonts), file=sys.stderr)

    # What the portal no longer sends, for comparison.
    for label, name in (
        ("Bootstrap Italia bundle (before)", "js/bootstrap-italia.bundle.min.js"),
        ("theme sprite (before)", "svg/sprites.svg"),
        ("bootstrap-italia.min.css (still sent)", "css/bootstrap-italia.min.css"),
    ):
        data = theme_file(name).read_bytes()
        emit("assets", label, "gzip level 9", len(gzip.compress(data, 9)) / 1000, "KB")


if __name__ == "__main__":
    main()
