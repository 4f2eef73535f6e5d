from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import SigningKey
from .permissions import KitManagerPermissionPolicy, can_manage_kit

register_permission_policy(SigningKey, KitManagerPermissionPolicy(SigningKey))


class KitMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_kit(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("files/", admin_views.file_index, name="files"),
        path("files/upload/", admin_views.file_upload, name="file_upload"),
        path(
            "releases/<int:pk>/sign-checksums/",
            admin_views.checksums_sign,
            name="checksums_sign",
        ),
        path("install-base/", admin_views.install_base, name="install_base"),
        path(
            "administrations/",
            admin_views.organisation_releases,
            name="organisation_releases",
        ),
    ]
    return [path("kit/", include((urls, "kit_downloads_admin")))]


class SigningKeyViewSet(ModelViewSet):
    """The OpenPGP public keys the portal publishes and verifies signatures with."""

    model = SigningKey
    icon = "key"
    menu_label = _("Signing keys")
    add_to_admin_menu = False
    url_namespace = "kit_signing_keys"
    url_prefix = "kit/signing-keys"
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["label", "armored_key", "is_active"]
    list_display = ["label", "fingerprint_display", "is_active", "expires_at"]
    inspect_view_fields = [
        "label",
        "fingerprint",
        "user_ids",
        "expires_at",
        "is_active",
        "created_at",
    ]


signing_key_viewset = SigningKeyViewSet()


@hooks.register("register_admin_viewset")
def register_signing_key_viewset():
    return signing_key_viewset


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
                _("Signing keys"),
                reverse("kit_signing_keys:index"),
                icon_name="key",
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
