"""Reads on observatories and publications, for pages and feeds alike."""

from itertools import groupby

from django.db.models import QuerySet

from .models import ObservatoryIndexPage, ObservatoryPage, PublicationPage


def observatory_list_visible(
    *, index_page: ObservatoryIndexPage
) -> QuerySet[ObservatoryPage]:
    return (
        ObservatoryPage.objects.child_of(index_page)
        .live()
        .public()
        .select_related("province__region", "promoter")
        .order_by("province__region__name", "province__name")
    )


def observatories_by_region(
    *, index_page: ObservatoryIndexPage
) -> list[tuple[str, list]]:
    """The network grouped by region, in two queries whatever its size."""
    observatories = observatory_list_visible(index_page=index_page)
    return [
        (region, list(items))
        for region, items in groupby(
            observatories, key=lambda o: o.province.region.name
        )
    ]


def publication_list_visible(
    *, index_page: ObservatoryIndexPage
) -> QuerySet[PublicationPage]:
    """Live, public publications of every observatory in the network."""
    return PublicationPage.objects.descendant_of(index_page).live().public()
