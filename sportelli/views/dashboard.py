"""The network dashboard: public figures (and their open data) and a desk's own.

The public pages set no cookie and carry no CSRF token (the filters are a GET
form), so the page cache stores them for anonymous visitors.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.forbidden import Forbidden
from portal.opendata import conf as opendata_conf

from .. import exports, selectors
from ..selectors import dashboard as dashboard_selectors


@require_safe
def dashboard(request):
    filters = dashboard_selectors.dashboard_filters(request.GET)
    chosen = {"region": filters.region, "province": filters.province}
    return render(
        request,
        "sportelli/dashboard.html",
        {
            "dashboard": dashboard_selectors.network_dashboard(filters=filters),
            "filters": filters,
            "options": dashboard_selectors.dashboard_filter_options(),
            "filter_query": urlencode({k: v for k, v in chosen.items() if v}),
            "threshold": dashboard_selectors.THRESHOLD,
            "licence_url": opendata_conf.licence().url,
        },
    )


@require_safe
def dashboard_csv(request):
    filters = dashboard_selectors.dashboard_filters(request.GET)
    return exports.dashboard_csv_response(filters=filters)


@require_safe
def dashboard_json(request):
    filters = dashboard_selectors.dashboard_filters(request.GET)
    return exports.dashboard_json_response(filters=filters)


@login_required
@require_safe
def desk_dashboard(request, slug: str):
    found = selectors.sportello_get_for_user(slug=slug, user=request.user)
    if found is None:
        raise Http404("No such job desk.")
    sportello, access = found
    if not access.view:
        raise Forbidden(_("Only the desk's people see its dashboard."))
    return render(
        request,
        "sportelli/dashboard_desk.html",
        {
            "sportello": sportello,
            "dashboard": dashboard_selectors.network_dashboard(sportello=sportello),
        },
    )
