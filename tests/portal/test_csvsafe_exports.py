"""One CSV writer for every export: each dangerous prefix is neutralised in
every way of writing, staff exports carry a UTF-8 BOM for Excel, open data does
not, and no code outside portal.csvsafe writes CSV by itself."""

import csv
import io
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from portal import csvsafe

BOM = b"\xef\xbb\xbf"
ROOT = Path(__file__).resolve().parents[2]

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://x.example","clic")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "\uff1d1+1",  # full-width =
    "\uff0bcmd",  # full-width +
    "\uff0d2+3",  # full-width -
    "\uff20SUM(A1)",  # full-width @
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_every_dangerous_prefix_is_neutralised_by_every_writer(value):
    plain, mapped = io.StringIO(), io.StringIO()
    csvsafe.writer(plain).writerow([value, "ok"])
    dict_writer = csvsafe.DictWriter(mapped, fieldnames=["title", "other"])
    dict_writer.writerow({"title": value, "other": "ok"})
    streamed = "".join(csvsafe.stream([[value, "ok"]], bom=False))

    for text in (plain.getvalue(), mapped.getvalue(), streamed):
        (row,) = list(csv.reader(io.StringIO(text, newline="")))
        assert row == ["'" + value, "ok"]


@pytest.mark.parametrize(
    "value", ["CPI di Lecce", "a=b", "Forlì-Cesena", " =spazio", "e-mail", ""]
)
def test_ordinary_text_is_left_alone(value):
    assert csvsafe.cell(value) == value


def test_response_with_and_without_bom():
    staff = csvsafe.response(filename="iscritti.csv", bom=True)
    csvsafe.writer(staff).writerow(["Unità", "=1"])
    open_data = csvsafe.response(filename="dati.csv", bom=False, inline=True)
    csvsafe.writer(open_data).writerow(["Unità", "=1"])

    assert staff.content == BOM + "Unità,'=1\r\n".encode()
    assert open_data.content == "Unità,'=1\r\n".encode()
    assert staff["Content-Type"] == "text/csv; charset=utf-8"
    assert staff["Content-Disposition"] == 'attachment; filename="iscritti.csv"'
    assert open_data["Content-Disposition"] == 'inline; filename="dati.csv"'
    assert staff["X-Content-Type-Options"] == "nosniff"


def test_streaming_response_with_bom():
    response = csvsafe.streaming_response(
        iter([["name"], ["@x"], ["Forlì"]]), filename="a.csv", bom=True
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM)
    assert body[len(BOM) :].decode() == "name\r\n'@x\r\nForlì\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="a.csv"'


# --- Every export, end to end ---------------------------------------------------


@pytest.mark.django_db
def test_newsletter_export_is_a_staff_export_with_bom(admin_client):
    from portal.newsletters.models import Subscriber

    Subscriber.objects.create(email="forli@example.org", name="\uff1dHYPERLINK()")
    response = admin_client.get(reverse("newsletters_admin:export"))
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "email"
    assert rows[1][1] == "'\uff1dHYPERLINK()"


@pytest.mark.django_db
def test_seminar_attendee_export_is_a_staff_export_with_bom(client, tree, make_user):
    from portal.seminars import services
    from tests.seminars.factories import (
        make_index,
        make_seminar,
        registration_data,
    )

    seminar = make_seminar(make_index(tree.home))
    services.registration_create(
        seminar=seminar,
        user=make_user(email="eva@example.org"),
        **registration_data(name="-Unità operativa"),
    )
    client.force_login(make_user(email="viewer@example.org", is_superuser=True))
    response = client.get(seminar.url + seminar.reverse_subpage("export_route"))
    assert response.status_code == HTTPStatus.OK
    assert response.content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'-Unità operativa"


@pytest.mark.django_db
def test_practices_open_data_has_no_bom(client, tree):
    from tests.practices import factories

    index = factories.practice_index(tree.home)
    factories.practice(index, title="@Rete dell'Unità")
    response = client.get(index.url + "open-data/csv/")
    assert response.status_code == HTTPStatus.OK
    assert not response.content.startswith(BOM)
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["title"] == "'@Rete dell'Unità"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["indicatori", "azioni"])
def test_monitoring_open_data_has_no_bom(client, tree, name):
    from tests.monitoring.factories import objective_page

    page = objective_page(tree.section, actions=1, indicators=1)
    response = client.get(page.url + f"dati/{name}/csv/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(BOM)
    assert response.content.decode().splitlines()[0].split(",")[0].isascii()


# --- Nobody writes CSV around the module ---------------------------------------

BYPASS = re.compile(r"csv\.(writer|DictWriter)\(|text/csv|\\ufeff")
EXPORTING_PACKAGES = ["portal", "community", "kit_downloads", "search", "sportelli"]


def test_no_export_bypasses_csvsafe():
    offenders = []
    for package in EXPORTING_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            # pagecache.py names the type among those it may store: it writes none.
            if path in (
                ROOT / "portal" / "csvsafe.py",
                ROOT / "portal" / "pagecache.py",
            ):
                continue
            if "migrations" in path.parts:
                continue
            # An app's datasets.py names the media type of its distributions
            # for the open-data catalogue: it writes no CSV.
            if path.name == "datasets.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if BYPASS.search(line) and '"encodingFormat"' not in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line}")
    assert offenders == []
