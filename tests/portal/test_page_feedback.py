"""Page feedback: the widget on every content page, the two steps with and
without JavaScript, the spam defences, and the editors' report."""

import csv
import datetime as dt
import io
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from portal.feedback import spam
from portal.feedback.models import PageFeedback
from portal.models import StandardPage

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_PAGE_FEEDBACK": "fragment"}


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: step 2 is accepted only some seconds after step 1."""
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(spam, "clock", lambda: now["t"])

    def advance(seconds: float) -> None:
        now["t"] += seconds

    return advance


def url(page, language: str = "en") -> str:
    """The form's address; English by default, so that the messages the tests
    read are the source texts (the Italian ones are checked separately)."""
    with translation.override(language):
        return reverse("feedback:submit", args=[page.pk])


def token_in(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def step_one(client, page, rating=2, **extra):
    return client.post(url(page), {"rating": rating, "website": ""}, **extra)


def send(client, page, *, rating=2, reason="", comment="", clock, **extra):
    """Both steps, as a visitor who takes ten seconds over step 2."""
    first = step_one(client, page, rating=rating, **extra)
    assert first.status_code == HTTPStatus.OK, first.content
    clock(10)
    data = {
        "token": token_in(first.content.decode()),
        "reason": reason,
        "comment": comment,
        "website": "",
    }
    return client.post(url(page), data, **extra)


# The widget


def _widget(html: str) -> str:
    start = html.index('id="page-feedback"')
    return html[start : html.index("</section>", start)]


def test_widget_on_content_pages_posts_to_its_own_url(client, tree):
    html = client.get("/buone-pratiche/").content.decode()

    widget = _widget(html)
    assert "Was this page useful?" in widget or "Questa pagina ti è stata utile?" in (
        widget
    )
    assert f'action="{url(tree.section, "it")}"' in widget
    assert widget.count('type="radio"') == 5
    assert 'name="website"' in widget  # the honeypot
    assert "js/page-feedback.js" in html
    # Nothing about the visitor: no CSRF token, so the page stays cacheable.
    assert "csrfmiddlewaretoken" not in widget


def test_widget_is_the_same_for_every_visitor(client, tree, make_user):
    anonymous = _widget(client.get("/buone-pratiche/").content.decode())
    client.force_login(make_user())
    signed_in = _widget(client.get("/buone-pratiche/").content.decode())

    assert anonymous == signed_in


def test_english_page_posts_to_the_english_url(client, tree):
    html = client.get("/en/good-practices/").content.decode()

    assert f'action="/en/{url(tree.section_en).lstrip("/")}"' in html or (
        f'action="{url(tree.section_en)}"' in html
    )


def test_no_widget_or_script_outside_pages(client, tree):
    html = client.get(reverse("search:search")).content.decode()

    assert 'id="page-feedback"' not in html
    assert "page-feedback.js" not in html


def test_a_page_type_can_opt_out(client, tree, monkeypatch):
    monkeypatch.setattr(StandardPage, "page_feedback", False, raising=False)

    assert 'id="page-feedback"' not in client.get("/privacy/").content.decode()
    assert step_one(client, tree.privacy).status_code == HTTPStatus.NOT_FOUND


# The two steps


@pytest.mark.parametrize(
    ("rating", "shown", "hidden"),
    [
        (1, "The information was not clear", "The information was clear"),
        (3, "I had technical problems", "Everything worked without problems"),
        (4, "The information was clear", "The information was not clear"),
        (5, "Everything worked without problems", "I had technical problems"),
    ],
)
def test_step_one_asks_the_follow_up_that_matches_the_rating(
    client, tree, rating, shown, hidden
):
    response = step_one(client, tree.section, rating=rating)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert shown in html and hidden not in html
    assert 'name="token"' in html
    assert PageFeedback.objects.count() == 0  # nothing stored before step 2


def test_happy_path_without_javascript(client, tree, clock):
    response = send(
        client,
        tree.section,
        rating=2,
        reason="incomplete",
        comment="Manca l'elenco dei CPI.",
        clock=clock,
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/buone-pratiche/"
    feedback = PageFeedback.objects.get()
    assert (feedback.page_id, feedback.locale_id) == (
        tree.section.pk,
        tree.section.locale_id,
    )
    assert (feedback.rating, feedback.reason) == (2, "incomplete")
    assert feedback.comment == "Manca l'elenco dei CPI."
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback." in page or "Grazie" in page


def test_happy_path_with_javascript_gets_fragments(client, tree, clock):
    first = step_one(client, tree.section_en, rating=5, **FRAGMENT)
    assert "<html" not in first.content.decode()
    clock(5)
    response = client.post(
        url(tree.section_en),
        {"token": token_in(first.content.decode()), "reason": "clear"},
        **FRAGMENT,
    )

    assert response.status_code == HTTPStatus.OK
    assert 'data-testid="page-feedback-thanks"' in response.content.decode()
    feedback = PageFeedback.objects.get()
    assert feedback.page_id == tree.section_en.pk
    assert feedback.locale.language_code == "en"


def test_every_answer_is_optional_after_the_rating(client, tree, clock):
    response = send(client, tree.section, rating=4, clock=clock)

    assert response.status_code == HTTPStatus.FOUND
    assert PageFeedback.objects.get().reason == ""


def test_get_and_unknown_or_draft_pages_are_refused(client, tree):
    assert client.get(url(tree.section)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    missing = reverse("feedback:submit", args=[999999])
    assert client.post(missing, {"rating": 3}).status_code == HTTPStatus.NOT_FOUND
    tree.untranslated.unpublish()
    assert step_one(client, tree.untranslated).status_code == HTTPStatus.NOT_FOUND


# Invalid input: a clear message, nothing saved


@pytest.mark.parametrize("rating", ["", "0", "6", "tre"])
def test_invalid_rating(client, tree, rating):
    response = client.post(url(tree.section), {"rating": rating})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a rating from 1 to 5." in response.content.decode()
    assert PageFeedback.objects.count() == 0


def test_answer_that_does_not_match_the_rating(client, tree, clock):
    response = send(client, tree.section, rating=5, reason="technical", clock=clock)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose one of the answers offered for your rating." in (
        response.content.decode()
    )
    assert PageFeedback.objects.count() == 0


def test_comment_too_long(client, tree, clock):
    response = send(client, tree.section, rating=3, comment="x" * 501, clock=clock)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "at most 500 characters long (it has 501)" in html
    assert 'aria-invalid="true"' in html
    assert PageFeedback.objects.count() == 0


def test_comment_is_kept_as_plain_text(client, tree, clock):
    send(
        client,
        tree.section,
        rating=3,
        comment="<b>ok</b>\x07 fine ",
        clock=clock,
    )

    assert PageFeedback.objects.get().comment == "<b>ok</b> fine"
    html = client.get("/admin/page-feedback/?export=answers")
    assert html.status_code != HTTPStatus.OK  # not for visitors


@pytest.mark.parametrize("token", ["", "forged", "eyJwIjoxfQ:1abc:xyz"])
def test_forged_or_missing_token(client, tree, token):
    response = client.post(url(tree.section), {"token": token, "reason": ""})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This form has expired" in response.content.decode()
    assert PageFeedback.objects.count() == 0


def test_token_of_another_page_or_too_old(client, tree, clock):
    token = spam.token_issue(page_id=tree.home.pk, rating=4)
    clock(10)
    response = client.post(url(tree.section), {"token": token})
    assert response.status_code == HTTPStatus.BAD_REQUEST

    token = spam.token_issue(page_id=tree.section.pk, rating=4)
    clock(spam.max_age() + 1)
    response = client.post(url(tree.section), {"token": token})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert PageFeedback.objects.count() == 0


# Spam


def test_honeypot_is_answered_like_a_success_and_saves_nothing(client, tree, clock):
    first = step_one(client, tree.section, rating=1)
    clock(10)
    response = client.post(
        url(tree.section),
        {"token": token_in(first.content.decode()), "website": "https://spam.example"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert PageFeedback.objects.count() == 0
    response = client.post(url(tree.section), {"rating": 1, "website": "x"})
    assert response.status_code == HTTPStatus.FOUND


def test_too_fast_is_refused_then_accepted_after_a_moment(client, tree, clock):
    first = step_one(client, tree.section, rating=4)
    data = {"token": token_in(first.content.decode()), "reason": "found"}

    clock(1)
    response = client.post(url(tree.section), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "sent too quickly" in response.content.decode()
    assert PageFeedback.objects.count() == 0
    clock(5)
    assert client.post(url(tree.section), data).status_code == HTTPStatus.FOUND
    assert PageFeedback.objects.count() == 1


def test_rate_limit_per_page_uses_the_client_address_behind_nginx(
    client, tree, clock, settings
):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.FEEDBACK_RATE_PER_PAGE_PER_DAY = 2
    visitor = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    other = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}

    for _ in range(2):
        assert send(client, tree.section, clock=clock, **visitor).status_code == 302
    limited = step_one(client, tree.section, **visitor)
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 'data-testid="page-feedback-limited"' in limited.content.decode()
    # Another visitor behind the same nginx is not limited.
    assert send(client, tree.section, clock=clock, **other).status_code == 302
    assert PageFeedback.objects.count() == 3


def test_rate_limit_at_step_two_saves_nothing(client, tree, clock, settings):
    settings.FEEDBACK_RATE_PER_HOUR = 1
    first = step_one(client, tree.section, rating=4)
    second = step_one(client, tree.home, rating=4)
    clock(10)
    assert (
        client.post(url(tree.section), {"token": token_in(first.content.decode())})
    ).status_code == HTTPStatus.FOUND

    response = client.post(url(tree.home), {"token": token_in(second.content.decode())})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert PageFeedback.objects.count() == 1


# The editors' report


def _feedback(page, rating, reason="", comment="", days_ago=0):
    return PageFeedback.objects.create(
        page=page,
        locale_id=page.locale_id,
        rating=rating,
        reason=reason,
        comment=comment,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def editor(make_user):
    user = make_user(email="redazione@example.org")
    user.groups.add(Group.objects.get(name="Editors"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin in English for the assertions
    profile.save()
    return user


@pytest.fixture
def admin_only(make_user):
    """A user who may enter the admin, but is no editor."""
    user = make_user(email="altro@example.org")
    user.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    return user


REPORT = "/admin/page-feedback/"


def test_report_is_for_editors_only(client, tree, editor, admin_only, make_user):
    assert reverse("feedback_report") == REPORT
    anonymous = client.get(REPORT)
    assert anonymous.status_code == HTTPStatus.FOUND
    assert "/login/" in anonymous["Location"]
    client.force_login(admin_only)
    assert client.get(REPORT).status_code == HTTPStatus.FORBIDDEN
    assert client.get(REPORT + "?export=pages").status_code == HTTPStatus.FORBIDDEN
    assert client.get(REPORT + "?export=answers").status_code == HTTPStatus.FORBIDDEN
    client.force_login(editor)
    assert client.get(REPORT).status_code == HTTPStatus.OK


def test_report_counts_averages_distribution_and_answers(client, tree, editor):
    _feedback(tree.section, 1, "unclear")
    _feedback(tree.section, 2, "unclear")
    _feedback(tree.section, 5, "clear")
    _feedback(tree.home, 4, days_ago=40)
    client.force_login(editor)

    html = client.get(REPORT).content.decode()

    table = html[html.index('data-testid="feedback-report"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows[0])).strip()
    assert first.startswith("Buone pratiche IT 3 2.67 / 5 1 1 0 0 1")
    assert "The information was not clear: 2" in first
    assert "The information was clear: 1" in first
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    recent = client.get(REPORT, {"since": since}).content.decode()
    assert "Buone pratiche" in recent and "Esplora Lavoro</a>" not in recent


def test_report_rejects_a_backwards_period(client, tree, editor):
    client.force_login(editor)
    response = client.get(REPORT, {"since": "2026-05-01", "until": "2026-04-01"})

    assert response.status_code == HTTPStatus.OK
    assert "The end date comes before the start date." in response.content.decode()


def _csv(response) -> list[list[str]]:
    body = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # a staff export opens in Excel
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_exports(client, tree, editor):
    _feedback(tree.section, 2, "unclear", comment='=HYPERLINK("http://x")')
    _feedback(tree.section, 4)
    client.force_login(editor)

    pages = client.get(REPORT, {"export": "pages"})
    assert pages["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(pages)
    assert rows[0][:6] == [
        "Page ID",
        "Page",
        "Language",
        "Answers",
        "Average rating",
        "Rating 1",
    ]
    assert rows[1][:10] == [
        str(tree.section.pk),
        "Buone pratiche",
        "it",
        "2",
        "3.0",
        "0",
        "1",
        "0",
        "1",
        "0",
    ]
    assert rows[1][rows[0].index("The information was not clear")] == "1"

    answers = _csv(client.get(REPORT, {"export": "answers"}))
    assert answers[0][-1] == "Comment"
    comments = [row[-1] for row in answers[1:]]
    assert '\'=HYPERLINK("http://x")' in comments  # neutralised formula


@pytest.mark.parametrize("pages", [2, 12])
def test_report_query_count_does_not_grow_with_pages(client, tree, editor, pages):
    for number in range(pages):
        page = tree.home.add_child(
            instance=StandardPage(title=f"Pagina {number}", slug=f"pagina-{number}")
        )
        for rating in (1, 3, 5):
            _feedback(page, rating, "technical" if rating < 4 else "worked")
    client.force_login(editor)
    client.get(REPORT)  # warm the admin's own caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(REPORT)

    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("/edit/") >= pages
    assert len(queries) == QUERIES, [query["sql"] for query in queries]


QUERIES = 12  # session, user, groups and permissions, the admin, the report


# Progressive enhancement, in a real browser


def test_the_italian_form_answers_in_italian(client, tree):
    response = client.post(url(tree.section, "it"), {"rating": "6"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    with translation.override("it"):
        expected = translation.gettext("Choose a rating from 1 to 5.")
    assert expected != "Choose a rating from 1 to 5."
    assert expected in response.content.decode()
