"""The network dashboard: vacancies, proposals and hires counted per month, by
province and by occupation group (ISCO-08 major group).

What is counted
- Vacancies that were published (``published_at`` set; drafts never count).
  The public dashboard counts the public vacancies of the desks that are public
  today (active, administration approved); a desk's own dashboard counts every
  published vacancy of that desk, network-only ones included.
- Per month, for the last 12 calendar months (the current one to date, in the
  portal's time zone): ``published`` (published that month), ``open_at_end``
  (published, not closed and not past its closing date at the end of the month;
  for the current month: now), ``filled``, ``expired``, ``withdrawn`` (closed that
  month for that reason), ``proposals`` (proposals made that month for those
  vacancies) and ``hires`` (proposals moved to "hired" that month).
- By province (of the workplace) and by occupation group: the same figures over
  the whole 12 months, ``open_at_end`` being the figure of today.

Small cells. Proposals and hires concern people, so on the public dashboard
and in its open data a count under 5 (zero included) is never shown: it is
withheld and shown as "< 5" (primary suppression). So that a withheld cell cannot
be worked out from a total, a table (and, in the province table, a region's
provinces) never has exactly one withheld cell: the smallest shown cell is
withheld with it (secondary suppression). A desk's own dashboard shows its exact
counts: its people already see each of those proposals.

Cost: three grouped queries whatever the number of vacancies (vacancies,
proposals, hires; each grouped by province and occupation group with one
conditional count per month) and one for the filters' provinces.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from portal.accounts.models import Organisation, Region

from .. import classifications
from ..models import (
    Municipality,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Sportello,
    Vacancy,
)

MONTHS = 12
THRESHOLD = 5
VACANCY_MEASURES = ("published", "open_at_end", "filled", "expired", "withdrawn")
PEOPLE_MEASURES = ("proposals", "hires")
MEASURES = VACANCY_MEASURES + PEOPLE_MEASURES
_PROVINCE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Cell:
    """A count of people-related events that may be withheld."""

    value: int
    suppressed: bool = False

    def __str__(self) -> str:
        return f"< {THRESHOLD}" if self.suppressed else str(self.value)

    @property
    def shown(self) -> int | None:
        """The value to publish (``None`` when withheld)."""
        return None if self.suppressed else self.value


@dataclass
class Row:
    """One line of a dashboard table (a month, a province or a group)."""

    table: str  # "month", "province" or "isco_major"
    label: str
    period_start: datetime.date
    period_end: datetime.date
    region_code: str = ""
    province: str = ""
    province_name: str = ""
    isco_major: str = ""
    published: int = 0
    open_at_end: int = 0
    filled: int = 0
    expired: int = 0
    withdrawn: int = 0
    proposals: Cell = field(default_factory=lambda: Cell(0))
    hires: Cell = field(default_factory=lambda: Cell(0))
    bar: int = 0  # published, as a percentage of the table's largest value

    @property
    def region_label(self) -> str:
        return Region(self.region_code).label if self.region_code else ""


@dataclass(frozen=True)
class Period:
    start: datetime.datetime  # aware, first instant of the month
    end: datetime.datetime  # aware, first instant of the next month
    first_day: datetime.date
    last_day: datetime.date
    current: bool


@dataclass
class Dashboard:
    months: list[Row]
    provinces: list[Row]
    occupations: list[Row]
    window_start: datetime.date
    window_end: datetime.date
    suppressed: bool  # small cells withheld
    any_withheld: bool = False


@dataclass(frozen=True)
class DashboardFilters:
    region: str = ""
    province: str = ""

    @property
    def active(self) -> bool:
        return bool(self.region or self.province)


def dashboard_filters(query) -> DashboardFilters:
    """The region (ISTAT code) and province (abbreviation) asked for; anything
    else is ignored."""
    region = (query.get("region") or "").strip()
    province = (query.get("province") or "").strip().upper()
    return DashboardFilters(
        region=region if region in Region.values else "",
        province=province if _PROVINCE.match(province) else "",
    )


def months_until(now: datetime.datetime) -> list[Period]:
    """The last ``MONTHS`` calendar months up to the one of ``now`` (local time)."""
    local = timezone.localtime(now)
    year, month = local.year, local.month
    starts = []
    for _index in range(MONTHS):
        starts.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    periods = []
    tz = timezone.get_current_timezone()
    for year, month in reversed(starts):
        next_year, next_month = (year, month + 1) if month < 12 else (year + 1, 1)
        first = datetime.date(year, month, 1)
        following = datetime.date(next_year, next_month, 1)
        periods.append(
            Period(
                start=datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
                end=datetime.datetime.combine(following, datetime.time(), tzinfo=tz),
                first_day=first,
                last_day=following - datetime.timedelta(days=1),
                current=(year, month) == (local.year, local.month),
            )
        )
    return periods


def _scope(*, prefix: str, sportello: Sportello | None, filters: DashboardFilters) -> Q:
    """The vacancies counted (``prefix`` reaches the vacancy from the model)."""

    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    scope = q(published_at__isnull=False)
    if sportello is None:
        scope &= q(
            visibility=Vacancy.Visibility.PUBLIC,
            sportello__status=Sportello.Status.ACTIVE,
            sportello__organisation__status=Organisation.Status.APPROVED,
        )
    else:
        scope &= q(sportello=sportello)
    if filters.region:
        scope &= q(municipality__region=filters.region)
    if filters.province:
        scope &= q(municipality__province_sigla=filters.province)
    return scope


_GROUP = (
    "municipality__region",
    "municipality__province_sigla",
    "municipality__province_name",
    "isco_major",
)


def _open_at(period: Period, now: datetime.datetime) -> Q:
    point = now if period.current else period.end
    last_day = timezone.localdate(now) if period.current else period.last_day
    return (
        Q(published_at__lt=point)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=point))
        & Q(deadline__gte=last_day)
    )


def _closed_in(period: Period, reason: str) -> Q:
    return Q(close_reason=reason, closed_at__gte=period.start, closed_at__lt=period.end)


def _vacancy_rows(scope: Q, periods: list[Period], now) -> list[dict]:
    """Per (province, group): one conditional count per month and measure."""
    window = Q(published_at__lt=now) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=periods[0].start)
    )
    aggregates = {}
    for index, period in enumerate(periods):
        aggregates[f"published_{index}"] = Count(
            "pk",
            filter=Q(published_at__gte=period.start, published_at__lt=period.end),
        )
        aggregates[f"open_at_end_{index}"] = Count("pk", filter=_open_at(period, now))
        for reason in Vacancy.CloseReason.values:
            aggregates[f"{reason}_{index}"] = Count(
                "pk", filter=_closed_in(period, reason)
            )
    return list(
        Vacancy.objects.filter(scope & window)
        .order_by()
        .values(*_GROUP)
        .annotate(**aggregates)
    )


def _people_rows(queryset, field_name: str, periods: list[Period], prefix: str):
    aggregates = {
        f"n_{index}": Count(
            "pk",
            filter=Q(
                **{
                    f"{field_name}__gte": period.start,
                    f"{field_name}__lt": period.end,
                }
            ),
        )
        for index, period in enumerate(periods)
    }
    return list(
        queryset.filter(**{f"{field_name}__gte": periods[0].start})
        .order_by()
        .values(*(prefix + name for name in _GROUP))
        .annotate(**aggregates)
    )


def _suppress(values: list[int], groups: list[str]) -> list[Cell]:
    """Primary suppression of cells under ``THRESHOLD``, then secondary: no group
    is left with exactly one withheld cell (the smallest shown one joins it)."""
    hidden = [value < THRESHOLD for value in values]
    for group in set(groups):
        members = [index for index, name in enumerate(groups) if name == group]
        withheld = [index for index in members if hidden[index]]
        shown = [index for index in members if not hidden[index]]
        if len(withheld) == 1 and shown:
            hidden[min(shown, key=lambda index: (values[index], index))] = True
    return [Cell(value, flag) for value, flag in zip(values, hidden, strict=True)]


def network_dashboard(
    *,
    filters: DashboardFilters | None = None,
    sportello: Sportello | None = None,
    now: datetime.datetime | None = None,
) -> Dashboard:
    """The figures of the public dashboard, or of one desk's own dashboard
    (``sportello``: its vacancies of any visibility, exact counts). Three
    queries, whatever the number of vacancies."""
    filters = filters or DashboardFilters()
    now = now or timezone.now()
    periods = months_until(now)
    suppress = sportello is None
    vacancy_rows = _vacancy_rows(
        _scope(prefix="", sportello=sportello, filters=filters), periods, now
    )
    proposal_scope = _scope(prefix="vacancy__", sportello=sportello, filters=filters)
    proposal_rows = _people_rows(
        Proposal.objects.filter(proposal_scope), "created_at", periods, "vacancy__"
    )
    hire_rows = _people_rows(
        ProposalEvent.objects.filter(
            _scope(prefix="proposal__vacancy__", sportello=sportello, filters=filters),
            to_status=ProposalStatus.HIRED,
        ),
        "at",
        periods,
        "proposal__vacancy__",
    )

    majors = {group.code: group for group in classifications.isco_major_groups()}
    window_start, window_end = periods[0].first_day, timezone.localdate(now)
    months = [
        Row(
            table="month",
            label=period.first_day.isoformat()[:7],
            period_start=period.first_day,
            period_end=min(period.last_day, window_end),
        )
        for period in periods
    ]
    provinces: dict[str, Row] = {}
    occupations: dict[str, Row] = {}

    def province_row(row: dict, prefix: str) -> Row:
        sigla = row[prefix + "municipality__province_sigla"]
        if sigla not in provinces:
            provinces[sigla] = Row(
                table="province",
                label=f"{row[prefix + 'municipality__province_name']} ({sigla})",
                period_start=window_start,
                period_end=window_end,
                region_code=row[prefix + "municipality__region"],
                province=sigla,
                province_name=row[prefix + "municipality__province_name"],
            )
        return provinces[sigla]

    def occupation_row(row: dict, prefix: str) -> Row:
        code = row[prefix + "isco_major"]
        if code not in occupations:
            group = majors.get(code)
            occupations[code] = Row(
                table="isco_major",
                label=group.coded_title if group else code,
                period_start=window_start,
                period_end=window_end,
                isco_major=code,
            )
        return occupations[code]

    last = len(periods) - 1
    keys = {
        measure: [f"{measure}_{index}" for index in range(len(periods))]
        for measure in VACANCY_MEASURES
    }
    totals = {measure: [0] * len(periods) for measure in VACANCY_MEASURES}
    for row in vacancy_rows:
        targets = (province_row(row, ""), occupation_row(row, ""))
        for measure in VACANCY_MEASURES:
            counts = [row[key] for key in keys[measure]]
            monthly = totals[measure]
            for index, count in enumerate(counts):
                monthly[index] += count
            # Over the months for the tables by province and group, except the
            # open vacancies: those of today.
            total = counts[last] if measure == "open_at_end" else sum(counts)
            for target in targets:
                setattr(target, measure, getattr(target, measure) + total)
    for index, month in enumerate(months):
        for measure in VACANCY_MEASURES:
            setattr(month, measure, totals[measure][index])

    raw: dict[str, dict[int, int]] = {}  # measure -> id(row) -> count
    for measure, rows, prefix in (
        ("proposals", proposal_rows, "vacancy__"),
        ("hires", hire_rows, "proposal__vacancy__"),
    ):
        counts = raw.setdefault(measure, {})
        for row in rows:
            targets = [province_row(row, prefix), occupation_row(row, prefix)]
            total = sum(row[f"n_{index}"] for index in range(len(periods)))
            for target in targets:
                counts[id(target)] = counts.get(id(target), 0) + total
            for index, month in enumerate(months):
                counts[id(month)] = counts.get(id(month), 0) + row[f"n_{index}"]

    province_list = sorted(
        provinces.values(), key=lambda item: (item.province_name, item.province)
    )
    occupation_list = sorted(occupations.values(), key=lambda item: item.isco_major)
    any_withheld = False
    for table, groups in (
        (months, ["all"] * len(months)),
        (province_list, [item.region_code for item in province_list]),
        (occupation_list, ["all"] * len(occupation_list)),
    ):
        for measure in PEOPLE_MEASURES:
            values = [raw[measure].get(id(item), 0) for item in table]
            cells = (
                _suppress(values, groups)
                if suppress
                else [Cell(value) for value in values]
            )
            for item, cell in zip(table, cells, strict=True):
                setattr(item, measure, cell)
                any_withheld = any_withheld or cell.suppressed
        largest = max((item.published for item in table), default=0)
        for item in table:
            item.bar = round(100 * item.published / largest) if largest else 0
    return Dashboard(
        months=months,
        provinces=province_list,
        occupations=occupation_list,
        window_start=window_start,
        window_end=window_end,
        suppressed=suppress,
        any_withheld=any_withheld,
    )


@dataclass(frozen=True)
class DashboardOptions:
    regions: list[tuple[str, str]]
    provinces: list[tuple[str, str]]


def dashboard_filter_options() -> DashboardOptions:
    """Every region and province (one query on the municipalities: cheaper than
    asking which ones had vacancies, and a choice with none shows zeros)."""
    rows = (
        Municipality.objects.order_by()
        .values_list("region", "province_sigla", "province_name")
        .distinct()
    )
    regions, provinces = {}, {}
    for region, sigla, name in rows:
        regions[region] = Region(region).label if region in Region.values else region
        provinces[sigla] = f"{name} ({sigla})"
    return DashboardOptions(
        regions=sorted(regions.items(), key=lambda item: item[1]),
        provinces=sorted(provinces.items(), key=lambda item: item[1]),
    )


# Stable field names (CSV columns, JSON keys): add at the end, never rename.
DASHBOARD_OPEN_DATA_FIELDS = [
    "table",
    "period_start",
    "period_end",
    "region_code",
    "province",
    "province_name",
    "isco_major",
    "isco_major_title",
    "published",
    "open_at_end",
    "filled",
    "expired",
    "withdrawn",
    "proposals",
    "hires",
    "suppressed",
]


def dashboard_open_data_records(
    *, filters: DashboardFilters | None = None
) -> list[dict]:
    """The public dashboard's figures, one record per month, province and
    occupation group (``table`` says which). Withheld counts are ``None`` and
    named in ``suppressed``; dates ISO 8601."""
    dashboard = network_dashboard(filters=filters)
    majors = {group.code: group for group in classifications.isco_major_groups()}
    records = []
    for row in dashboard.months + dashboard.provinces + dashboard.occupations:
        group = majors.get(row.isco_major) if row.isco_major else None
        records.append(
            {
                "table": row.table,
                "period_start": row.period_start.isoformat(),
                "period_end": row.period_end.isoformat(),
                "region_code": row.region_code,
                "province": row.province,
                "province_name": row.province_name,
                "isco_major": row.isco_major,
                "isco_major_title": group.title_en if group else "",
                "published": row.published,
                "open_at_end": row.open_at_end,
                "filled": row.filled,
                "expired": row.expired,
                "withdrawn": row.withdrawn,
                "proposals": row.proposals.shown,
                "hires": row.hires.shown,
                "suppressed": [
                    name for name in PEOPLE_MEASURES if getattr(row, name).suppressed
                ],
            }
        )
    return records
