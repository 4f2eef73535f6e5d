"""The 403 page says why: the reason when it is meant for the visitor, a
generic explanation otherwise, and a way on (login, home, contact)."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from community.models import GroupMembership
from portal.forbidden import Forbidden
from portal.models import PortalSettings
from portal.views import permission_denied
from tests.community.factories import add_member, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(tree):
    return make_group()


def test_banned_member_is_told_in_italian(client, make_user, group):
    user = make_user()
    add_member(group, user, status=GroupMembership.Status.BANNED)
    client.force_login(user)

    response = client.get(reverse("community:thread_create", args=[group.slug]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    content = response.content.decode()
    assert "Accesso negato" in content
    assert "Sei stato escluso da questo gruppo." in content
    assert reverse("account_login") + "?next=" not in content
    assert 'href="/"' in content


def test_member_who_is_not_a_moderator_is_told_so(client, make_user, group):
    user = make_user()
    add_member(group, user)
    client.force_login(user)

    response = client.get(reverse("community:moderation_queue", args=[group.slug]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Solo i moderatori del gruppo possono farlo." in response.content.decode()


def _render(exception, user, path="/comunita/riservata/"):
    request = RequestFactory().get(path)
    request.user = user
    return permission_denied(request, exception).content.decode()


def test_anonymous_visitor_gets_the_login_link_and_the_contact(tree):
    settings = PortalSettings.for_site(tree.home.get_site())
    settings.contact_email = "redazione@esploralavoro.example"
    settings.save()

    content = _render(PermissionDenied(), AnonymousUser())

    assert "Non hai il permesso di vedere questa pagina o di fare questa azione." in (
        content
    )
    assert f"{reverse('account_login')}?next=/comunita/riservata/" in content
    assert 'href="mailto:redazione@esploralavoro.example"' in content


def test_technical_messages_from_libraries_are_not_shown(tree, make_user):
    content = _render(
        PermissionDenied("Unable to determine client IP address"), make_user()
    )

    assert "client IP" not in content
    assert "Non hai il permesso" in content


def test_reason_is_escaped(tree, make_user):
    content = _render(Forbidden("<script>x</script>"), make_user())

    assert "<script>x</script>" not in content
    assert "&lt;script&gt;" in content
