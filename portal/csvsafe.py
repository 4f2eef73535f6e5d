"""CSV that is safe to open in a spreadsheet: the one writer of every export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel and LibreOffice (``=HYPERLINK(...)``, ``+cmd|...``):
text from users (a seminar participant's name, a proposed practice's title, an
imported report) must not become one. Such text is written with a leading
apostrophe, which spreadsheets show as plain text (OWASP's "CSV injection"
advice). Numbers are numbers and stay as they are; dates are written in ISO 8601.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
