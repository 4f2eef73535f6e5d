import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from portal.projects.models import (
    ProgrammePage,
    ProjectPage,
    ProjectStatus,
    project_status,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        (None, None, ProjectStatus.UNSCHEDULED),
        (datetime.date(2027, 1, 1), None, ProjectStatus.PLANNED),
        (
            datetime.date(2010, 7, 1),
            datetime.date(2012, 9, 30),
            ProjectStatus.CONCLUDED,
        ),
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), ProjectStatus.ONGOING),
        (datetime.date(2026, 1, 1), None, ProjectStatus.ONGOING),
        (TODAY, TODAY, ProjectStatus.ONGOING),
    ],
)
def test_status_is_derived_from_the_dates(start, end, status):
    assert project_status(start=start, end=end, today=TODAY) == status


@pytest.fixture
def programme(tree):
    programme = ProgrammePage(
        title="Programma", slug="programma", summary="Quattro progetti"
    )
    tree.section.add_child(instance=programme)
    programme.save_revision().publish()
    return programme


def _project(programme, **fields):
    defaults = {
        "title": "Sviluppo di Osservatori sui mercati del lavoro",
        "slug": "osservatori",
        "start_date": datetime.date(2010, 7, 1),
        "end_date": datetime.date(2012, 9, 30),
        "recipients": "Dirigenti e operatori dei Servizi pubblici per l'Impiego",
        "strands": [
            (
                "strand",
                {
                    "code": "A",
                    "title": "Analisi delle esperienze",
                    "activities": ["Selezione e raccolta delle esperienze"],
                },
            )
        ],
    }
    defaults.update(fields)
    project = ProjectPage(**defaults)
    programme.add_child(instance=project)
    project.save_revision().publish()
    return project


def test_project_sheet_shows_its_fields(client, programme):
    project = _project(programme)

    response = client.get(project.url)

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "1 luglio 2010" in html
    assert "Dirigenti e operatori dei Servizi pubblici per l&#x27;Impiego" in html
    assert "A – Analisi delle esperienze" in html
    assert '<dd class="col-sm-8" data-testid="project-status">' in html
    assert '"@type": "Project"' in html


def test_end_date_before_start_date_is_refused(programme):
    project = _project(programme)
    project.end_date = datetime.date(2009, 1, 1)

    with pytest.raises(ValidationError) as error:
        project.full_clean()

    assert "end_date" in error.value.message_dict


def test_programme_lists_its_live_projects(client, programme):
    _project(programme)
    draft = ProjectPage(title="Bozza", slug="bozza", live=False)
    programme.add_child(instance=draft)

    html = client.get(programme.url).content.decode()

    assert "Sviluppo di Osservatori sui mercati del lavoro" in html
    assert "Bozza" not in html
