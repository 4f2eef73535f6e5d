import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from portal.monitoring import importers
from portal.monitoring.demo import SEED_004

ACTIONS_CSV = (
    "code,description,progress_percent,planned_start,actual_start,planned_end,"
    "actual_end,responsible,responsible_centre,status\n"
    "A,Coordinamento Tavolo OPML,100,01/01/2023,01/01/2023,31/12/2023,31/12/2023,"
    ",LAVORO E FORMAZIONE,red\n"
    "F2,Incontri di raccordo,--,2023-10-01,---,2023-12-31,---,,LAVORO E FORMAZIONE,\n"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read(text: str, kind: str, filename: str = "rows.csv"):
    return importers.read_objective_rows(
        content=text.encode(), filename=filename, kind=kind
    )


def rejected(text: str, kind: str, filename: str = "rows.csv") -> list[str]:
    with pytest.raises(importers.ImportRejected) as error:
        read(text, kind, filename)
    return [str(issue) for issue in error.value.issues]


def test_actions_from_csv():
    first, second = read(ACTIONS_CSV, "actions")
    assert first.code == "A"
    assert first.progress == 100
    assert first.planned_start == datetime.date(2023, 1, 1)
    assert first.actual_end == datetime.date(2023, 12, 31)
    assert second.progress is None
    assert second.actual_start is None
    assert second.planned_end == datetime.date(2023, 12, 31)


def test_indicators_from_semicolon_csv_with_italian_headings_and_decimal_comma():
    text = (
        "Codice;Descrizione;Tipo;Valore previsto;Valore raggiunto\n"
        "C1;Persone segnalate (valore in %);RISULTATO;50,0;81,0\n"
        "G2;Risorsa umana formata;____________;0;\n"
    )
    c1, g2 = read(text, "indicators")
    assert (c1.planned_value, c1.achieved_value) == (Decimal("50.0"), Decimal("81.0"))
    assert g2.kind == ""
    assert g2.achieved_value is None


def test_indicators_from_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "indicatori"
    sheet.append(["code", "description", "type", "planned_value", "achieved_value"])
    sheet.append(["F2", "N. incontri di raccordo", "RISULTATO", 1, 0])
    sheet.append(["G3", "N. controlli svolti (in %)", None, 50.0, 0.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = importers.read_objective_rows(
        content=buffer.getvalue(), filename="indicatori.xlsx", kind="indicators"
    )
    assert [row.code for row in rows] == ["F2", "G3"]
    assert rows[1].planned_value == Decimal("50.0")
    assert rows[1].status.value == "red"


def test_actions_from_xlsx_with_real_dates():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["description", "planned_start", "planned_end"])
    sheet.append(["Azione", datetime.datetime(2023, 1, 1), datetime.date(2023, 3, 31)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = importers.read_objective_rows(
        content=buffer.getvalue(), filename="a.xlsx", kind="actions"
    )
    assert row.planned_end == datetime.date(2023, 3, 31)


def test_every_bad_row_and_column_is_reported():
    text = (
        "code,description,type,planned_value,achieved_value\n"
        "A1,Incontri,RISULTATO,4,4\n"
        "A2,,RISULTATO,tre,3\n"
        "A3,Newsletter,QUALITÀ,3,-1\n"
    )
    messages = rejected(text, "indicators")
    assert "Row 3, column “description”: this value is required." in messages
    assert "Row 3, column “planned_value”: “tre” is not a number." in messages
    assert any(m.startswith("Row 4, column “type”: “QUALITÀ” is not") for m in messages)
    assert any(m.startswith("Row 4, column “achieved_value”:") for m in messages)
    assert not any(m.startswith("Row 2") for m in messages)


def test_end_before_start_is_refused_with_a_message():
    text = (
        "description,planned_start,actual_start,planned_end,actual_end\n"
        "Azione,01/06/2023,01/06/2023,31/05/2023,01/05/2023\n"
    )
    messages = rejected(text, "actions")
    assert (
        "Row 2, column “planned_end”: The planned end cannot precede the planned "
        "start." in messages
    )
    assert (
        "Row 2, column “actual_end”: The actual end cannot precede the actual start."
        in messages
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The file is empty."),
        ("code,description,colour,planned_value\n", "Row 1, column “colour”: unknown"),
        ("code,description\nA1,x\n", "Row 1, column “planned_value”: this column is"),
        ("code,description,planned_value\n", "The file has no rows to import."),
        ("code,code,description,planned_value\n", "Row 1, column “code”: this col"),
    ],
)
def test_bad_files_are_rejected_whole(text, expected):
    messages = rejected(text, "indicators")
    assert any(message.startswith(expected) for message in messages), messages


def test_bad_progress_and_dates():
    text = (
        "description,progress,planned_start,planned_end\n"
        "Azione,150,31/02/2023,2023-12-31\n"
    )
    messages = rejected(text, "actions")
    assert (
        "Row 2, column “progress”: The progress must be a whole number from 0 to "
        "100." in messages
    )
    assert any(
        m.startswith("Row 2, column “planned_start”: “31/02/2023”") for m in messages
    )


def test_non_utf8_and_broken_xlsx():
    with pytest.raises(importers.ImportRejected):
        importers.read_objective_rows(
            content="codice;descrizione\nà".encode("cp1252"),
            filename="x.csv",
            kind="actions",
        )
    with pytest.raises(importers.ImportRejected) as error:
        importers.read_objective_rows(
            content=b"PK\x03\x04broken", filename="x.xlsx", kind="actions"
        )
    assert "XLSX" in str(error.value.issues[0])


# -- programme report tables --------------------------------------------------


def test_seed_004_table():
    table = importers.read_report(content=SEED_004.read_bytes(), filename=SEED_004.name)
    assert table.headings[0] == "AMBITO"
    assert table.headings[1:] == [
        "Obiettivi quali -quantitativi 2009-2011",
        "Risultati previsti al 2011",
        "Risultati al 2011",
        "Risultati previsti al 2012",
    ]
    areas = [row.area for row in table.rows]
    assert len(areas) == 12
    assert areas[0] == "GOVERNANCE TRANSNAZIONALE"
    assert areas[-1] == "PROMOZIONE DELLA TRANSNAZIONALITÀ"
    assert "AMBITO" not in areas
    assert table.skipped_lines > 0
    governance = table.rows[1].cells
    # The row continued after the page break is merged into one cell...
    assert "Stipulare 1 accordo tra Ministero Lavoro" in governance[0]
    assert (
        "procedure di gestione, monitoraggio, controllo, rendicontazione"
        in governance[2]
    )
    # ...and keeps its bullet lists, nested ones included, with no attributes.
    assert governance[1].count("<li>") >= 7
    assert "<ul><li>Andamento della popolazione attiva (ISTAT)</li>" in governance[1]
    assert "style=" not in "".join(governance)


def tsv(*lines: str) -> bytes:
    return "\n".join(lines).encode()


HEADER = "AMBITO\tObiettivi\tPrevisti 2011\tRisultati 2011\tPrevisti 2012"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (tsv(HEADER, "AREA\tuno\tdue\ttre"), "Row 2: expected 5 columns, found 4."),
        (tsv("AREA\ta\tb\tc\td"), "Row 1: the header row (AMBITO"),
        (tsv(HEADER, "\ta\tb\tc\td"), "Row 2, column “AMBITO”: the area is empty"),
        (tsv("Solo testo"), "No table found"),
        (tsv(HEADER), "The table has no rows."),
        ("AMBITO\tà".encode("cp1252"), "The file is not UTF-8 text."),
    ],
)
def test_bad_report_tables(content, expected):
    with pytest.raises(importers.ImportRejected) as error:
        importers.read_report(content=content, filename="table.tsv")
    messages = [str(issue) for issue in error.value.issues]
    assert any(message.startswith(expected) for message in messages), messages


def test_report_from_html_table():
    html = (
        "<table><thead><tr><th>Ambito</th><th>Obiettivi</th><th>Previsti</th>"
        "<th>Risultati</th><th>2012</th></tr></thead><tbody>"
        "<tr><td>GOVERNANCE</td><td><ul><li>Uno</li><li>Due</li></ul></td>"
        "<td><p>Testo <b>forte</b></p></td><td></td>"
        "<td><script>alert(1)</script>- Tre - Quattro</td></tr>"
        "<tr><td></td><td><ul><li>Tre</li></ul></td><td></td><td>Fatto</td><td></td>"
        "</tr></tbody></table>"
    )
    table = importers.read_report(content=html.encode(), filename="report.html")
    (row,) = table.rows
    assert row.area == "GOVERNANCE"
    assert row.cells == [
        "<ul><li>Uno</li><li>Due</li><li>Tre</li></ul>",
        "<p>Testo <strong>forte</strong></p>",
        "<p>Fatto</p>",
        "<ul><li>Tre</li><li>Quattro</li></ul>",
    ]
