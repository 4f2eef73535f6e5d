"""The page cache's correctness rules (portal.pagecache): who gets a stored
page, what is never stored, and what makes stored pages stale."""

from http import HTTPStatus

import pytest
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from portal import pagecache
from tests.conftest import PASSWORD
from tests.practices.factories import practice, practice_index, topic


def _csrf_view(request):
    token = get_token(request)
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={token}></form>")


def _message_view(request):
    messages.info(request, "Solo per te")
    return HttpResponse("<p>una pagina</p>")


def _plain_view(request):
    return HttpResponse("<p>per tutti</p>")


urlpatterns = [
    path("csrf/", _csrf_view),
    path("message/", _message_view),
    path("plain/", _plain_view),
    path("admin/", include(wagtailadmin_urls)),
]


def _get(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def index(tree):
    return practice_index(tree.home)


def test_an_anonymous_page_is_stored_and_served_again(client, tree):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == HTTPStatus.OK
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "must-revalidate" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]
    assert second["ETag"] == first["ETag"]


def test_a_reload_with_the_etag_answers_304(client, tree):
    etag = client.get("/")["ETag"]
    again = _get(client, "/", **{"If-None-Match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    # The first visit of another address (a miss) answers 304 as well.
    etag_en = client.get("/en/")["ETag"]
    caches["pages"].clear()
    assert (
        _get(client, "/en/", **{"If-None-Match": etag_en}).status_code
        == HTTPStatus.NOT_MODIFIED
    )


def test_head_is_served_from_the_stored_page_without_a_body(client, tree):
    full = client.get("/")
    head = client.head("/")
    assert head["X-Cache"] == "HIT"
    assert head.content == b""
    assert head["Content-Length"] == full["Content-Length"]


def test_a_logged_in_person_never_gets_the_stored_page(client, tree, make_user):
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    user = make_user()
    assert client.login(email=user.email, password=PASSWORD)
    response = client.get("/")
    assert "X-Cache" not in response
    assert "Log out" in response.content.decode() or "Esci" in response.content.decode()
    assert "private" in response["Cache-Control"]
    # and what they see is not stored for the others
    client.logout()
    anonymous = client.get("/")
    assert "Esci" not in anonymous.content.decode()


def test_languages_have_their_own_entries(client, tree):
    italian = client.get("/")
    english = client.get("/en/")
    assert italian["X-Cache"] == english["X-Cache"] == "MISS"
    assert client.get("/en/")["Content-Language"] == "en"
    assert client.get("/")["Content-Language"] == "it"


def test_an_unprefixed_address_is_italian_whatever_the_browser_asks(client, tree):
    """The key follows LocaleMiddleware: without a prefix the page is Italian, so
    an English browser may be given the stored Italian page."""
    italian = _get(client, "/", **{"Accept-Language": "it"})
    english_browser = _get(client, "/", **{"Accept-Language": "en"})
    assert english_browser["X-Cache"] == "HIT"
    assert english_browser["Content-Language"] == italian["Content-Language"] == "it"
    assert (
        pagecache._language(
            type("R", (), {"path_info": "/en/", "COOKIES": {}, "META": {}})()
        )
        == "en"
    )


@override_settings(ROOT_URLCONF=__name__)
def test_a_response_with_a_csrf_token_is_never_stored(client, tree):
    first = client.get("/csrf/")
    second = client.get("/csrf/", HTTP_COOKIE="")
    assert "X-Cache" not in first
    assert "X-Cache" not in second
    assert "private" in first["Cache-Control"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_response_carrying_a_message_is_never_stored(client, tree):
    response = client.get("/message/")
    assert "X-Cache" not in response
    assert "messages" in response.cookies


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_with_a_pending_message_or_session_bypasses_the_cache(client, tree):
    assert client.get("/plain/")["X-Cache"] == "MISS"
    assert client.get("/plain/")["X-Cache"] == "HIT"
    client.cookies["messages"] = "something"
    assert "X-Cache" not in client.get("/plain/")
    del client.cookies["messages"]
    client.cookies["sessionid"] = "abc"
    assert "X-Cache" not in client.get("/plain/")


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_with_credentials_bypasses_the_cache(client, tree):
    client.get("/plain/")
    response = client.get("/plain/", headers={"Authorization": "Bearer k"})
    assert "X-Cache" not in response


def test_excluded_paths_are_never_stored(client, tree):
    for path_ in ("/account/login/", "/healthz"):
        client.get(path_)
        assert "X-Cache" not in client.get(path_), path_


def test_a_published_practice_refreshes_the_index_home_feeds_and_sitemap(
    client, tree, index
):
    urls = [
        index.url,
        index.url + "feed/",
        index.url + "open-data/json/",
        "/sitemap.xml",
    ]
    for url in urls:
        assert client.get(url).status_code == HTTPStatus.OK, url
        assert client.get(url)["X-Cache"] == "HIT", url
    page = practice(index, title="Sportello mobile nelle frazioni")
    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert page.slug in response.content.decode(), url


def test_unpublish_move_and_delete_make_pages_stale(client, tree, index):
    page = practice(index, title="Tirocini in rete")
    assert "Tirocini in rete" in client.get(index.url).content.decode()
    assert client.get(index.url)["X-Cache"] == "HIT"

    page.unpublish()
    assert "Tirocini in rete" not in client.get(index.url).content.decode()

    page.save_revision().publish()
    assert "Tirocini in rete" in client.get(index.url).content.decode()
    other = practice_index(tree.section)
    page.move(other, pos="last-child")
    assert "Tirocini in rete" not in client.get(index.url).content.decode()

    client.get(other.url)
    page.refresh_from_db()
    page.delete()
    assert "Tirocini in rete" not in client.get(other.url).content.decode()


def test_a_restriction_put_on_a_stored_page_applies_at_once(client, tree, index):
    from wagtail.models import PageViewRestriction

    page = practice(index, title="Riservata tra poco")
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(page.url)
    assert response.status_code == HTTPStatus.FOUND  # to the login page
    assert "Riservata tra poco" not in response.content.decode()


def test_a_renamed_topic_reaches_the_cached_practice_page(client, tree, index):
    term = topic()
    page = practice(index, topics=[term])
    assert "Collocamento mirato" in client.get(page.url).content.decode()
    assert client.get(page.url)["X-Cache"] == "HIT"
    term.name = "Inserimento mirato"
    term.save()
    response = client.get(page.url)
    assert response["X-Cache"] == "MISS"
    assert "Inserimento mirato" in response.content.decode()


def test_a_generation_started_after_a_restart_never_meets_old_entries(tree):
    before = pagecache.generation()
    pagecache.invalidate()
    assert pagecache.generation() != before
    caches["pages"].delete(pagecache.GENERATION_KEY)
    assert pagecache.generation() not in (None, before)


def test_the_page_cache_can_be_switched_off(client, tree, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_stored_pages_carry_no_csrf_token(client, tree, index):
    """Every public page type stored for visitors: none holds a CSRF token."""
    practice(index)
    for url in ("/", "/en/", index.url, tree.section.url, "/cerca/?q=pratica"):
        response = client.get(url)
        if response.get("X-Cache") == "MISS":
            assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_a_community_write_refreshes_the_public_group_page(client, tree, make_user):
    from tests.community.factories import add_member, make_group, make_thread

    group = make_group()
    author = make_user()
    add_member(group, author)
    url = group.get_absolute_url()
    assert client.get(url).status_code == HTTPStatus.OK
    assert client.get(url)["X-Cache"] == "HIT"
    make_thread(group, author, title="Orari dello sportello di Bra")
    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert "Orari dello sportello di Bra" in response.content.decode()


def test_feeds_and_open_data_answer_304_to_a_matching_etag(client, tree, index):
    practice(index)
    for url in (index.url + "feed/", index.url + "open-data/csv/"):
        first = client.get(url)
        assert first.has_header("ETag"), url
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == HTTPStatus.NOT_MODIFIED, url


def test_the_newsletter_archive_with_its_subscribe_form_is_cached(client, tree):
    """The form carries no token, and posting it from the cached page works."""
    from portal.newsletters.models import NewsletterIndexPage

    archive = NewsletterIndexPage(title="Newsletter", slug="newsletter-archivio")
    tree.home.add_child(instance=archive)
    archive.save_revision().publish()
    client.get(archive.url)
    cached = client.get(archive.url)
    assert cached["X-Cache"] == "HIT"
    assert 'data-testid="subscribe-form"' in cached.content.decode()
    assert "csrfmiddlewaretoken" not in cached.content.decode()
    from django.test import Client
    from django.urls import reverse

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("newsletters:subscribe"),
        {"email": "lettrice@example.org", "name": "", "language": "it"},
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert response.status_code != HTTPStatus.FORBIDDEN


def test_a_render_that_overlapped_a_write_is_never_served(rf, tree):
    """A page rendered while someone published was read from the old rows: it is
    stored with the generation of its start, and the next visitor misses it."""

    def render_during_a_publish(request):
        pagecache.invalidate()  # another process publishes while this one renders
        return HttpResponse("<p>vecchio</p>")

    middleware = pagecache.PageCacheMiddleware(render_during_a_publish)
    first = middleware(rf.get("/pagina/"))
    assert first["X-Cache"] == "MISS"

    fresh = pagecache.PageCacheMiddleware(lambda request: HttpResponse("<p>nuovo</p>"))
    second = fresh(rf.get("/pagina/"))
    assert second["X-Cache"] == "MISS"
    assert second.content == b"<p>nuovo</p>"
    third = fresh(rf.get("/pagina/"))
    assert third["X-Cache"] == "HIT"
    assert third.content == b"<p>nuovo</p>"


def test_the_redis_backend_keeps_one_client_per_pool():
    """Django's Redis backend builds a client for every operation (a quarter of
    a cache hit's CPU); the portal's keeps one per connection pool."""
    backend = pagecache.RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool


@override_settings(ROOT_URLCONF=__name__)
def test_a_stored_page_keeps_its_headers_and_a_stale_etag_gets_it_whole(client):
    first = client.get("/plain/")
    assert first["X-Cache"] == "MISS"
    hit = client.get("/plain/")
    assert hit["X-Cache"] == "HIT"
    assert hit["Content-Type"] == first["Content-Type"]
    assert hit["ETag"] == first["ETag"]
    assert "Set-Cookie" not in hit
    stale = _get(client, "/plain/", **{"If-None-Match": '"another"'})
    assert stale.status_code == HTTPStatus.OK
    assert stale.content == first.content
