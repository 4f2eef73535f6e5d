"""Writes on monitoring pages: imports of actions, indicators and report tables.

Each import reads the whole file first (``importers``), then replaces the page's
rows on a new revision inside one transaction: a file with any bad row changes
nothing. The revision is published only when asked (an editor who may publish,
or the demo loader); otherwise it waits as a draft for review.
"""

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Revision

from . import importers
from .models import ObjectivePage, ProgrammeReportPage, ReportRow

KINDS = ("actions", "indicators")


@dataclass(frozen=True)
class ImportResult:
    count: int
    revision: Revision
    published: bool
    skipped_lines: int = 0


def _save(page, *, user, publish: bool) -> tuple[Revision, bool]:
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision, publish


@transaction.atomic
def objective_import(
    *,
    page: ObjectivePage,
    kind: str,
    content: bytes,
    filename: str,
    user=None,
    publish: bool = False,
) -> ImportResult:
    """Replace the objective's ``kind`` ("actions" or "indicators") with the rows of
    a CSV or XLSX file, on a new revision of the page.

    Raises ``importers.ImportRejected`` (nothing saved) when any row is invalid.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    rows = importers.read_objective_rows(content=content, filename=filename, kind=kind)
    draft = page.get_latest_revision_as_object()
    for position, row in enumerate(rows):
        row.locale_id = draft.locale_id
        row.sort_order = position
    setattr(draft, kind, rows)
    revision, published = _save(draft, user=user, publish=publish)
    return ImportResult(count=len(rows), revision=revision, published=published)


@transaction.atomic
def report_import(
    *,
    page: ProgrammeReportPage,
    content: bytes,
    filename: str,
    user=None,
    publish: bool = False,
) -> ImportResult:
    """Replace a programme report's headings and rows with a TSV or HTML table, on a
    new revision of the page. Cells are sanitised with bleach and keep their lists.

    Raises ``importers.ImportRejected`` (nothing saved) when the table is invalid.
    """
    table = importers.read_report(content=content, filename=filename)
    draft = page.get_latest_revision_as_object()
    (
        draft.area_heading,
        draft.objectives_heading,
        draft.expected_heading,
        draft.achieved_heading,
        draft.next_expected_heading,
    ) = table.headings
    rows = []
    for position, data in enumerate(table.rows):
        objectives, expected, achieved, next_expected = data.cells
        rows.append(
            ReportRow(
                area=data.area,
                objectives=objectives,
                expected_results=expected,
                achieved_results=achieved,
                next_expected_results=next_expected,
                locale_id=draft.locale_id,
                sort_order=position,
            )
        )
    draft.rows = rows
    revision, published = _save(draft, user=user, publish=publish)
    return ImportResult(
        count=len(rows),
        revision=revision,
        published=published,
        skipped_lines=table.skipped_lines,
    )
