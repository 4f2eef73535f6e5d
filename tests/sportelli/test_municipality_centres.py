"""Municipalities carry the coordinates of their centre (for distances)."""

import math

import pytest
from django.core.management import call_command

from sportelli.models import Municipality
from sportelli.municipalities import centres, istat_rows

from .test_demo_and_data import ISTAT_HEADER, _istat_line


def test_every_centre_lies_in_italy_and_codes_are_istat_s():
    table = centres()
    assert len(table) > 7800
    for code, (latitude, longitude) in table.items():
        assert len(code) == 6 and code.isdigit()
        assert 35.4 < latitude < 47.1 and 6.6 < longitude < 18.6, code


def test_known_centres_are_where_the_towns_are():
    table = centres()
    # Bra (CN) and Palermo: within a few km of the town halls.
    assert math.isclose(table["004029"][0], 44.70, abs_tol=0.05)
    assert math.isclose(table["004029"][1], 7.85, abs_tol=0.05)
    assert math.isclose(table["082053"][0], 38.11, abs_tol=0.1)
    assert math.isclose(table["082053"][1], 13.36, abs_tol=0.1)


def test_rows_read_from_istat_get_their_centre_and_unknown_codes_none():
    raw = "\n".join(
        [
            ISTAT_HEADER,
            _istat_line("004029", "Bra", "01", "004", "Cuneo", "CN"),
            _istat_line("004999", "Nessuno", "01", "004", "Cuneo", "CN"),
        ]
    ).encode()
    bra, unknown = istat_rows(raw)
    assert bra.latitude is not None and bra.longitude is not None
    assert unknown.latitude is None and unknown.longitude is None


@pytest.mark.django_db
def test_loading_the_list_fills_the_coordinates():
    call_command("sportelli_load_municipalities", stdout=None)
    with_centre = Municipality.objects.filter(latitude__isnull=False).count()
    assert with_centre >= Municipality.objects.count() - 50
