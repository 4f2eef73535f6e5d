from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.accounts.models import Organisation
from sportelli import demo
from sportelli.models import Municipality, Sportello
from sportelli.municipalities import MunicipalityFileError, istat_rows

pytestmark = pytest.mark.django_db

ISTAT_HEADER = ";".join(f"col{number}" for number in range(26))


def _istat_line(code, name, region, province_code, province, sigla):
    cells = [""] * 26
    cells[0], cells[2], cells[4], cells[6] = region, province_code, code, name
    cells[10], cells[11], cells[14] = "Regione", province, sigla
    return ";".join(cells)


def test_istat_rows_read_windows_1252_files():
    raw = "\r\n".join(
        [
            ISTAT_HEADER,
            _istat_line("001001", "Agliè", "01", "001", "Torino", "TO"),
            _istat_line("039010", "Faenza", "08", "039", "Ravenna", "RA"),
        ]
    ).encode("cp1252")

    rows = list(istat_rows(raw))

    assert [(r.istat_code, r.name, r.province_sigla, r.region) for r in rows] == [
        ("001001", "Agliè", "TO", "01"),
        ("039010", "Faenza", "RA", "08"),
    ]


def test_a_file_that_is_not_istat_s_is_refused(tmp_path):
    with pytest.raises(MunicipalityFileError):
        list(istat_rows(b"name,code\nBra,1\n"))
    bad = tmp_path / "bad.csv"
    bad.write_text(ISTAT_HEADER + "\n" + _istat_line("12", "X", "77", "", "", ""))
    with pytest.raises(CommandError):
        call_command("sportelli_load_municipalities", file=bad, stdout=StringIO())


def test_the_command_loads_the_bundled_istat_list_and_updates_in_place():
    Municipality.objects.create(
        istat_code="004029",
        name="Bra (vecchio nome)",
        province_code="004",
        province_sigla="CN",
        province_name="Cuneo",
        region="01",
    )
    out = StringIO()

    call_command("sportelli_load_municipalities", stdout=out)

    assert Municipality.objects.count() > 7800
    assert Municipality.objects.get(istat_code="004029").name == "Bra"
    assert Municipality.objects.get(istat_code="058091").name == "Roma"
    assert "municipalities loaded" in out.getvalue()


def test_demo_is_idempotent_and_shows_eight_example_desks(client, tree):
    demo.load(home=tree.home, stdout=StringIO())
    counts = (
        Sportello.objects.count(),
        Organisation.objects.count(),
        Municipality.objects.count(),
    )
    demo.load(home=tree.home, stdout=StringIO())

    assert (
        Sportello.objects.count(),
        Organisation.objects.count(),
        Municipality.objects.count(),
    ) == counts
    desks = Sportello.objects.filter(is_example=True, status="active")
    assert desks.count() == 8
    regions = set(desks.values_list("municipality__region", flat=True))
    assert regions == {"01", "03", "05", "08"}
    for desk in desks:
        assert desk.charters.exists()
        assert 1 <= desk.agreements.count() <= 2
        assert desk.agreements.filter(kind="cpi").exists()
        assert desk.opening_hours.exists()
        assert desk.services.exists()
        assert desk.roles.filter(role="manager").exists()
        assert desk.roles.filter(role="operator").exists()
    response = client.get(reverse("sportelli:directory"))
    assert response.context["total"] == 8
    assert 'data-testid="examples-notice"' in response.content.decode()
    first = desks.first()
    charter = first.charters.first()
    assert client.get(first.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get(charter.get_absolute_url()).status_code == HTTPStatus.OK
