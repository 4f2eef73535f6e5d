from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .views import api_keys as api_key_views
from .views import candidatures as candidature_views
from .views import dashboard as dashboard_views
from .views import exchange as exchange_views

app_name = "sportelli"
urlpatterns = [
    path("", views.directory, name="directory"),
    path(_("open-data/job-desks.csv"), views.open_data_csv, name="open_data_csv"),
    path(_("open-data/job-desks.json"), views.open_data_json, name="open_data_json"),
    path(
        _("open-data/job-desks.geojson"),
        views.open_data_geojson,
        name="open_data_geojson",
    ),
    path(_("vacancies/"), views.vacancy_board, name="vacancies"),
    path(
        _("vacancies/network/"), views.vacancy_board_network, name="vacancies_network"
    ),
    path(_("vacancies/feed/"), views.vacancy_feed, name="vacancy_feed"),
    path(_("vacancies/<int:pk>/"), views.vacancy_detail, name="vacancy"),
    path(_("open-data/vacancies.csv"), views.vacancies_csv, name="vacancies_csv"),
    path(_("open-data/vacancies.json"), views.vacancies_json, name="vacancies_json"),
    path(_("network/dashboard/"), dashboard_views.dashboard, name="dashboard"),
    path(
        _("open-data/network-dashboard.csv"),
        dashboard_views.dashboard_csv,
        name="dashboard_csv",
    ),
    path(
        _("open-data/network-dashboard.json"),
        dashboard_views.dashboard_json,
        name="dashboard_json",
    ),
    path(
        _("manage/<slug:slug>/dashboard/"),
        dashboard_views.desk_dashboard,
        name="desk_dashboard",
    ),
    path(
        _("documents/<str:kind>/<int:pk>/<str:filename>"),
        views.document,
        name="document",
    ),
    path(_("manage/"), views.manage_list, name="manage"),
    path(_("manage/new/<int:organisation_pk>/"), views.desk_create, name="create"),
    path(_("manage/<slug:slug>/edit/"), views.desk_edit, name="edit"),
    path(_("manage/<slug:slug>/roles/"), views.desk_roles, name="roles"),
    path(
        _("manage/<slug:slug>/roles/<int:pk>/remove/"),
        views.desk_role_remove,
        name="role_remove",
    ),
    path(_("manage/<slug:slug>/documents/"), views.desk_documents, name="documents"),
    path(
        _("manage/<slug:slug>/agreements/<int:pk>/remove/"),
        views.agreement_delete,
        name="agreement_delete",
    ),
    path(
        _("manage/<slug:slug>/vacancies/"),
        views.desk_vacancies,
        name="desk_vacancies",
    ),
    path(
        _("manage/<slug:slug>/vacancies/new/"),
        views.vacancy_create,
        name="vacancy_create",
    ),
    path(
        _("manage/<slug:slug>/vacancies/<int:pk>/edit/"),
        views.vacancy_edit,
        name="vacancy_edit",
    ),
    path(
        _("manage/<slug:slug>/vacancies/<int:pk>/publish/"),
        views.vacancy_publish,
        name="vacancy_publish",
    ),
    path(
        _("manage/<slug:slug>/vacancies/<int:pk>/close/"),
        views.vacancy_close,
        name="vacancy_close",
    ),
    # Candidatures: the desk's front office and the network's shared profiles
    path(
        _("manage/<slug:slug>/candidatures/"),
        candidature_views.desk_candidatures,
        name="candidatures",
    ),
    path(
        _("manage/<slug:slug>/candidatures/new/"),
        candidature_views.candidature_create,
        name="candidature_create",
    ),
    path(
        _("manage/<slug:slug>/candidatures/<int:pk>/edit/"),
        candidature_views.candidature_edit,
        name="candidature_edit",
    ),
    path(
        _("manage/<slug:slug>/candidatures/<int:pk>/sharing/"),
        candidature_views.candidature_status,
        name="candidature_status",
    ),
    path(
        _("manage/<slug:slug>/candidatures/<int:pk>/renew/"),
        candidature_views.candidature_renew,
        name="candidature_renew",
    ),
    path(
        _("manage/<slug:slug>/candidatures/<int:pk>/withdraw-consent/"),
        candidature_views.candidature_withdraw,
        name="candidature_withdraw",
    ),
    path(
        _("manage/<slug:slug>/candidatures/views/"),
        candidature_views.candidature_views,
        name="candidature_views",
    ),
    path(
        _("network/candidatures/"),
        candidature_views.network_candidatures,
        name="network_candidatures",
    ),
    path(
        _("network/candidatures/<int:pk>/"),
        candidature_views.candidature_detail,
        name="candidature",
    ),
    # Exchange between desks (proposals, notifications, suggestions)
    path(
        _("manage/<slug:slug>/proposals/"),
        exchange_views.proposals,
        name="proposals",
    ),
    path(_("proposals/<int:pk>/"), exchange_views.proposal, name="proposal"),
    path(
        _("proposals/<int:pk>/move/"),
        exchange_views.proposal_move,
        name="proposal_move",
    ),
    path(
        _("proposals/<int:pk>/messages/"),
        exchange_views.proposal_message,
        name="proposal_message",
    ),
    path(
        _("manage/<slug:slug>/vacancies/<int:pk>/suggestions/"),
        exchange_views.vacancy_suggestions,
        name="vacancy_suggestions",
    ),
    path(
        _("manage/<slug:slug>/candidatures/<int:pk>/suggestions/"),
        exchange_views.candidature_suggestions,
        name="candidature_suggestions",
    ),
    path(
        _("vacancies/<int:pk>/propose/"),
        exchange_views.vacancy_propose,
        name="vacancy_propose",
    ),
    path(
        _("candidatures/<int:pk>/propose/"),
        exchange_views.candidature_propose,
        name="candidature_propose",
    ),
    path(
        _("manage/notifications/"),
        exchange_views.notifications,
        name="notifications",
    ),
    path(_("manage/<slug:slug>/api-keys/"), api_key_views.api_keys, name="api_keys"),
    path(
        _("manage/<slug:slug>/api-keys/<int:pk>/revoke/"),
        api_key_views.api_key_revoke,
        name="api_key_revoke",
    ),
    path("<slug:slug>/", views.detail, name="detail"),
]
