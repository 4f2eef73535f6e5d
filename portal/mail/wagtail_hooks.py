"""The admin's "Outgoing email" listing: read-only, filtered by status, with
"Retry now" on failed rows and the number of failures in the menu."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import OutboundEmail
from .permissions import outbound_email_policy

register_permission_policy(OutboundEmail, outbound_email_policy)

FAILED_STATUSES = [OutboundEmail.Status.FAILED, OutboundEmail.Status.GIVEN_UP]


class OutboundEmailIndexView(IndexView):
    # Who may retry may see what there is to retry.
    any_permission_required = ["view", "retry"]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.can_retry and self.permission_policy.user_has_permission(
            self.request.user, "retry"
        ):
            buttons.append(
                ListingButton(
                    _("Retry now"),
                    url=reverse("mail_outboundemail:retry", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


class OutboundEmailMenuItem(MenuItem):
    """The menu entry, shown to who may view the listing, with the count of
    emails that failed (still retrying or given up)."""

    def is_shown(self, request):
        return outbound_email_policy.user_has_any_permission(
            request.user, ["view", "retry"]
        )

    def render_component(self, request) -> Component:
        component = super().render_component(request)
        failures = OutboundEmail.objects.filter(status__in=FAILED_STATUSES).count()
        if failures:
            component.label = f"{self.label} ({failures})"
        return component


class OutboundEmailViewSet(ModelViewSet):
    model = OutboundEmail
    permission_policy = outbound_email_policy
    icon = "mail"
    menu_label = _("Outgoing email")
    menu_order = 295
    add_to_admin_menu = True
    url_namespace = "mail_outboundemail"
    url_prefix = "mail/outgoing"
    index_view_class = OutboundEmailIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = []
    list_display = [
        "subject",
        Column("recipients", label=_("recipients"), accessor="recipients_display"),
        Column("status", label=_("status"), accessor="get_status_display"),
        "attempts",
        DateColumn("created_at", label=_("queued at")),
        DateColumn("next_attempt_at", label=_("next attempt")),
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    # Never the body: it may hold one-time links (password reset, verification).
    inspect_view_fields = [
        "subject",
        "from_email",
        "to",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    ]

    @cached_property
    def menu_item_class(self):
        return OutboundEmailMenuItem

    def get_urlpatterns(self):
        patterns = [
            pattern
            for pattern in super().get_urlpatterns()
            if getattr(pattern, "name", None) not in {"add", "edit", "delete"}
        ]
        return [*patterns, path("retry/<int:pk>/", admin_views.retry, name="retry")]

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type__app_label="mail",
            codename__in=["view_outboundemail", "retry_outboundemail"],
        )


@hooks.register("register_admin_viewset")
def register_outbound_email_viewset():
    return OutboundEmailViewSet("mail_outboundemail")
