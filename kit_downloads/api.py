"""A read-only JSON API of the kit catalogue: products, releases and files.

Versioned path (``/kit/api/v1/``), public metadata only: the download addresses
it lists stay gated by the download view. Every address is absolute on
``PORTAL_BASE_URL``. Responses carry an ETag (the SHA-256 of the body) and a
Last-Modified (the newest publication or upload they describe), and answer 304
to a matching conditional request. A fixed number of queries whatever the number
of products, releases and files; lists are paginated or bounded.
"""

import hashlib
import json

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from portal.services import absolute_url

from . import selectors
from .models import KitProductPage, KitReleasePage, ReleaseFile
from .publiccode import page_absolute_url

API_VERSION = "1"


def _url(name: str, *args) -> str:
    return absolute_url(reverse(f"kit_downloads:{name}", args=args))


def _newest(*moments):
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _file_data(
    file: ReleaseFile, *, product_url: str, is_latest: bool
) -> tuple[dict, object]:
    data = {
        "id": file.pk,
        "filename": file.filename,
        "key": file.kind or None,
        "component": file.component,
        "platform": file.platform,
        "size": file.size,
        "sha256": file.sha256,
        "signed": bool(file.signature),
        "signed_by": file.signed_by or None,
        "signature_url": absolute_url(file.get_signature_url())
        if file.signature
        else None,
        "download_url": absolute_url(file.get_absolute_url()),
        "latest_url": f"{product_url}latest/{file.kind}/" if file.kind else None,
        "in_latest_release": is_latest,
        "uploaded_at": file.uploaded_at.isoformat(),
    }
    return data, file.uploaded_at


def _release_data(
    release: KitReleasePage,
    *,
    files: list[ReleaseFile],
    signature,
    product_url: str,
    is_latest: bool,
) -> tuple[dict, object]:
    file_rows = [
        _file_data(file, product_url=product_url, is_latest=is_latest) for file in files
    ]
    sums = selectors.sha256sums_text((file.sha256, file.filename) for file in files)
    signed = (
        signature is not None
        and selectors.sha256sums_digest(sums) == signature.sums_sha256
    )
    data = {
        "id": release.pk,
        "version": release.version,
        "release_date": release.release_date.isoformat(),
        "maturity": release.maturity,
        "is_security": release.is_security,
        "is_latest": is_latest,
        "url": page_absolute_url(release),
        "published_at": release.first_published_at.isoformat()
        if release.first_published_at
        else None,
        "sha256sums_url": _url("sha256sums", release.pk),
        "sha256sums_signature_url": _url("sha256sums_signature", release.pk)
        if signed
        else None,
        "files": [row for row, _moment in file_rows],
    }
    modified = _newest(
        release.last_published_at,
        signature.uploaded_at if signature is not None else None,
        *(moment for _row, moment in file_rows),
    )
    return data, modified


def _product_data(product: KitProductPage, releases: list[KitReleasePage]) -> dict:
    finals = [r for r in releases if r.maturity == KitReleasePage.Maturity.FINAL]
    latest = finals[0] if finals else None
    product_url = page_absolute_url(product)
    return {
        "id": product.pk,
        "title": product.title,
        "slug": product.slug,
        "summary": product.summary,
        "url": product_url,
        "licence": product.licence,
        "repository_url": product.repository_url,
        "publiccode_url": _url("publiccode", product.pk),
        "feed_url": f"{product_url}feed/",
        "latest_url": f"{product_url}latest/" if latest else None,
        "latest_version": latest.version if latest else None,
        "api_url": _url("api_product_detail", product.pk),
    }


def _respond(request, payload: dict, last_modified):
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest() + '"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_safe
def product_list(request):
    """Published products, ``API_PAGE_SIZE`` a page (``?page=N``)."""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return _error(400, "page must be a positive integer")
    paginator = Paginator(selectors.product_list_catalogue(), selectors.API_PAGE_SIZE)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return _error(404, "no such page")
    products = list(page.object_list)
    releases = selectors.release_map_for_products(products=products)
    results = []
    modified = None
    for product in products:
        results.append(_product_data(product, releases[product.pk]))
        modified = _newest(
            modified,
            product.last_published_at,
            *(release.last_published_at for release in releases[product.pk]),
        )
    base = _url("api_product_list")
    payload = {
        "api_version": API_VERSION,
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "next": f"{base}?page={number + 1}" if page.has_next() else None,
        "previous": f"{base}?page={number - 1}" if page.has_previous() else None,
        "results": results,
    }
    return _respond(request, payload, modified)


@require_safe
def product_detail(request, pk: int):
    """One product with its published releases (newest first, at most
    ``API_RELEASES_MAX``) and their files."""
    product = selectors.product_list_catalogue().filter(pk=pk).first()
    if product is None:
        # A translation's id (the English product page links its own): the
        # catalogue record is the default language's page.
        translated = get_object_or_404(KitProductPage.objects.live().public(), pk=pk)
        source = selectors.catalogue_pk(page=translated)
        if source == pk:
            raise Http404
        return redirect("kit_downloads:api_product_detail", pk=source, permanent=True)
    releases = selectors.release_map_for_products(products=[product])[product.pk]
    shown = releases[: selectors.API_RELEASES_MAX]
    files = selectors.file_map_for_releases(releases=shown)
    signatures = selectors.checksums_signature_map(releases=shown)
    data = _product_data(product, releases)
    latest_pk = next(
        (r.pk for r in releases if r.maturity == KitReleasePage.Maturity.FINAL), None
    )
    modified = product.last_published_at
    rows = []
    for release in shown:
        row, moment = _release_data(
            release,
            files=files[release.pk],
            signature=signatures.get(release.pk),
            product_url=data["url"],
            is_latest=release.pk == latest_pk,
        )
        rows.append(row)
        modified = _newest(modified, moment)
    data["releases"] = rows
    data["releases_total"] = len(releases)
    payload = {"api_version": API_VERSION, "product": data}
    return _respond(request, payload, modified)
