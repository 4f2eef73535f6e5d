from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.accounts import views as account_views

from . import api, views

app_name = "kit_downloads"
urlpatterns = [
    path(_("download/<int:pk>/<str:filename>"), views.download, name="file"),
    path(_("signature/<int:pk>/<str:filename>"), views.signature, name="signature"),
    path(_("releases/<int:pk>/SHA256SUMS"), views.sha256sums, name="sha256sums"),
    path(
        _("releases/<int:pk>/SHA256SUMS.asc"),
        views.sha256sums_signature,
        name="sha256sums_signature",
    ),
    path(_("keys/KEYS.asc"), views.signing_keys, name="signing_keys"),
    path(_("keys/<str:fingerprint>.asc"), views.signing_key, name="signing_key"),
    path("api/v1/products/", api.product_list, name="api_product_list"),
    path("api/v1/products/<int:pk>/", api.product_detail, name="api_product_detail"),
    path(_("products/<int:pk>/publiccode.yml"), views.publiccode, name="publiccode"),
    path(_("administration/"), views.organisation, name="organisation"),
    path(
        _("administration/register/"),
        account_views.organisation_register,
        name="register",
    ),
    path(
        _("administration/requests/<int:pk>/"),
        account_views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        _("administration/members/<int:pk>/remove/"),
        account_views.membership_remove,
        name="membership_remove",
    ),
]
