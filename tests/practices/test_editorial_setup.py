from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import WorkflowPage

from portal.practices.models import PracticeIndexPage
from portal.practices.services import WORKFLOW_NAME

pytestmark = pytest.mark.django_db


def test_editorial_setup_creates_the_groups_and_assigns_the_workflow(tree):
    index = PracticeIndexPage(title="Buone pratiche", slug="pratiche-bis")
    tree.home.add_child(instance=index)

    for _run in range(2):  # safe to run again
        call_command("editorial_setup", stdout=StringIO())

    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Redazione",
        "Revisione",
    }
    assignment = WorkflowPage.objects.get(page=index)
    assert assignment.workflow.name == WORKFLOW_NAME
    assert assignment.workflow.tasks.filter(active=True).count() == 1
