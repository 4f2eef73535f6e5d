from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .feeds import GroupThreadsFeed

app_name = "community"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path(_("notifications/"), views.notification_list, name="notification_list"),
    path(
        _("notifications/read/"),
        views.notification_read_all,
        name="notification_read_all",
    ),
    path(
        _("notifications/<int:pk>/"),
        views.notification_open,
        name="notification_open",
    ),
    path(_("settings/"), views.preferences, name="preferences"),
    path(_("unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    path(_("moderation/"), views.moderation_queue_global, name="moderation_global"),
    path(_("flags/<int:pk>/dismiss/"), views.flag_dismiss, name="flag_dismiss"),
    path(_("people/<slug:handle>/"), views.person, name="person"),
    path(_("posts/<int:pk>/"), views.post_goto, name="post_goto"),
    path(_("posts/<int:pk>/edit/"), views.post_edit, name="post_edit"),
    path(_("posts/<int:pk>/history/"), views.post_history, name="post_history"),
    path(_("posts/<int:pk>/delete/"), views.post_delete, name="post_delete"),
    path(_("posts/<int:pk>/moderate/"), views.post_moderate, name="post_moderate"),
    path(_("posts/<int:pk>/flag/"), views.post_flag, name="post_flag"),
    path(
        _("attachments/<int:pk>/<str:filename>"),
        views.attachment,
        name="attachment",
    ),
    path("<slug:slug>/", views.group_detail, name="group_detail"),
    path(_("<slug:slug>/feed/"), GroupThreadsFeed(), name="group_feed"),
    path(_("<slug:slug>/join/"), views.group_join, name="group_join"),
    path(_("<slug:slug>/leave/"), views.group_leave, name="group_leave"),
    path(_("<slug:slug>/watch/"), views.group_watch, name="group_watch"),
    path(_("<slug:slug>/read/"), views.group_mark_read, name="group_mark_read"),
    path(_("<slug:slug>/members/"), views.group_members, name="group_members"),
    path(
        _("<slug:slug>/members/add/"), views.group_member_add, name="group_member_add"
    ),
    path(
        _("<slug:slug>/members/<int:user_pk>/"),
        views.group_member_action,
        name="group_member_action",
    ),
    path(_("<slug:slug>/moderation/"), views.moderation_queue, name="moderation_queue"),
    path(_("<slug:slug>/log/"), views.moderation_log, name="moderation_log"),
    path(_("<slug:slug>/new/"), views.thread_create, name="thread_create"),
    path(_("<slug:slug>/preview/"), views.post_preview, name="post_preview"),
    path(_("<slug:slug>/mentions/"), views.mention_suggest, name="mention_suggest"),
    path("<slug:slug>/<int:pk>/", views.thread_detail, name="thread_detail"),
    path(_("<slug:slug>/<int:pk>/reply/"), views.thread_reply, name="thread_reply"),
    path(_("<slug:slug>/<int:pk>/watch/"), views.thread_watch, name="thread_watch"),
    path(
        _("<slug:slug>/<int:pk>/moderate/"),
        views.thread_moderate,
        name="thread_moderate",
    ),
    path(_("<slug:slug>/<int:pk>/move/"), views.thread_move, name="thread_move"),
]
