import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from portal.monitoring import rules
from portal.monitoring.demo import SEED_003, seed_actions

Status = rules.Status

# Seed 003, exactly: code, planned value, achieved value, the colour the seed prints.
SEED_INDICATORS = [
    ("A1", "4.0", "4.0", "green"),
    ("A2", "3.0", "3.0", "green"),
    ("A3", "3.0", "3.0", "green"),
    ("A4", "1.0", "1.0", "green"),
    ("B1", "4.0", "24.0", "green"),
    ("B2", "4.0", "25.0", "green"),
    ("B3", "2.0", "2.0", "green"),
    ("B4", "1.0", "5.0", "green"),
    ("B5", "0.0", "0.0", "green"),
    ("C1", "50.0", "81.0", "green"),
    ("C2", "3.0", "3.0", "green"),
    ("C3", "20.0", "20.0", "green"),
    ("D1", "90.0", "90.0", "green"),
    ("D2", "2.0", "2.0", "green"),
    ("E1", "0.0", "0.0", "green"),
    ("E2", "2.0", "4.0", "green"),
    ("F1", "4.0", "4.0", "green"),
    ("F2", "1.0", "0.0", "red"),
    ("G1", "0.0", "0.0", "green"),
    ("G2", "0.0", "0.0", "green"),
    ("G3", "50.0", "0.0", "red"),
]
SURVEY = datetime.date(2023, 12, 31)


@pytest.mark.parametrize(("code", "planned", "achieved", "colour"), SEED_INDICATORS)
def test_indicator_status_gives_the_seeds_colours(code, planned, achieved, colour):
    status = rules.indicator_status(
        planned=Decimal(planned), achieved=Decimal(achieved)
    )
    assert status.value == colour


def test_only_f2_and_g3_are_red():
    red = [
        code
        for code, planned, achieved, _ in SEED_INDICATORS
        if rules.indicator_status(planned=Decimal(planned), achieved=Decimal(achieved))
        == Status.RED
    ]
    assert red == ["F2", "G3"]


def _seed_text() -> str:
    # The shared seed when this checkout has it beside, else the fixture copy.
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    files = sorted(shared.glob("003_*.txt")) if shared.is_dir() else []
    return (files[0] if files else SEED_003).read_text(encoding="utf-8")


def test_every_indicator_line_of_the_seed_file_gets_its_printed_colour():
    line = re.compile(r"^([A-G]\d)\) .*?(\d+\.\d)(\d+\.\d)(green|red)$")
    seen = {}
    for text in _seed_text().splitlines():
        match = line.match(text.strip())
        if match:
            code, planned, achieved, colour = match.groups()
            status = rules.indicator_status(
                planned=Decimal(planned), achieved=Decimal(achieved)
            )
            seen[code] = (status.value, colour)
    assert len(seen) == 21
    assert all(status == colour for status, colour in seen.values())


def test_every_action_of_the_seed_file_gets_its_printed_colour():
    actions = seed_actions(_seed_text())
    assert len(actions) == 12
    for action in actions:
        status = rules.action_status(
            planned_start=action["planned_start"],
            planned_end=action["planned_end"],
            actual_start=action["actual_start"],
            actual_end=action["actual_end"],
            reference_date=SURVEY,
        )
        assert status.value == action["seed_status"], action["code"]
    assert [a["code"] for a in actions if a["seed_status"] == "red"] == ["F2"]


def test_indicator_without_achieved_value_is_pending():
    assert rules.indicator_status(planned=Decimal(3), achieved=None) == Status.PENDING


D = datetime.date


@pytest.mark.parametrize(
    ("actual_start", "actual_end", "reference", "expected"),
    [
        (D(2023, 1, 1), D(2023, 6, 30), D(2024, 1, 1), Status.GREEN),  # ended on time
        (D(2023, 1, 1), D(2023, 7, 1), D(2024, 1, 1), Status.RED),  # ended late
        (D(2023, 1, 1), None, D(2023, 7, 1), Status.RED),  # open past its end
        (D(2023, 1, 1), None, D(2023, 3, 1), Status.GREEN),  # open, on schedule
        (None, None, D(2023, 1, 2), Status.RED),  # not started when due
        (None, None, D(2022, 12, 1), Status.GREEN),  # not yet due to start
    ],
)
def test_action_status(actual_start, actual_end, reference, expected):
    status = rules.action_status(
        planned_start=D(2023, 1, 1),
        planned_end=D(2023, 6, 30),
        actual_start=actual_start,
        actual_end=actual_end,
        reference_date=reference,
    )
    assert status == expected
