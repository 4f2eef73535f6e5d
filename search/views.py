from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .query import MAX_QUERY_CHARS

PAGE_SIZE = 10


def search(request):
    """The portal's search page: live public pages in the visitor's language."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    page_obj = None
    if query:
        paginator = Paginator(selectors.page_search(query=query), PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "page_obj": page_obj})
