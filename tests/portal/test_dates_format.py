"""Dates and times in each language's own format, from one place
(portal/formats, FORMAT_MODULE_PATH): Italian month and weekday names in lower
case, English day-month-year with a 24-hour clock, never "12/01/2026 9:03 p.m."."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, timezone, translation

from tests.community.factories import add_member, make_group, make_thread
from tests.portal.test_form_error_summary import pending_italian  # noqa: F401
from tests.seminars.factories import make_index, make_seminar

MOMENT = dt.datetime(2026, 12, 1, 21, 3)  # a Tuesday
MIDMONTH = dt.datetime(2026, 12, 15, 9, 5)  # a Tuesday too


def test_the_portal_declares_its_format_modules():
    assert settings.FORMAT_MODULE_PATH == "portal.formats"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DATE_FORMAT", "1 December 2026"),
        ("DATETIME_FORMAT", "Tuesday 1 December 2026, 21:03"),
        ("SHORT_DATE_FORMAT", "1 Dec 2026"),
        ("SHORT_DATETIME_FORMAT", "1 Dec 2026, 21:03"),
        ("YEAR_MONTH_FORMAT", "December 2026"),
        ("MONTH_DAY_FORMAT", "1 December"),
        ("TIME_FORMAT", "21:03"),
    ],
)
def test_english_formats(name, expected):
    with translation.override("en"):
        assert formats.date_format(MOMENT, name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DATE_FORMAT", "15 dicembre 2026"),
        ("DATETIME_FORMAT", "martedì 15 dicembre 2026, 09:05"),
        ("SHORT_DATE_FORMAT", "15/12/2026"),
        ("SHORT_DATETIME_FORMAT", "15/12/2026 09:05"),
        ("YEAR_MONTH_FORMAT", "dicembre 2026"),
        ("MONTH_DAY_FORMAT", "15 dicembre"),
        ("TIME_FORMAT", "09:05"),
    ],
)
def test_italian_formats_in_lower_case(pending_italian, name, expected):  # noqa: F811
    with translation.override("it"):
        assert formats.date_format(MIDMONTH, name) == expected


def test_every_italian_month_and_weekday_is_lower_case(pending_italian):  # noqa: F811
    template = Template('{{ d|date:"l j F Y" }} {{ d|date:"D b N E" }}')
    with translation.override("it"):
        for month in range(1, 13):
            for day in range(1, 8):
                text = template.render(Context({"d": dt.date(2026, month, day)}))
                assert text == text.lower(), text


def test_english_never_uses_the_american_short_form():
    with translation.override("en"):
        for name in ("SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"):
            text = formats.date_format(MOMENT, name)
            assert not re.search(r"\d+/\d+/\d+", text)
            assert "p.m." not in text


# Pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_english_thread_page_shows_english_dates(client, make_user, settings, tmp_path):
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    author = make_user()
    group = make_group()
    add_member(group, author)
    thread = make_thread(group, author)
    when = timezone.make_aware(MOMENT)
    thread.posts.update(created_at=when)
    response = client.get(f"/en/community/{group.slug}/{thread.pk}/")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "1 Dec 2026, 21:03" in body
    assert "p.m." not in body


@pytest.mark.django_db
def test_italian_seminar_page_writes_lower_case_dates(
    client,
    tree,
    pending_italian,  # noqa: F811
):
    start = timezone.make_aware(MIDMONTH)
    seminar = make_seminar(
        make_index(tree.home),
        start=start,
        end=start + dt.timedelta(hours=3),
        registration_opens=start - dt.timedelta(days=30),
        registration_closes=start - dt.timedelta(hours=1),
    )
    response = client.get(seminar.url)
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "martedì 15 dicembre 2026, 09:05" in body
    assert "Dicembre" not in body and "Martedì" not in body
