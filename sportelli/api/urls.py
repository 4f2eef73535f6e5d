"""The desks' API, version 1, mounted at ``/api/sportelli/v1/`` outside the
language prefixes (``portal/urls.py``). ``bulk`` and ``by-id`` are not
external ids: ids never contain «/», and these two words are reserved."""

from django.urls import path

from . import export, views

app_name = "sportelli_api"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("docs/", views.docs, name="docs"),
    path("vacancies", views.vacancy_list, name="vacancies"),
    path("vacancies/bulk", views.vacancy_bulk, name="vacancy_bulk"),
    path("vacancies/by-id/<int:pk>", views.vacancy_by_id, name="vacancy_by_id"),
    path("vacancies/<str:external_id>", views.vacancy, name="vacancy"),
    path("candidatures", views.candidature_list, name="candidatures"),
    path("candidatures/bulk", views.candidature_bulk, name="candidature_bulk"),
    path("candidatures/<str:external_id>", views.candidature, name="candidature"),
    path("proposals", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>", views.proposal, name="proposal"),
    path("export/vacancies-export.xsd", export.schema, name="export_schema"),
    path("export/vacancies.<str:fmt>", export.feed, name="export"),
]
