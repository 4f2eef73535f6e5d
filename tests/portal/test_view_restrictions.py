"""BasePage.get_view_restrictions: Wagtail's rule (the page's and its ancestors'
restrictions; an alias follows its source page) in one query."""

from http import HTTPStatus

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal.models import StandardPage


def _page(parent, slug):
    page = StandardPage(title=slug.title(), slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_restrictions_of_ancestors_apply_in_one_query(client, tree):
    parent = _page(tree.home, "riservata")
    child = _page(parent, "figlia")
    other = _page(tree.home, "pubblica")
    restriction = PageViewRestriction.objects.create(
        page=parent, restriction_type=PageViewRestriction.LOGIN
    )
    list(child.get_view_restrictions())  # the restricted paths, then cached
    with CaptureQueriesContext(connection) as context:
        found = list(child.get_view_restrictions())
    assert found == [restriction]
    assert len(context.captured_queries) == 1
    with CaptureQueriesContext(connection) as context:
        assert list(other.get_view_restrictions()) == []
    assert len(context.captured_queries) == 0  # no restricted path above it
    assert list(parent.get_view_restrictions()) == [restriction]
    response = client.get(child.url)
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(other.url).status_code == HTTPStatus.OK


def test_an_alias_follows_its_source_page(client, tree):
    source_parent = _page(tree.home, "fonte")
    source = _page(source_parent, "originale")
    restriction = PageViewRestriction.objects.create(
        page=source, restriction_type=PageViewRestriction.LOGIN
    )
    alias = source.create_alias(parent=tree.section, update_slug="alias-originale")
    assert list(alias.specific.get_view_restrictions()) == [restriction]
    assert client.get(alias.url).status_code == HTTPStatus.FOUND


def test_a_restriction_added_removed_or_moved_under_applies_at_once(client, tree):
    parent = _page(tree.home, "area")
    child = _page(parent, "documento")
    outside = _page(tree.home, "fuori")
    assert client.get(child.url).status_code == HTTPStatus.OK  # paths cached
    restriction = PageViewRestriction.objects.create(
        page=parent, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(child.url).status_code == HTTPStatus.FOUND
    assert client.get(outside.url).status_code == HTTPStatus.OK
    outside.move(parent, pos="last-child")
    outside.refresh_from_db()
    assert client.get(outside.url).status_code == HTTPStatus.FOUND
    restriction.delete()
    assert client.get(child.url).status_code == HTTPStatus.OK
    assert client.get(outside.url).status_code == HTTPStatus.OK


def test_the_restricted_paths_are_forgotten_again_at_commit(
    tree, django_capture_on_commit_callbacks
):
    """A request between the save and the commit may read the paths without
    the new restriction: the commit moves the version on again."""
    from portal.models import restricted_paths
    from portal.routing import tree_version

    parent = _page(tree.home, "cassetta")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PageViewRestriction.objects.create(
            page=parent, restriction_type=PageViewRestriction.LOGIN
        )
    assert parent.path in restricted_paths()
    before = tree_version()
    for callback in callbacks:
        callback()
    assert tree_version() > before
