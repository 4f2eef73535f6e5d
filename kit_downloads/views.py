"""The gated download of release files and each administration's kit page."""

import logging
import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from portal.accounts import selectors as account_selectors
from portal.accounts import services as account_services

from . import conf, selectors, services
from .models import KitProductPage, KitReleasePage, ReleaseFile, SigningKey
from .storage import private_storage

logger = logging.getLogger(__name__)

_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte positions asked by a single-range ``Range`` header.

    ``None`` means "send the whole file": no header, a unit other than bytes or
    several ranges (allowed by RFC 9110, which lets a server ignore Range). A
    syntactically valid range that lies outside the file raises
    ``RangeNotSatisfiable`` (416).
    """
    if not header:
        return None
    match = _RANGE_RE.fullmatch(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid: ignored, the whole file is sent
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(end, size - 1)


def _file_chunks(name: str, start: int, length: int):
    chunk_size = conf.stream_chunk_size()
    try:
        handle = private_storage.open(name, "rb")
    except OSError:
        logger.error("Kit file %s is missing or unreadable in private storage", name)
        raise
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(chunk_size, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _secure(response: HttpResponse, file: ReleaseFile) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-transform"
    response["ETag"] = f'"{file.sha256}"'
    response["Accept-Ranges"] = "bytes"
    return response


def counts_as_download(request, *, etag: str) -> bool:
    """Whether the request is a download to count: a GET for the whole file or
    for its beginning.

    HEAD fetches no bytes. A ``Range`` that starts after byte 0 (``bytes=100-``,
    ``bytes=-500``) resumes or samples a download already counted; ``bytes=0-``
    starts one. A stale ``If-Range`` means the whole file is sent, so it counts.
    Behind nginx the Range reaches Django unchanged with the X-Accel-Redirect
    request, so the same rule holds in development and production.
    """
    if request.method != "GET":
        return False
    header = request.headers.get("Range", "").strip()
    if not header:
        return True
    if_range = request.headers.get("If-Range", "").strip()
    if if_range and if_range != etag:
        return True
    unit, _sep, ranges = header.partition("=")
    if unit.strip().lower() != "bytes":
        return True  # an unknown unit is ignored: the whole file is sent
    first = ranges.split(",")[0].strip()
    return first.partition("-")[0].strip() == "0"


def _etag_matches(header: str, etag: str) -> bool:
    candidates = {item.strip().removeprefix("W/") for item in header.split(",")}
    return etag in candidates or "*" in candidates


def _access_refused(request, access, file=None):
    """The answer to a visitor without the right to download: the login page
    for anonymous visitors, else an explanation of what to do (403)."""
    if access.reason == "anonymous":
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "kit_downloads/access_denied.html",
        {"access": access, "file": file},
        status=403,
    )


@require_safe
def download(request, pk: int, filename: str):
    """Check the right, record the download, then hand over the file.

    The order follows Wagtail's document serve view: unknown file or wrong name →
    404; no right → login or an explanation (403); then nginx X-Accel-Redirect
    when configured, else a stream with Range and ETag support.
    """
    file = get_object_or_404(ReleaseFile.objects.select_related("release"), pk=pk)
    if file.filename != filename:
        raise Http404("No such file.")
    if not selectors.file_is_downloadable(file=file, user=request.user):
        raise Http404("No such file.")
    access = selectors.kit_access_for_user(user=request.user)
    if not access.allowed:
        return _access_refused(request, access, file)

    etag = f'"{file.sha256}"'
    if_none_match = request.headers.get("If-None-Match", "")
    if if_none_match and _etag_matches(if_none_match, etag):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response

    prefix = conf.x_accel_redirect_prefix()
    if prefix:
        # nginx serves the bytes (and handles Range itself) from its internal
        # location; Django only decided and recorded.
        if counts_as_download(request, etag=etag):
            services.download_record(
                file=file, user=request.user, organisation=access.organisation
            )
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.file.name)
        response["X-Accel-Buffering"] = "yes"
        return _secure(response, file)

    size = file.size
    byte_range = None
    if_range = request.headers.get("If-Range", "")
    if not if_range or if_range.strip() == etag:
        try:
            byte_range = parse_range(request.headers.get("Range", ""), size)
        except RangeNotSatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _secure(response, file)
    if counts_as_download(request, etag=etag):
        services.download_record(
            file=file, user=request.user, organisation=access.organisation
        )
    start, end = byte_range or (0, size - 1)
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(
        _file_chunks(file.file.name, start, length),
        status=206 if byte_range else 200,
        content_type="application/octet-stream",
    )
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return _secure(response, file)


@require_safe
def signature(request, pk: int, filename: str):
    """The detached signature of a file: public, like the checksums."""
    file = get_object_or_404(ReleaseFile, pk=pk)
    if f"{file.filename}.asc" != filename or not file.signature:
        raise Http404("No such signature.")
    if not selectors.file_is_downloadable(file=file, user=request.user):
        raise Http404("No such signature.")
    response = HttpResponse(file.signature, content_type="application/pgp-signature")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
@require_safe
def organisation(request):
    """The user's administrations: status, downloads, updates, users."""
    memberships = list(account_selectors.membership_list_for_user(user=request.user))
    sections = []
    for membership in memberships:
        org = membership.organisation
        manages = account_services.user_can_manage_organisation(
            user=request.user, organisation=org
        )
        sections.append(
            {
                "organisation": org,
                "membership": membership,
                "manages": manages,
                "members": (
                    account_selectors.membership_list_for_organisation(organisation=org)
                    if manages
                    else []
                ),
                "join_requests": (
                    account_selectors.join_request_list_for_organisation(
                        organisation=org
                    )
                    if manages
                    else []
                ),
                "kit": selectors.organisation_kit_status(organisation=org),
            }
        )
    return render(
        request,
        "kit_downloads/organisation.html",
        {
            "sections": sections,
            "access": selectors.kit_access_for_user(user=request.user),
            "pending_requests": account_selectors.join_request_list_pending_for_user(
                user=request.user
            ),
        },
    )


