"""Admin wiring: send/test/report buttons on issues, the subscriber list with
import and export."""

from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from . import admin_views
from .models import NewsletterIssuePage, Subscriber


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("send/<int:page_id>/", admin_views.send, name="send"),
        path("test/<int:page_id>/", admin_views.send_test, name="test"),
        path("report/<int:page_id>/", admin_views.report, name="report"),
        path("import/", admin_views.import_upload, name="import"),
        path("import/<int:pk>/", admin_views.import_review, name="import_review"),
        path("export/", admin_views.export, name="export"),
    ]
    return [path("newsletters/", include((urls, "newsletters_admin")))]


def _issue_buttons(page, user, priority):
    if page.specific_class is not NewsletterIssuePage or not page.pk:
        return
    permissions = page.permissions_for_user(user)
    if not permissions.can_edit():
        return
    yield widgets.Button(
        _("Send a test to me"),
        reverse("newsletters_admin:test", args=[page.pk]),
        icon_name="mail",
        priority=priority,
    )
    if permissions.can_publish():
        yield widgets.Button(
            _("Send to subscribers"),
            reverse("newsletters_admin:send", args=[page.pk]),
            icon_name="mail",
            priority=priority + 1,
        )
    yield widgets.Button(
        _("Delivery report"),
        reverse("newsletters_admin:report", args=[page.pk]),
        icon_name="list-ul",
        priority=priority + 2,
    )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from _issue_buttons(page, user, 70)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _issue_buttons(page, user, 70)


class SubscriberIndexView(IndexView):
    """The list, with Import and Export instead of Add: a subscriber is added
    by their own confirmation or by an import that records consent."""

    def get_add_url(self):
        return None

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Import"), url=reverse("newsletters_admin:import"), icon_name="upload"
            ),
            HeaderButton(
                _("Export CSV"),
                url=reverse("newsletters_admin:export"),
                icon_name="download",
            ),
        ]


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Newsletter subscribers")
    menu_order = 290
    add_to_admin_menu = True
    url_namespace = "newsletters_subscriber"
    url_prefix = "newsletters/subscribers"
    index_view_class = SubscriberIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["name", "organisation", "language"]
    list_display = [
        "email",
        "name",
        "organisation",
        "language",
        Column("status", label=_("status"), accessor="get_status_display"),
        DateColumn("confirmed_at", label=_("confirmed")),
    ]
    list_filter = ["status", "language"]
    search_fields = ["email", "name", "organisation"]
    inspect_view_fields = admin_views.EXPORT_COLUMNS

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if getattr(pattern, "name", None) != "add"
        ]


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("newsletters_subscriber")
