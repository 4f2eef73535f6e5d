"""Editors' side of search: promoted results (a snippet) and a report of the
most frequent queries and of those that found nothing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import QueryLog, SearchPromotion


class SearchPromotionViewSet(SnippetViewSet):
    model = SearchPromotion
    icon = "pick"
    menu_label = _("Promoted results")
    list_display = ["query", "page", "sort_order"]
    search_fields = ["query"]


register_snippet(SearchPromotionViewSet)


class QueryReportView(ReportView):
    """The most searched queries, most frequent first."""

    page_title = _("Search queries")
    header_icon = "search"
    index_url_name = "search_query_report"
    index_results_url_name = "search_query_report_results"
    permission_policy = ModelPermissionPolicy(QueryLog)
    permission_required = "view"
    paginate_by = 50
    zero_only = False
    columns = [
        Column("query", label=_("Query")),
        Column("language", label=_("Language")),
        Column("hits", label=_("Searches")),
        Column("last_result_count", label=_("Results")),
        DateColumn("last_searched_at", label=_("Last searched")),
    ]
    list_export = ["query", "language", "hits", "last_result_count", "last_searched_at"]

    def get_queryset(self):
        queries = QueryLog.objects.order_by("-hits", "query")
        if self.zero_only:
            queries = queries.filter(last_result_count=0)
        return queries


class ZeroResultQueryReportView(QueryReportView):
    """Queries whose last search found nothing: content to write or synonyms."""

    page_title = _("Searches without results")
    index_url_name = "search_zero_report"
    index_results_url_name = "search_zero_report_results"
    zero_only = True


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/search-queries/",
            QueryReportView.as_view(),
            name="search_query_report",
        ),
        path(
            "reports/search-queries/results/",
            QueryReportView.as_view(results_only=True),
            name="search_query_report_results",
        ),
        path(
            "reports/search-queries/no-results/",
            ZeroResultQueryReportView.as_view(),
            name="search_zero_report",
        ),
        path(
            "reports/search-queries/no-results/results/",
            ZeroResultQueryReportView.as_view(results_only=True),
            name="search_zero_report_results",
        ),
    ]


class QueryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("portal_search.view_querylog")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return QueryReportMenuItem(
        _("Search queries"),
        reverse("search_query_report"),
        icon_name="search",
        order=900,
    )


@hooks.register("register_reports_menu_item")
def register_zero_report_menu_item():
    return QueryReportMenuItem(
        _("Searches without results"),
        reverse("search_zero_report"),
        icon_name="search",
        order=901,
    )