def _live_page(model, pk: int):
    page = get_object_or_404(model.objects.live().public(), pk=pk)
    return page


def _text_response(body: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_safe
def sha256sums(request, pk: int):
    """A release's checksums in the format of ``sha256sum -c``. Public: they reveal
    nothing but let anyone check a copy of a file. Deterministic, so that the
    release manager's offline signature (SHA256SUMS.asc) matches it."""
    release = _live_page(KitReleasePage, pk)
    return _text_response(
        selectors.release_sha256sums(release=release),
        filename="SHA256SUMS",
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def sha256sums_signature(request, pk: int):
    """The release manager's detached signature of SHA256SUMS, served only
    while it signs the release's current checksums."""
    release = _live_page(KitReleasePage, pk)
    signature = selectors.release_checksums_signature(release=release)
    if signature is None:
        raise Http404("No signature of these checksums.")
    return _text_response(
        signature.signature,
        filename="SHA256SUMS.asc",
        content_type="application/pgp-signature",
    )


@require_safe
def signing_keys(request):
    """All active signing keys, armoured one after the other (``gpg --import``
    reads them all); public."""
    keys = selectors.signing_key_list_active()
    body = "".join(key.armored_key for key in keys)
    if not body:
        raise Http404("No signing key is published.")
    return _text_response(
        body, filename="KEYS.asc", content_type="application/pgp-keys"
    )


@require_safe
def signing_key(request, fingerprint: str):
    """One published signing key by fingerprint (active or retired, so old
    signatures stay checkable)."""
    key = get_object_or_404(SigningKey, fingerprint=fingerprint.upper())
    return _text_response(
        key.armored_key,
        filename=f"{key.fingerprint}.asc",
        content_type="application/pgp-keys",
    )


def _no_store_redirect(url: str):
    response = redirect(url)  # 302: the target changes with every release
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def latest_file(request, *, product: KitProductPage, kind: str):
    """302 to the file with key ``kind`` of the product's newest final release,
    checked exactly like the download itself (the target checks again)."""
    if request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    file = selectors.file_latest_for_kind(product=product, kind=kind)
    if file is None or not selectors.file_is_downloadable(file=file, user=request.user):
        raise Http404("No such file in the latest release.")
    access = selectors.kit_access_for_user(user=request.user)
    if not access.allowed:
        return _access_refused(request, access, file)
    return _no_store_redirect(file.get_absolute_url())


def latest_signature(request, *, product: KitProductPage, kind: str):
    """302 to the detached signature of the latest file with key ``kind``
    (signatures are public, like the checksums)."""
    if request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    file = selectors.file_latest_for_kind(product=product, kind=kind)
    if file is None or not file.signature:
        raise Http404("No signature for this file in the latest release.")
    return _no_store_redirect(file.get_signature_url())


@require_safe
def publiccode(request, pk: int):
    """The product's publiccode.yml, generated from its page."""
    from .publiccode import publiccode_yaml

    product = _live_page(KitProductPage, pk)
    return _text_response(
        publiccode_yaml(product=product),
        filename="publiccode.yml",
        content_type="application/yaml; charset=utf-8",
    )
