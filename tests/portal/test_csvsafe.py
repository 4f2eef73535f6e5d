"""Every CSV export goes through portal.csvsafe: text from users never becomes a
spreadsheet formula."""

import csv
import datetime as dt
import io

import pytest

from portal import csvsafe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '=HYPERLINK("http://x.example","clic")',
            '\'=HYPERLINK("http://x.example","clic")',
        ),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("CPI di Lecce", "CPI di Lecce"),
        ("a=b", "a=b"),
        (-5, -5),
        (1.5, 1.5),
        (None, ""),
        (dt.date(2013, 12, 31), "2013-12-31"),
    ],
)
def test_cell(value, written):
    assert csvsafe.cell(value) == written


def test_writers_neutralise_every_cell():
    plain, mapped = io.StringIO(), io.StringIO()

    csvsafe.writer(plain).writerow(["=1+1", 2])
    dict_writer = csvsafe.DictWriter(mapped, fieldnames=["title", "value"])
    dict_writer.writeheader()
    dict_writer.writerow({"title": "@x", "value": None})

    assert next(csv.reader(io.StringIO(plain.getvalue()))) == ["'=1+1", "2"]
    assert list(csv.reader(io.StringIO(mapped.getvalue()))) == [
        ["title", "value"],
        ["'@x", ""],
    ]
