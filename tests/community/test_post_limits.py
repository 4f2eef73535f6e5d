"""The post limit: counted with the post, checked before the sanitiser."""

import pytest
from django.core.exceptions import ValidationError

from community import services
from community.models import Post
from tests.community.factories import add_member, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user):
    user = make_user("writer@example.org")
    group = make_group()
    add_member(group, user)
    thread = services.thread_create(author=user, group=group, title="t", body="via")
    return user, thread


def test_limit_counts_threads_and_replies(writer, settings):
    settings.COMMUNITY_RATE_LIMIT_POSTS = 3
    user, thread = writer
    services.post_create(author=user, thread=thread, body="due")
    services.post_create(author=user, thread=thread, body="tre")

    with pytest.raises(ValidationError) as caught:
        services.post_create(author=user, thread=thread, body="quattro")

    assert caught.value.code == "rate_limited"
    assert Post.objects.filter(author=user).count() == 3


def test_refused_posts_are_not_counted(writer, settings):
    settings.COMMUNITY_RATE_LIMIT_POSTS = 2
    user, thread = writer
    for body in ["", "   ", "<script>x</script>"]:
        with pytest.raises(ValidationError) as caught:
            services.post_create(author=user, thread=thread, body=body)
        assert caught.value.code == "empty"

    services.post_create(author=user, thread=thread, body="due")
    assert Post.objects.filter(author=user).count() == 2


def test_cheap_checks_come_before_the_sanitiser(writer, settings, monkeypatch):
    settings.COMMUNITY_RATE_LIMIT_POSTS = 1
    user, thread = writer
    calls = []
    monkeypatch.setattr(services, "sanitize_post", lambda body: calls.append(body))

    for body, code in [("  \n ", "empty"), ("<b>" * 12000, "rate_limited")]:
        with pytest.raises(ValidationError) as caught:
            services.post_create(author=user, thread=thread, body=body)
        assert caught.value.code == code

    assert calls == []
