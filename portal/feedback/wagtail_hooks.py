"""Admin wiring: the feedback report under Reports, and its permission in the
group editor."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("page-feedback/", admin_views.report, name="feedback_report")]


class _ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return _ReportMenuItem(
        _("Page feedback"), reverse("feedback_report"), icon_name="pick", order=900
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="feedback", codename="view_pagefeedback"
    )
