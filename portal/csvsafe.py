"""CSV that is safe to open in a spreadsheet: the one writer of every export.

Formulas. A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by Excel and LibreOffice (``=HYPERLINK(...)``,
``+cmd|...``); so are the full-width ``＝ ＋ － ＠``, which Excel turns into their
ASCII forms when typed with an East Asian input method. Text from users (a
seminar participant's name, a proposed practice's title, an imported report)
must not become one: such text is written with a leading apostrophe, which
spreadsheets show as plain text (OWASP's "CSV injection" advice). Numbers are
numbers and stay as they are; dates are written in ISO 8601.

Byte order mark. Excel opens a CSV without a BOM in the computer's legacy code
page, so "Unità", "Forlì" and "è" come out garbled; with a UTF-8 BOM it reads
UTF-8. The rule:

- **Staff exports** (downloads people open in a spreadsheet: newsletter
  subscribers, seminar participants, any admin report) start with a BOM:
  ``response(..., bom=True)`` / ``streaming_response(..., bom=True)``.
- **Open data** (monitoring indicators and actions, good practices, anything
  published for reuse under stable field names) has no BOM: its contract is
  plain UTF-8 for scripts and harvesters (Python's ``csv``, pandas, CKAN's
  datastore), where a BOM sticks to the first field name; its page says it is
  UTF-8, and spreadsheet users get the JSON or import the CSV as UTF-8.

Every CSV response is built here (``response``, ``streaming_response``), so the
content type, the download name and the BOM are decided in one place.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",  # FULLWIDTH EQUALS SIGN
    "\uff0b",  # FULLWIDTH PLUS SIGN
    "\uff0d",  # FULLWIDTH HYPHEN-MINUS
    "\uff20",  # FULLWIDTH COMMERCIAL AT
)
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


def cell(value: Any) -> Any:
    """One value as it must be written in a CSV cell."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Writer:
    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> _Writer:
    """Like ``csv.writer``, with every cell neutralised (see ``cell``)."""
    return _Writer(stream, **options)


class DictWriter(csv.DictWriter):
    """Like ``csv.DictWriter``, with every cell neutralised (see ``cell``)."""

    def writerow(self, rowdict: dict[str, Any]):
        return super().writerow({key: cell(value) for key, value in rowdict.items()})


def _disposition(*, filename: str, inline: bool) -> str:
    # Our file names are ASCII slugs; quotes would end the header value.
    safe = filename.replace('"', "").replace("\\", "")
    return f'{"inline" if inline else "attachment"}; filename="{safe}"'


def response(*, filename: str, bom: bool, inline: bool = False) -> HttpResponse:
    """An empty CSV response to write rows into with ``writer(response)`` or
    ``DictWriter(response, ...)``; it starts with a BOM when ``bom`` (see the
    module's rule). ``inline`` lets open data open in the browser."""
    result = HttpResponse(content_type=CONTENT_TYPE)
    result["Content-Disposition"] = _disposition(filename=filename, inline=inline)
    result["X-Content-Type-Options"] = "nosniff"
    if bom:
        result.write(BOM)
    return result


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def stream(rows: Iterable[Iterable[Any]], *, bom: bool) -> Iterator[str]:
    """The CSV text of ``rows``, line by line, neutralised (constant memory)."""
    if bom:
        yield BOM
    line_writer = writer(_Echo())
    for row in rows:
        yield line_writer.writerow(row)


def streaming_response(
    rows: Iterable[Iterable[Any]], *, filename: str, bom: bool, inline: bool = False
) -> StreamingHttpResponse:
    """A CSV download of ``rows`` (the header first) streamed as it is read, for
    exports too large to hold in memory."""
    result = StreamingHttpResponse(stream(rows, bom=bom), content_type=CONTENT_TYPE)
    result["Content-Disposition"] = _disposition(filename=filename, inline=inline)
    result["X-Content-Type-Options"] = "nosniff"
    return result
