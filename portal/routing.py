"""Finding the page for an address: Wagtail's answer, in two queries instead of
two per level of the tree.

Wagtail reads the request's site (one query), the home page's translation and its
specific row, then each level's child and its specific row: five to seven queries
before a practice is served, about a third of an uncached page's CPU. Here

- the site comes from the cache (``site_for_request``, emptied when a Site is
  saved or deleted), for every view that asks Wagtail for it;
- the pages from the localized home down to the address come in one query by
  ``url_path``, kept in the cache until the tree changes (``tree_changed``:
  publish, unpublish, move, slug change, delete), and only the page served is
  read, fresh, as its own type;
- a page whose type routes by itself (a routable page's sub-addresses, or any other
  ``route`` of its own) is handed the rest of the path exactly as Wagtail would.

Whatever this cannot answer with certainty (no site, no home in the language, a
page type it does not know) is left to Wagtail's own routing, so the result is
always the one Wagtail would give. The chain also gives the page its live
ancestors, which the title and the breadcrumbs read.
"""

import hashlib
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.url_routing import RouteResult

_SITES_KEY = "portal:sites"
_TREE_KEY = "portal:tree:version"
# Distinct host:port pairs remembered; ALLOWED_HOSTS keeps them few in production.
_SITES_MAX = 64
_SITES_SECONDS = 300


def site_for_request(request) -> Site | None:
    """The request's Wagtail site by Wagtail's rules, from the cache; remembered
    on the request where ``Site.find_for_request`` looks for it."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"{hostname}:{request.get_port()}"
    known = cache.get(_SITES_KEY) or {}
    if key in known:
        site = known[key]
    else:
        try:
            site = get_site_for_hostname(hostname, request.get_port())
        except Site.DoesNotExist:
            site = None
        if site is not None:
            # The home page is read when needed, never kept stale in the cache.
            site._state.fields_cache.pop("root_page", None)
        if len(known) < _SITES_MAX:
            # Not forever: a Site saved while this was read could otherwise be
            # put back stale after sites_invalidate emptied the entry.
            cache.set(_SITES_KEY, {**known, key: site}, _SITES_SECONDS)
    request._wagtail_site = site
    return site


def sites_invalidate(**kwargs) -> None:
    cache.delete(_SITES_KEY)


def tree_version() -> int:
    """The page tree's version: what is cached from the tree (routes, menus,
    language links, restricted paths) is keyed by it. Read once per request:
    the route, the menu and the language links of one page then agree on it."""
    memo = _request_memo.get()
    if memo is None:
        return cache.get_or_set(_TREE_KEY, 1, None)
    if _TREE_KEY not in memo:
        memo[_TREE_KEY] = cache.get_or_set(_TREE_KEY, 1, None)
    return memo[_TREE_KEY]


def tree_changed() -> None:
    """Make everything cached from the page tree stale (portal.signals calls it
    on publish, unpublish, move, slug change and delete)."""
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(_TREE_KEY, None)
    try:
        cache.incr(_TREE_KEY)
    except ValueError:
        cache.set(_TREE_KEY, 2, None)


# What one request has read already; None outside requests (tasks, commands).
_request_memo: ContextVar[dict | None] = ContextVar("portal_routing", default=None)


@receiver(request_started)
def _request_begins(**kwargs) -> None:
    _request_memo.set({})


@receiver(request_finished)
def _request_ends(**kwargs) -> None:
    _request_memo.set(None)


def _chain(site: Site, paths: list[str]) -> list[Page]:
    """The pages at ``paths`` (the home down to the address), by depth; cached
    when all exist, so an unknown address costs its query and nothing else."""
    digest = hashlib.sha256(paths[-1].encode()).hexdigest()[:32]
    key = f"portal:route:{tree_version()}:{site.pk}:{digest}"
    chain = cache.get(key)
    if chain is not None and [page.url_path for page in chain] == paths:
        return chain
    chain = list(Page.objects.filter(url_path__in=paths).order_by("depth"))
    if len(chain) == len(paths):
        cache.set(key, chain, settings.PORTAL_NAVIGATION_CACHE_SECONDS)
    return chain


def _routes_to_children(model) -> bool:
    """Whether pages of ``model`` find their children as Wagtail's Page does (the
    portal's BasePage.route gives the same answer in fewer queries); a routable
    page's own views are looked at first (``_answers_itself``)."""
    from portal.models import BasePage

    route = model.route
    if issubclass(model, RoutablePageMixin) and route is RoutablePageMixin.route:
        route = super(RoutablePageMixin, model).route
    return route in (Page.route, BasePage.route)


def _answers_itself(model, page, rest: list[str]) -> bool:
    """Whether a live routable page serves ``rest`` with one of its own views, as
    RoutablePageMixin.route decides before it looks at the children."""
    if not (issubclass(model, RoutablePageMixin) and page.live):
        return False
    path = "/" + "".join(f"{component}/" for component in rest)
    try:
        model.get_resolver().resolve(path)
    except Http404:
        return False
    return True


def _route(request, path: str):
    """Wagtail's RouteResult for ``path``; raises LookupError when this cannot
    say for certain (Wagtail's own routing then answers)."""
    site = site_for_request(request)
    if site is None:
        raise LookupError
    language = translation.get_language() or settings.LANGUAGE_CODE
    roots = {
        root.language_code: root.root_path
        for root in Site.get_site_root_paths()
        if root.site_id == site.pk
    }
    root_path = roots.get(language)
    if root_path is None:
        raise LookupError
    components = [component for component in path.split("/") if component]
    paths = [root_path] + [
        root_path + "".join(f"{c}/" for c in components[: level + 1])
        for level in range(len(components))
    ]
    chain = _chain(site, paths)
    if not chain or chain[0].url_path != root_path:
        raise LookupError
    home = chain[0]
    if home.pk != site.root_page_id and not home.live:
        raise LookupError  # Wagtail falls back to the site's own home page
    for level, page in enumerate(chain):
        if page.url_path != paths[level] or page.depth != home.depth + level:
            raise LookupError
        model = page.specific_class
        if model is None:
            raise LookupError
        rest = components[level:]
        if not _routes_to_children(model) or _answers_itself(model, page, rest):
            return _specific(page, chain[:level]).route(request, rest)
        if not rest:
            specific = _specific(page, chain[:level])
            if not specific.live:
                raise Http404
            return RouteResult(specific)
    raise Http404  # the next level's child does not exist


def _specific(page: Page, ancestors: list[Page]) -> Page:
    """The page as its own type, with its parent and its live ancestors below
    the tree's root as read with it (``portal_tags._live_ancestors``)."""
    specific = page.specific
    if ancestors:
        specific._cached_parent_obj = ancestors[-1]
    specific._portal_live_ancestors = [
        ancestor for ancestor in ancestors if ancestor.depth >= 2 and ancestor.live
    ]
    return specific


def serve(request, path):
    """Wagtail's page view, with the route found here first."""
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            request._wagtail_route_for_request = _route(request, path)
        except LookupError:
            pass  # Wagtail's own routing answers
        except Http404:
            request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)
