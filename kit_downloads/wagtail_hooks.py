from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views
from .permissions import can_manage_kit


class KitMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_kit(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("files/", admin_views.file_index, name="files"),
        path("files/upload/", admin_views.file_upload, name="file_upload"),
        path("install-base/", admin_views.install_base, name="install_base"),
        path(
            "administrations/",
            admin_views.organisation_releases,
            name="organisation_releases",
        ),
    ]
    return [path("kit/", include((urls, "kit_downloads_admin")))]


@hooks.register("register_admin_menu_item")
def register_kit_menu():
    menu = Menu(
        items=[
            KitMenuItem(
                _("Release files"),
                reverse("kit_downloads_admin:files"),
                icon_name="doc-full",
            ),
            KitMenuItem(
                _("Install base"),
                reverse("kit_downloads_admin:install_base"),
                icon_name="table",
            ),
            KitMenuItem(
                _("Administrations' releases"),
                reverse("kit_downloads_admin:organisation_releases"),
                icon_name="warning",
            ),
        ]
    )
    return SubmenuMenuItem(_("SILLA kit"), menu, icon_name="download", order=310)
