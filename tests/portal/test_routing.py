"""portal.routing finds the page Wagtail's own routing would, in fewer queries,
and forgets what it cached as soon as the tree or a site changes."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from portal import routing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _request():
    site = Site.objects.get(is_default_site=True)
    return RequestFactory().get("/", HTTP_HOST=site.hostname, SERVER_PORT=site.port)


def _summary(result):
    """What a route decides: the page, its type, and a routable page's view."""
    if result is None:
        return None
    page, args, kwargs = result
    view = None
    if args:
        function, view_args, view_kwargs = args
        view = (function.__name__, tuple(view_args), dict(view_kwargs))
    return (type(page), page.pk, view, kwargs)


def _wagtail(path, language):
    with translation.override(language):
        return _summary(Page.route_for_request(_request(), path))


def _portal(path, language):
    with translation.override(language):
        try:
            result = routing._route(_request(), path)
        except Http404:
            result = None
        return _summary(result)


def _paths():
    """Every page's address in its language, and each routable page's own
    addresses that take no argument, plus addresses that do not exist."""
    for page in Page.objects.filter(depth__gte=2).specific():
        language = page.locale.language_code
        home = page.get_ancestors(inclusive=True).get(depth=2)
        relative = page.url_path[len(home.url_path) :]
        yield relative, language
        yield relative + "no-such-page/", language
        if isinstance(page, RoutablePageMixin):
            for pattern in page.get_subpage_urls():
                try:
                    yield relative + page.reverse_subpage(pattern.name)[1:], language
                except NoReverseMatch:
                    continue


def test_every_address_routes_as_wagtail_routes_it():
    checked = 0
    for path, language in _paths():
        assert _portal(path, language) == _wagtail(path, language), (path, language)
        checked += 1
    assert checked > 150


def test_drafts_and_draft_parents_route_as_wagtail_routes_them():
    from portal.practices.models import GoodPracticePage, PracticeIndexPage

    practice = GoodPracticePage.objects.live().filter(locale__language_code="it")[0]
    index = PracticeIndexPage.objects.get(locale__language_code="it")
    practice_path = practice.url_path[len(index.get_parent().url_path) :]
    index.unpublish()  # a draft parent: Wagtail still serves its live children
    for path in ("buone-pratiche/", practice_path):
        assert _portal(path, "it") == _wagtail(path, "it")
    assert _portal(practice_path, "it") is not None
    practice.unpublish()
    assert _portal(practice_path, "it") is None


def test_a_page_costs_two_queries_then_one():
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.live().filter(locale__language_code="it")[0]
    path = practice.url_path[len("/home/") :]
    routing.site_for_request(_request())  # the site, then cached
    Site.get_site_root_paths()
    for expected in (2, 1):
        request = _request()
        with translation.override("it"), CaptureQueriesContext(connection) as queries:
            page = routing._route(request, path).page
        assert page.pk == practice.pk
        assert len(queries) == expected, [q["sql"][:120] for q in queries]
    # The title and breadcrumbs read the ancestors that came with the route.
    assert [a.depth for a in page._portal_live_ancestors] == list(range(2, page.depth))


def test_unpublished_moved_and_renamed_pages_are_seen_at_once():
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.live().filter(locale__language_code="it")[0]
    old = practice.url_path[len("/home/") :]
    assert _portal(old, "it") is not None  # cached now
    practice.slug = "nuovo-indirizzo"
    practice.save_revision().publish()
    assert _portal(old, "it") is None
    new = Page.objects.get(pk=practice.pk).url_path[len("/home/") :]
    assert _portal(new, "it")[1] == practice.pk
    Page.objects.get(pk=practice.pk).specific.unpublish()
    assert _portal(new, "it") is None


def test_the_site_comes_from_the_cache_until_a_site_changes():
    site = Site.objects.get(is_default_site=True)
    assert routing.site_for_request(_request()).pk == site.pk
    request = _request()
    with CaptureQueriesContext(connection) as queries:
        assert routing.site_for_request(request).pk == site.pk
    assert len(queries) == 0
    other = Site.objects.create(
        hostname="altro.example", port=site.port, root_page=site.root_page
    )
    request = RequestFactory().get("/", HTTP_HOST="altro.example")
    request.META["SERVER_PORT"] = str(site.port)
    assert routing.site_for_request(request).pk == other.pk
    other.hostname = "cambiato.example"
    other.save()
    request = RequestFactory().get("/", HTTP_HOST="altro.example")
    request.META["SERVER_PORT"] = str(site.port)
    # No longer a site of its own: Wagtail's default site answers.
    assert routing.site_for_request(request).pk == site.pk


def test_served_pages_are_the_same_through_the_portal_view(client):
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.live().filter(locale__language_code="it")[0]
    response = client.get(practice.url)
    assert response.status_code == 200
    assert practice.title in response.content.decode()
    assert client.get(practice.url + "no-such-page/").status_code == 404


def test_the_tree_version_is_read_once_per_request(client, monkeypatch):
    from django.core.cache import cache

    reads = []
    get_or_set = cache.get_or_set

    def counted(key, *args, **kwargs):
        reads.append(key)
        return get_or_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_or_set", counted)
    assert client.get("/en/").status_code == 200
    assert reads.count(routing._TREE_KEY) == 1
    # Outside a request (tasks, commands) every read asks the cache.
    routing.tree_version()
    routing.tree_version()
    assert reads.count(routing._TREE_KEY) == 3
    # A change within a request is seen by the rest of that request.
    routing._request_begins()
    try:
        before = routing.tree_version()
        routing.tree_changed()
        assert routing.tree_version() == before + 1
    finally:
        routing._request_ends()
