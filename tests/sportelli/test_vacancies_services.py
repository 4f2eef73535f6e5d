"""Vacancy services: per-field validation, nothing half-saved, the publish and
close rules, the daily expiry, and the classifications they check against."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from portal.forbidden import Forbidden
from sportelli import classifications, services
from sportelli.models import Sportello, Vacancy

from .conftest import vacancy, vacancy_details

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Classifications ------------------------------------------------------------


def test_the_isco_file_holds_the_whole_ilo_structure():
    groups = classifications.isco_groups().values()
    levels = {}
    for group in groups:
        levels[group.level] = levels.get(group.level, 0) + 1
    assert levels == {"major": 10, "sub_major": 43, "minor": 130, "unit": 436}
    codes = {group.code for group in groups}
    assert all(group.parent in codes for group in groups if group.level != "major")
    assert classifications.isco_unit("5120").title_en == "Cooks"
    assert classifications.isco_unit("512") is None  # a minor group, not a unit


def test_ateco_codes_come_from_the_istat_package():
    activity = classifications.ateco_activity("5611")
    assert activity.code == "56.11"
    assert activity.section == "I"
    assert classifications.ateco_activity("I") is None  # a section alone
    assert classifications.ateco_activity("99.99") is None
    assert len(classifications.ateco_divisions()) == 87


# --- Create and update ------------------------------------------------------------


def test_a_new_vacancy_is_a_draft_with_derived_facets(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a, publish=False)

    assert item.status == Vacancy.Status.DRAFT
    assert item.published_at is None
    assert (item.isco_major, item.ateco_section) == ("5", "I")
    assert item.languages == [{"language": "en", "level": "A2"}]
    assert item.created_by == network.operator_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"isco_code": "9999"}, "isco_code"),
        ({"isco_code": "51"}, "isco_code"),
        ({"ateco_code": "56.99"}, "ateco_code"),
        ({"ateco_code": "I"}, "ateco_code"),
        ({"cp2011_code": "5.2.2"}, "cp2011_code"),
        ({"positions": 0}, "positions"),
        ({"contract_type": "a chiamata"}, "contract_type"),
        ({"working_time": "half"}, "working_time"),
        ({"title": "  "}, "title"),
        ({"deadline": None}, "deadline"),
        ({"municipality": None}, "municipality"),
        ({"employer_name": "", "employer_visible": True}, "employer_name"),
        ({"languages": (("en", "B2"), ("en", "C1"))}, "languages"),
        ({"languages": (("xx", "B2"),)}, "languages"),
        ({"driving_licence": "Z"}, "driving_licence"),
        ({"experience_years": 99}, "experience_years"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_saved(network, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        services.vacancy_create(
            sportello=network.desk_a,
            by=network.operator_a,
            details=vacancy_details(**overrides),
        )
    assert field in _errors(excinfo)
    assert not Vacancy.objects.exists()


def test_several_problems_are_reported_together(network):
    with pytest.raises(ValidationError) as excinfo:
        services.vacancy_create(
            sportello=network.desk_a,
            by=network.operator_a,
            details=vacancy_details(isco_code="0000", ateco_code="00", positions=0),
        )
    assert {"isco_code", "ateco_code", "positions"} <= set(_errors(excinfo))


def test_the_external_id_is_unique_per_desk_only(network):
    vacancy(sportello=network.desk_a, by=network.operator_a, external_id="SILLA-1")
    with pytest.raises(ValidationError) as excinfo:
        vacancy(sportello=network.desk_a, by=network.operator_a, external_id="SILLA-1")
    assert "external_id" in _errors(excinfo)
    other = vacancy(
        sportello=network.desk_b, by=network.operator_b, external_id="SILLA-1"
    )
    assert other.external_id == "SILLA-1"
    # No external id is no id: many vacancies may have none.
    vacancy(sportello=network.desk_a, by=network.operator_a, external_id="")
    vacancy(sportello=network.desk_a, by=network.operator_a, external_id=None)
    assert Vacancy.objects.filter(external_id__isnull=True).count() == 2


def test_a_failed_update_leaves_the_vacancy_as_it_was(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    with pytest.raises(ValidationError):
        services.vacancy_update(
            vacancy=item,
            by=network.manager_a,
            details=vacancy_details(title="Nuovo titolo", isco_code="0001"),
        )
    item.refresh_from_db()
    assert item.title == "Cuoco per ristorante"
    assert item.updated_by == network.operator_a


def test_a_published_vacancy_cannot_be_moved_to_a_past_deadline(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    with pytest.raises(ValidationError) as excinfo:
        services.vacancy_update(
            vacancy=item,
            by=network.operator_a,
            details=vacancy_details(deadline=TODAY - datetime.timedelta(days=1)),
        )
    assert "deadline" in _errors(excinfo)


def test_a_closed_vacancy_cannot_be_changed(network):
    item = vacancy(
        sportello=network.desk_a, by=network.operator_a, close_reason="filled"
    )
    with pytest.raises(ValidationError):
        services.vacancy_update(
            vacancy=item, by=network.operator_a, details=vacancy_details()
        )


@pytest.mark.parametrize("actor", ["operator_b", "plain_user"])
def test_another_desks_people_cannot_touch_the_vacancies(network, actor, make_user):
    user = network.operator_b if actor == "operator_b" else make_user("x@example.org")
    with pytest.raises(Forbidden):
        services.vacancy_create(
            sportello=network.desk_a, by=user, details=vacancy_details()
        )
    item = vacancy(sportello=network.desk_a, by=network.operator_a, publish=False)
    with pytest.raises(Forbidden):
        services.vacancy_publish(vacancy=item, by=user)
    with pytest.raises(Forbidden):
        services.vacancy_close(vacancy=item, by=user, reason="withdrawn")
    item.refresh_from_db()
    assert item.status == Vacancy.Status.DRAFT


# --- Publish and close ----------------------------------------------------------


def test_publishing_stamps_the_date(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    assert item.status == Vacancy.Status.PUBLISHED
    assert item.published_at is not None


@pytest.mark.parametrize("days", [0, -3, 400])
def test_the_deadline_must_be_ahead_but_not_too_far(network, days):
    item = vacancy(sportello=network.desk_a, by=network.operator_a, publish=False)
    Vacancy.objects.filter(pk=item.pk).update(
        deadline=TODAY + datetime.timedelta(days=days)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.vacancy_publish(vacancy=item, by=network.operator_a)
    assert "deadline" in _errors(excinfo)
    item.refresh_from_db()
    assert item.status == Vacancy.Status.DRAFT
    assert item.published_at is None


def test_a_desk_that_is_not_active_cannot_publish(network):
    item = vacancy(sportello=network.draft_a, by=network.operator_a, publish=False)
    with pytest.raises(ValidationError) as excinfo:
        services.vacancy_publish(vacancy=item, by=network.manager_a)
    assert "__all__" in _errors(excinfo)
    assert Vacancy.objects.get(pk=item.pk).status == Vacancy.Status.DRAFT


def test_only_a_draft_is_published(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    with pytest.raises(ValidationError):
        services.vacancy_publish(vacancy=item, by=network.operator_a)


def test_closing_needs_a_reason_a_person_may_give(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    for reason in ("", "expired", "boh"):
        with pytest.raises(ValidationError) as excinfo:
            services.vacancy_close(vacancy=item, by=network.operator_a, reason=reason)
        assert "reason" in _errors(excinfo)
    closed = services.vacancy_close(vacancy=item, by=network.manager_a, reason="filled")
    assert (closed.status, closed.close_reason) == ("closed", "filled")
    assert closed.closed_at is not None
    with pytest.raises(ValidationError):
        services.vacancy_close(vacancy=item, by=network.operator_a, reason="filled")


def test_a_draft_can_only_be_withdrawn(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a, publish=False)
    with pytest.raises(ValidationError):
        services.vacancy_close(vacancy=item, by=network.operator_a, reason="filled")
    closed = services.vacancy_close(
        vacancy=item, by=network.operator_a, reason="withdrawn"
    )
    assert closed.close_reason == "withdrawn"


# --- Expiry ---------------------------------------------------------------------


def test_expiry_closes_published_vacancies_past_their_deadline(network):
    due = vacancy(sportello=network.desk_a, by=network.operator_a)
    last_day = vacancy(sportello=network.desk_a, by=network.operator_a)
    draft = vacancy(sportello=network.desk_a, by=network.operator_a, publish=False)
    Vacancy.objects.filter(pk__in=[due.pk, draft.pk]).update(
        deadline=TODAY - datetime.timedelta(days=1)
    )
    Vacancy.objects.filter(pk=last_day.pk).update(deadline=TODAY)

    assert services.vacancy_expire_due() == 1

    due.refresh_from_db()
    assert (due.status, due.close_reason) == ("closed", "expired")
    assert Vacancy.objects.get(pk=last_day.pk).status == "published"
    assert Vacancy.objects.get(pk=draft.pk).status == "draft"
    assert services.vacancy_expire_due() == 0


def test_the_daily_command_runs_the_expiry(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a)
    Vacancy.objects.filter(pk=item.pk).update(
        deadline=TODAY - datetime.timedelta(days=2)
    )
    out = io.StringIO()
    call_command("sportelli_expire_vacancies", stdout=out)
    assert "Expired vacancies closed: 1" in out.getvalue()
    assert Vacancy.objects.get(pk=item.pk).close_reason == "expired"


def test_a_suspended_desk_keeps_its_vacancies_but_cannot_publish(network):
    item = vacancy(sportello=network.desk_a, by=network.operator_a, publish=False)
    services.sportello_set_status(
        sportello=network.desk_a,
        by=network.referente,
        status=Sportello.Status.SUSPENDED,
    )
    with pytest.raises(ValidationError):
        services.vacancy_publish(vacancy=item, by=network.operator_a)
