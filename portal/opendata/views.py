import json

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal.services import absolute_url

from .catalogue import catalogue_document


@require_safe
@cache_control(max_age=60 * 60, public=True)
def catalogue(request):
    """``/dati/catalogo.jsonld``: the DCAT-AP_IT catalogue of the open data."""
    document = catalogue_document(url=absolute_url(reverse("opendata_catalogue")))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response
