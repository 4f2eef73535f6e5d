from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from . import selectors, services
from .conf import page_size as results_page_size
from .query import MAX_QUERY_CHARS

MAX_PAGE = 10_000


def _language() -> str:
    return (translation.get_language() or "it").split("-")[0]


def _page_number(raw: str | None) -> int:
    if raw and raw.isdigit() and len(raw) < 6:
        return min(int(raw), MAX_PAGE)
    return 1


@require_GET
def search(request):
    """The portal's search page: live public pages in the visitor's language and
    the discussions the visitor may read, with facets, sorting and pages."""
    query = request.GET.get("q", "").strip()
    asked = _page_number(request.GET.get("page"))
    outcome = selectors.site_search(
        user=request.user,
        query=query,
        params=request.GET,
        language=_language(),
        page=asked,
        sort=request.GET.get("sort", ""),
    )
    if outcome.results is not None and outcome.results.page == 1:
        services.query_log_record(
            query=outcome.query,
            language=outcome.language,
            result_count=outcome.results.total,
        )
    results = outcome.results
    context = {
        "query": outcome.query,
        "outcome": outcome,
        "results": results,
        "max_query_chars": MAX_QUERY_CHARS,
    }
    if results is not None and results.total:
        context.update(
            first_number=(results.page - 1) * results_page_size() + 1,
            previous_page=results.page - 1,
            next_page=results.page + 1,
            page_beyond=asked if asked > results.page else None,
        )
    return render(request, "search/search.html", context)


@require_GET
def suggest(request):
    """Autocomplete for the header box: up to eight titles as JSON."""
    text = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    suggestions = selectors.autocomplete(
        user=request.user, text=text, language=_language()
    )
    response = JsonResponse({"query": text, "suggestions": suggestions})
    response["Cache-Control"] = "private, max-age=60"
    return response
