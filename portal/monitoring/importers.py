"""Read editors' files into unsaved rows, or reject them whole.

- :func:`read_objective_rows`: actions or indicators of an objective from CSV or
  XLSX (the column names of the open-data export, or the Italian headings of the
  province's report).
- :func:`read_report`: a programme report table (seed 004) from TSV or HTML.

Nothing here writes to the database: the services save the rows in one
transaction only when the whole file is valid. Every problem found is collected as
an :class:`ImportIssue` naming the row and the column, so the editor can fix them
all at once.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import cells
from .models import (
    IndicatorType,
    ObjectiveAction,
    ObjectiveIndicator,
    date_order_errors,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
EMPTY = {"", "-", "--", "---", "n.d.", "nd", "n/a"}


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an uploaded file; ``row`` 0 means the file as a whole."""

    row: int
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {
            "row": self.row,
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file has at least one problem; nothing was saved."""

    def __init__(self, issues: list[ImportIssue]):
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


# --------------------------------------------------------------------------
# Actions and indicators (CSV / XLSX)
# --------------------------------------------------------------------------

# column name in the file (lower-case, spaces as "_") -> model field
ACTION_COLUMNS = {
    "code": "code",
    "codice": "code",
    "description": "description",
    "descrizione": "description",
    "progress": "progress",
    "progress_percent": "progress",
    "%_avanzamento": "progress",
    "avanzamento": "progress",
    "planned_start": "planned_start",
    "inizio_prev.": "planned_start",
    "inizio_previsto": "planned_start",
    "actual_start": "actual_start",
    "inizio_eff.": "actual_start",
    "inizio_effettivo": "actual_start",
    "planned_end": "planned_end",
    "fine_prev.": "planned_end",
    "fine_prevista": "planned_end",
    "actual_end": "actual_end",
    "fine_eff.": "actual_end",
    "fine_effettiva": "actual_end",
    "responsible": "responsible",
    "responsabile": "responsible",
    "responsible_centre": "responsible_centre",
    "centro_di_responsabilità": "responsible_centre",
}
INDICATOR_COLUMNS = {
    "code": "code",
    "codice": "code",
    "description": "description",
    "descrizione": "description",
    "type": "kind",
    "tipo": "kind",
    "planned_value": "planned_value",
    "valore_previsto": "planned_value",
    "achieved_value": "achieved_value",
    "valore_raggiunto": "achieved_value",
    "unit": "unit",
    "unità": "unit",
    "unita": "unit",
}
# Columns of our own export that are computed, not read: statuses are never typed.
IGNORED_COLUMNS = {"objective_code", "status", "rispetto_dei_tempi", "reference_date"}
REQUIRED = {
    "actions": ("description", "planned_start", "planned_end"),
    "indicators": ("code", "description", "planned_value"),
}
KINDS = {"actions": ACTION_COLUMNS, "indicators": INDICATOR_COLUMNS}
MODELS = {"actions": ObjectiveAction, "indicators": ObjectiveIndicator}


def _key(heading) -> str:
    return "_".join(str(heading or "").strip().lower().split())


def _table_from_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [ImportIssue(0, "", _("The file is not UTF-8 text; save it as CSV UTF-8."))]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _table_from_xlsx(content: bytes, kind: str) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise ImportRejected(
            [ImportIssue(0, "", _("The file is not a readable XLSX workbook."))]
        ) from None
    names = {name.lower(): name for name in workbook.sheetnames}
    wanted = {
        "actions": ("azioni", "actions"),
        "indicators": ("indicatori", "indicators"),
    }
    sheet_name = next(
        (names[n] for n in wanted[kind] if n in names), workbook.sheetnames[0]
    )
    sheet = workbook[sheet_name]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(*, content: bytes, filename: str, kind: str) -> list[list]:
    """Rows of cells of a CSV or XLSX file (the first row being the headings)."""
    if len(content) > MAX_BYTES:
        raise ImportRejected([ImportIssue(0, "", _("The file is larger than 5 MB."))])
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _table_from_xlsx(content, kind)
    return _table_from_csv(content)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if text.lower() in EMPTY:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date (use 31/12/2023 or 2023-12-31).") % {"value": text}
    )


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = _text(value).replace(" ", "").rstrip("%")
    if text.lower() in EMPTY:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            _("“%(value)s” is not a number.") % {"value": _text(value)}
        ) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _text(value)})
    return number


def _progress(value) -> int | None:
    number = _decimal(value)
    if number is None:
        return None
    if number != number.to_integral() or not 0 <= number <= 100:
        raise ValueError(_("The progress must be a whole number from 0 to 100."))
    return int(number)


def _kind(value) -> str:
    text = _text(value).upper()
    if not text.strip("_- "):
        return ""
    if text not in IndicatorType.values:
        raise ValueError(
            _("“%(value)s” is not a known type (%(types)s).")
            % {"value": _text(value), "types": ", ".join(IndicatorType.values)}
        )
    return text


CONVERTERS = {
    "planned_start": _date,
    "actual_start": _date,
    "planned_end": _date,
    "actual_end": _date,
    "progress": _progress,
    "planned_value": _decimal,
    "achieved_value": _decimal,
    "kind": _kind,
}


def read_objective_rows(
    *, content: bytes, filename: str, kind: str
) -> list[ObjectiveAction] | list[ObjectiveIndicator]:
    """Unsaved, validated actions or indicators (``kind``), in file order.

    Raises :class:`ImportRejected` with every problem when any row is invalid.
    """
    columns = KINDS[kind]
    model = MODELS[kind]
    table = read_table(content=content, filename=filename, kind=kind)
    while table and not any(_text(cell) for cell in table[-1]):
        table.pop()
    if not table:
        raise ImportRejected([ImportIssue(0, "", _("The file is empty."))])
    headings = [_text(cell) for cell in table[0]]
    issues: list[ImportIssue] = []
    mapping: dict[int, str] = {}
    heading_of: dict[str, str] = {}
    for position, heading in enumerate(headings):
        key = _key(heading)
        if not key or key in IGNORED_COLUMNS:
            continue
        if key not in columns:
            issues.append(
                ImportIssue(
                    1,
                    heading,
                    _("unknown column; the columns are: %(columns)s.")
                    % {"columns": ", ".join(sorted(set(columns.values())))},
                )
            )
            continue
        if columns[key] in heading_of:
            issues.append(ImportIssue(1, heading, _("this column appears twice.")))
            continue
        mapping[position] = columns[key]
        heading_of[columns[key]] = heading
    for name in REQUIRED[kind]:
        if name not in heading_of:
            issues.append(
                ImportIssue(
                    1, name, _("this column is required but missing from the file.")
                )
            )
    if issues:
        raise ImportRejected(issues)
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected(
            [
                ImportIssue(
                    0, "", _("The file has more than %(max)s rows.") % {"max": MAX_ROWS}
                )
            ]
        )

    instances = []
    for number, row in enumerate(table[1:], start=2):
        if not any(_text(cell) for cell in row):
            continue
        values = {}
        for position, name in mapping.items():
            raw = row[position] if position < len(row) else None
            convert = CONVERTERS.get(name, _text)
            try:
                values[name] = convert(raw)
            except ValueError as error:
                issues.append(ImportIssue(number, heading_of[name], str(error)))
        for name in REQUIRED[kind]:
            if name in values and values[name] in (None, ""):
                issues.append(
                    ImportIssue(number, heading_of[name], _("this value is required."))
                )
        if kind == "actions":
            for name, message in date_order_errors(
                planned_start=values.get("planned_start"),
                planned_end=values.get("planned_end"),
                actual_start=values.get("actual_start"),
                actual_end=values.get("actual_end"),
            ).items():
                issues.append(ImportIssue(number, heading_of.get(name, name), message))
        instance = model(**{k: v for k, v in values.items() if v is not None})
        if kind == "indicators" and values.get("achieved_value") is None:
            instance.achieved_value = None
        known = {issue.column for issue in issues if issue.row == number}
        try:
            instance.full_clean(
                exclude=["page", "locale", "translation_key", "sort_order"],
                validate_unique=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = "" if name == "__all__" else heading_of.get(name, name)
                if column in known:
                    continue
                for message in messages:
                    issues.append(ImportIssue(number, column, message))
        instances.append(instance)
    if issues:
        raise ImportRejected(issues)
    if not instances:
        raise ImportRejected([ImportIssue(0, "", _("The file has no rows to import."))])
    return instances


# --------------------------------------------------------------------------
# Programme report tables (TSV / HTML)
# --------------------------------------------------------------------------

REPORT_COLUMNS = 5
HEADER_MARK = "ambito"


@dataclass
class ReportRowData:
    area: str
    blocks: list[list[cells.Block]]
    row: int

    @property
    def cells(self) -> list[str]:
        return [cells.render(blocks) for blocks in self.blocks]


@dataclass
class ReportTable:
    headings: list[str]
    rows: list[ReportRowData] = field(default_factory=list)
    skipped_lines: int = 0


def _plain(fragment: str) -> str:
    return " ".join(BeautifulSoup(fragment, "html.parser").get_text(" ").split())


class _ReportBuilder:
    """Shared by the TSV and HTML readers: header rows, continuations, checks."""

    def __init__(self):
        self.table = ReportTable(headings=[])
        self.issues: list[ImportIssue] = []

    def column(self, position: int) -> str:
        if self.table.headings and position < len(self.table.headings):
            return self.table.headings[position]
        return _("column %(number)s") % {"number": position + 1}

    def add(self, number: int, raw_cells: list[str]) -> None:
        if len(raw_cells) != REPORT_COLUMNS:
            self.issues.append(
                ImportIssue(
                    number,
                    "",
                    _("expected %(expected)s columns, found %(found)s.")
                    % {"expected": REPORT_COLUMNS, "found": len(raw_cells)},
                )
            )
            return
        first = _plain(raw_cells[0])
        if first.lower() == HEADER_MARK:
            headings = [_plain(cell) for cell in raw_cells]
            for position, heading in enumerate(headings):
                if not heading or len(heading) > 120:
                    self.issues.append(
                        ImportIssue(
                            number,
                            self.column(position),
                            _("a heading must have from 1 to 120 characters."),
                        )
                    )
            if not self.table.headings:
                self.table.headings = headings
            return  # the header repeated after a page break
        if not self.table.headings:
            self.issues.append(
                ImportIssue(
                    number,
                    "",
                    _("the header row (AMBITO and the four periods) must come first."),
                )
            )
            return
        blocks = [cells.parse(cell) for cell in raw_cells[1:]]
        if not first:
            if not self.table.rows:
                self.issues.append(
                    ImportIssue(
                        number,
                        self.column(0),
                        _("the area is empty and there is no row above to continue."),
                    )
                )
                return
            previous = self.table.rows[-1]
            previous.blocks = [
                cells.merge(before, after)
                for before, after in zip(previous.blocks, blocks, strict=True)
            ]
            return
        if len(first) > 255:
            self.issues.append(
                ImportIssue(
                    number, self.column(0), _("the area is longer than 255 characters.")
                )
            )
            return
        self.table.rows.append(ReportRowData(area=first, blocks=blocks, row=number))

    def finish(self) -> ReportTable:
        if not self.issues and not self.table.headings:
            self.issues.append(
                ImportIssue(
                    0,
                    "",
                    _(
                        "No table found: the file needs a header row starting "
                        "with AMBITO."
                    ),
                )
            )
        elif not self.issues and not self.table.rows:
            self.issues.append(ImportIssue(0, "", _("The table has no rows.")))
        if self.issues:
            raise ImportRejected(self.issues)
        return self.table


def _read_tsv(text: str) -> ReportTable:
    builder = _ReportBuilder()
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" not in line:
            # Text around the tables (titles, prose between pages) is not table data.
            if line.strip():
                builder.table.skipped_lines += 1
            continue
        builder.add(number, line.split("\t"))
    return builder.finish()


def _read_html(text: str) -> ReportTable:
    soup = BeautifulSoup(text, "html.parser")
    builder = _ReportBuilder()
    rows = soup.find_all("tr")
    if not rows:
        raise ImportRejected(
            [ImportIssue(0, "", _("No table found: the HTML has no <tr> rows."))]
        )
    for number, row in enumerate(rows, start=1):
        raw = [cell.decode_contents() for cell in row.find_all(["td", "th"])]
        builder.add(number, raw)
    return builder.finish()


def read_report(*, content: bytes, filename: str) -> ReportTable:
    """The header and the rows of a programme report table, continuations merged.

    TSV: one line per row, five cells separated by tabs (the area and four
    periods), cells may hold HTML lists; lines without a tab are text around the
    table and are skipped; a header row starting with AMBITO must come first and
    may repeat after each page break; a row with an empty area continues the row
    above. HTML: the same, read from ``<tr>`` rows of ``<td>``/``<th>`` cells.
    """
    if len(content) > MAX_BYTES:
        raise ImportRejected([ImportIssue(0, "", _("The file is larger than 5 MB."))])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [ImportIssue(0, "", _("The file is not UTF-8 text."))]
        ) from None
    looks_html = filename.lower().endswith((".html", ".htm")) or re.match(
        r"\s*<(!doctype|html|table|body)", text, re.IGNORECASE
    )
    return _read_html(text) if looks_html else _read_tsv(text)
