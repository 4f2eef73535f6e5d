"""The one place where the status of an indicator or an action is decided.

Statuses are never typed in by editors nor read from imported files: they are
computed here from the figures and the dates, so the page, the exports and the chart
always agree. The values ``green`` and ``red`` are the ones the province's own
monitoring report (seed 003) prints.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Traffic-light status shared by indicators and actions."""

    GREEN = "green", _("On track")
    RED = "red", _("Off track")
    PENDING = "pending", _("Not measured yet")


INDICATOR_LABELS = {
    Status.GREEN: _("Target met"),
    Status.RED: _("Target not met"),
    Status.PENDING: _("Not measured yet"),
}
ACTION_LABELS = {
    Status.GREEN: _("On time"),
    Status.RED: _("Late"),
    Status.PENDING: _("Not measured yet"),
}


def indicator_status(*, planned: Decimal, achieved: Decimal | None) -> Status:
    """Status of an indicator from its planned and achieved values.

    - no achieved value yet: ``pending``;
    - achieved value at least the planned value: ``green`` (a planned value of 0
      achieved as 0, as for the yes/no indicators B5, E1, G1 and G2 of seed 003,
      counts as met);
    - otherwise ``red`` (F2: 0 of 1 meeting; G3: 0% of the planned 50%).

    Every indicator of the portal measures something to reach or exceed (meetings,
    surveys, percentages of people reached), so "more is better" is the rule.
    """
    if achieved is None:
        return Status.PENDING
    return Status.GREEN if achieved >= planned else Status.RED


def action_status(
    *,
    planned_start: datetime.date,
    planned_end: datetime.date,
    actual_start: datetime.date | None,
    actual_end: datetime.date | None,
    reference_date: datetime.date,
) -> Status:
    """Whether an action keeps to its timetable ("rispetto dei tempi").

    ``reference_date`` is the date the monitoring refers to (the objective's
    "data di rilevazione", or today when the objective has none).

    - an ended action (actual end set) is ``green`` if it ended by its planned end,
      ``red`` if it ended later;
    - an action still open is ``red`` once the reference date is past its planned
      end, or past its planned start without having started (F2 of seed 003: due
      to start on 01/10/2023, not started at the 31/12/2023 survey);
    - any other open action is ``green``: it has started, or is not yet due to.
    """
    if actual_end is not None:
        return Status.GREEN if actual_end <= planned_end else Status.RED
    if reference_date > planned_end:
        return Status.RED
    if actual_start is None and reference_date > planned_start:
        return Status.RED
    return Status.GREEN
