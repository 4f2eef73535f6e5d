"""Geometry of the planned-versus-achieved chart, drawn as SVG on the server.

Indicators mix counts (4 meetings) and percentages (81%), so each indicator's two
bars are scaled to the larger of its own two values and labelled with the figures:
the chart compares planned with achieved within an indicator, never across them.
The template ``monitoring/includes/indicator_chart.html`` draws it; the table of
indicators beside it is its text alternative.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from . import rules

if TYPE_CHECKING:
    from .selectors import IndicatorRow

# Colours with at least 4.5:1 contrast on white, so the bars (3:1 needed) and the
# text drawn in them pass WCAG AA.
COLOURS = {
    "planned": "#4d5c6e",
    rules.Status.GREEN: "#00703c",
    rules.Status.RED: "#b3261e",
    rules.Status.PENDING: "#595959",
}
SYMBOLS = {rules.Status.GREEN: "✓", rules.Status.RED: "✗", rules.Status.PENDING: "–"}

WIDTH = 720
LABEL_X = 0
BAR_X = 70
BAR_WIDTH = 380
BAR_HEIGHT = 14
ROW_HEIGHT = 46
TOP = 40
STATUS_X = 560


@dataclass
class ChartRow:
    code: str
    planned: str
    achieved: str
    planned_width: float
    achieved_width: float
    status: rules.Status
    status_label: str
    colour: str
    symbol: str
    y: float

    @property
    def planned_y(self) -> float:
        return self.y

    @property
    def achieved_y(self) -> float:
        return self.y + BAR_HEIGHT + 2

    @property
    def label_y(self) -> float:
        return self.y + BAR_HEIGHT + 1

    @property
    def planned_text_x(self) -> float:
        return BAR_X + self.planned_width + 6

    @property
    def achieved_text_x(self) -> float:
        return BAR_X + self.achieved_width + 6

    @property
    def planned_text_y(self) -> float:
        return self.y + BAR_HEIGHT - 3

    @property
    def achieved_text_y(self) -> float:
        return self.achieved_y + BAR_HEIGHT - 3


@dataclass
class Chart:
    rows: list[ChartRow]
    width: int
    height: int
    colours: dict
    bar_x: int
    bar_height: int
    status_x: int


def _figure(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = format(value.normalize(), "f").replace(".", ",")
    return f"{text} {unit}" if unit else text


def indicator_chart(rows: "list[IndicatorRow]") -> Chart:
    """Bars for each indicator row, in the order given."""
    chart_rows = []
    for position, row in enumerate(rows):
        planned = row.indicator.planned_value or Decimal(0)
        achieved = row.indicator.achieved_value
        scale = max(planned, achieved or Decimal(0))
        if scale > 0:
            planned_width = float(planned / scale) * BAR_WIDTH
            achieved_width = float((achieved or 0) / scale) * BAR_WIDTH
        else:
            planned_width = achieved_width = 0.0
        chart_rows.append(
            ChartRow(
                code=row.indicator.code,
                planned=_figure(row.indicator.planned_value, row.indicator.unit),
                achieved=_figure(achieved, row.indicator.unit),
                planned_width=round(planned_width, 1),
                achieved_width=round(achieved_width, 1),
                status=row.status,
                status_label=row.status_label,
                colour=COLOURS[row.status],
                symbol=SYMBOLS[row.status],
                y=TOP + position * ROW_HEIGHT,
            )
        )
    return Chart(
        rows=chart_rows,
        width=WIDTH,
        height=TOP + len(chart_rows) * ROW_HEIGHT + 4,
        colours=COLOURS,
        bar_x=BAR_X,
        bar_height=BAR_HEIGHT,
        status_x=STATUS_X,
    )
