import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from .factories import action, objective_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"planned_end": datetime.date(2022, 12, 31)},
            "planned_end",
            "The planned end cannot precede the planned start.",
        ),
        (
            {"actual_end": datetime.date(2022, 12, 31)},
            "actual_end",
            "The actual end cannot precede the actual start.",
        ),
        (
            {"actual_start": None},
            "actual_start",
            "An action that has ended needs its actual start date.",
        ),
    ],
)
def test_action_dates_are_checked(fields, field, message):
    with pytest.raises(ValidationError) as error:
        action(**fields).clean()
    assert error.value.message_dict[field] == [message]


def test_objective_code_is_unique_per_language(tree):
    objective_page(tree.section)
    other = objective_page(tree.section, slug="altro", live=False, code="2023_9999")
    other.code = "2023_3504"
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "code" in error.value.message_dict


def test_statuses_are_computed_not_stored(tree):
    page = objective_page(tree.section, actions=1, indicators=1)
    indicator = page.indicators.get()
    indicator.achieved_value = 1
    assert indicator.status.value == "red"
    late = page.actions.get()
    late.actual_end = datetime.date(2024, 1, 31)
    assert late.status_on(page.judged_on).value == "red"
