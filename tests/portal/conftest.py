from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module that asks for it, rolled back at
    its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for page in Page.get_first_root_node().get_children():
                page.delete()
            call_command("load_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
