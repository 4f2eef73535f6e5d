"""Admin wiring: the import view and a button on objective and report pages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets

from . import admin_views
from .models import ObjectivePage, ProgrammeReportPage

IMPORTABLE = (ObjectivePage, ProgrammeReportPage)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "monitoring/import/<int:page_id>/",
            admin_views.import_rows,
            name="monitoring_import",
        )
    ]


def _button(page, user, priority):
    if page.specific_class not in IMPORTABLE:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield widgets.Button(
        _("Import from file"),
        reverse("monitoring_import", args=[page.pk]),
        icon_name="upload",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from _button(page, user, 75)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _button(page, user, 75)
