"""What other apps declare is found, by the right people only: community groups
and public job desks, on both backends."""

import pytest
from django.utils.html import strip_tags

from community.models import Group
from portal.accounts.models import Organisation
from tests.community.factories import add_member, make_group
from tests.sportelli.conftest import network  # noqa: F401 - a fixture

from .test_search import results_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


def found(client, path: str, query: str) -> str:
    return strip_tags(results_html(client.get(path, {"q": query})))


def test_groups_are_found_by_those_who_may_see_them(client, tree, make_user):
    make_group(
        visibility=Group.Visibility.OPEN,
        name="Operatori dei tirocini extracurricolari",
        description="Scambio di modelli di convenzione",
    )
    private = make_group(
        visibility=Group.Visibility.PRIVATE,
        name="Referenti riservati dei tirocini",
        description="Coordinamento interno",
    )
    member = make_user("socio@example.org")
    add_member(private, member)

    assert "Operatori dei tirocini" in found(client, "/cerca/", "convenzione")
    assert "Referenti riservati" not in found(client, "/cerca/", "tirocini")
    client.force_login(member)
    assert "Referenti riservati" in found(client, "/cerca/", "tirocini")


def test_public_job_desks_are_found_in_both_languages(
    client,
    tree,
    network,  # noqa: F811
):
    assert "Sportello Lavoro di Faenza" in found(client, "/cerca/", "sportello Ravenna")
    assert "Sportello Lavoro di Faenza" in found(
        client, "/en/search/", "job desk Faenza"
    )
    # A draft desk is not public.
    assert "sede di Pollenzo" not in found(client, "/cerca/", "Pollenzo")

    network.org_b.status = Organisation.Status.SUSPENDED
    network.org_b.save()

    assert "Sportello Lavoro di Faenza" not in found(client, "/cerca/", "Faenza")
