"""The page cache as deployed (nginx, four gunicorn workers, Redis): visitors get
stored pages and 304s, a logged-in person never does, and a practice published
by another process is on the list, the feed and the sitemap at the next visit."""

import uuid

import pytest

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, https_request, unique_email

pytestmark = pytest.mark.stack

PUBLISH = """
from portal.practices.models import GoodPracticePage, PracticeIndexPage
from portal.taxonomy.models import Territory

index = PracticeIndexPage.objects.live().get(locale__language_code="it")
page = GoodPracticePage(
    title={title!r}, slug={slug!r}, summary="Uno sportello mobile.",
    description="<p>Il camper dello sportello nelle frazioni.</p>",
    year_start=2024, status="ongoing", evidence_level="described",
)
index.add_child(instance=page)
page.territories.set(Territory.objects.filter(kind="region")[:1])
page.save_revision().publish()
print("URL", page.url_path)
"""


def _anonymous(path: str, **headers):
    status, response_headers, body = https_request("GET", path, headers=headers)
    return status, response_headers, body.decode(errors="replace")


def test_visitors_get_stored_pages_and_304s():
    for path in ("/buone-pratiche/", "/en/"):
        _anonymous(path)
        status, headers, body = _anonymous(path)
        assert status == 200, path
        assert journeys.header(headers, "X-Cache") == "HIT", path
        assert "public" in journeys.header(headers, "Cache-Control")
        assert journeys.header(headers, "Set-Cookie") is None
        assert "csrfmiddlewaretoken" not in body
        etag = journeys.header(headers, "ETag")
        status, _headers, _body = _anonymous(path, **{"If-None-Match": etag})
        assert status == 304, path
    _status, _headers, english = _anonymous("/en/")
    assert 'lang="en"' in english


def test_a_logged_in_person_never_gets_the_stored_page(page, stack):
    _anonymous("/buone-pratiche/")
    assert journeys.header(_anonymous("/buone-pratiche/")[1], "X-Cache") == "HIT"
    email = unique_email("cache")
    journeys.sign_up_verified(page, stack, email=email)
    response = page.goto(f"{BASE_URL}/buone-pratiche/")
    assert response.status == 200
    assert "x-cache" not in response.headers
    assert "private" in response.headers.get("cache-control", "")
    assert page.get_by_role("button", name="Esci").is_visible()
    # and what the person saw was not stored for visitors
    _status, _headers, body = _anonymous("/buone-pratiche/")
    assert "Esci" not in body
    assert email not in body


def test_a_practice_published_elsewhere_is_listed_at_the_next_visit(stack):
    paths = ("/buone-pratiche/", "/buone-pratiche/feed/", "/sitemap.xml", "/")
    for path in paths:
        _anonymous(path)
        assert journeys.header(_anonymous(path)[1], "X-Cache") == "HIT", path
    title = f"Camper dello sportello {uuid.uuid4().hex[:6]}"
    slug = f"camper-{uuid.uuid4().hex[:6]}"
    output = stack.manage("shell", "-c", PUBLISH.format(title=title, slug=slug))
    assert "URL" in output
    for path in paths[:3]:
        status, headers, body = _anonymous(path)
        assert status == 200
        assert journeys.header(headers, "X-Cache") == "MISS", path
        assert slug in body, path
    status, _headers, body = _anonymous(f"/buone-pratiche/{slug}/")
    assert status == 200
    assert title in body
