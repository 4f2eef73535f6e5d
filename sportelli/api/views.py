"""The desks' API, version 1: a desk's own software pushes its vacancies and
candidatures and reads its proposals. Thin views: the services write, with the
same rules as the front office; ``auth.endpoint`` authenticates, limits,
translates, shapes errors and audits.
"""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from portal.forbidden import Forbidden
from portal.services import absolute_url

from ..models import ApiKey, Candidature, Proposal, Vacancy
from ..services.candidatures import consent_withdraw
from ..services.vacancies import BatchErrors, vacancy_upsert, vacancy_upsert_many
from . import openapi, writes
from .auth import ApiError, endpoint, json_response, read_json
from .validation import candidature_request, municipality_codes, vacancy_request

API_VERSION = "1"
PAGE_SIZE = 100
MAX_BULK_ITEMS = 1000


def api_url(name: str, *args) -> str:
    return absolute_url(reverse(f"sportelli_api:{name}", args=args))


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _page(request, queryset, *, name: str, serialise) -> dict:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 0
    if number < 1:
        raise ApiError(400, {"page": [gettext("Enter a whole number of 1 or more.")]})
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise Http404 from None
    results = [serialise(item) for item in page.object_list]
    request.api_objects = len(results)
    query = request.GET.copy()
    base = api_url(name)

    def link(to: int) -> str:
        query["page"] = str(to)
        return f"{base}?{query.urlencode()}"

    return {
        "api_version": API_VERSION,
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
        "results": results,
    }


# --- The key's desk --------------------------------------------------------------


@endpoint("GET")
def desk(request, key: ApiKey):
    """Which desk the key acts for, and where to go from here."""
    sportello = key.sportello
    request.api_objects = 1
    return json_response(
        request,
        {
            "api_version": API_VERSION,
            "desk": {
                "id": sportello.pk,
                "slug": sportello.slug,
                "name": sportello.name,
                "status": sportello.status,
                "administration": sportello.organisation.name,
                "url": absolute_url(sportello.get_absolute_url()),
            },
            "key": {"prefix": key.prefix, "name": key.name},
            "links": {
                "vacancies": api_url("vacancies"),
                "candidatures": api_url("candidatures"),
                "proposals": api_url("proposals"),
                "openapi": api_url("openapi"),
            },
        },
    )


# --- Vacancies -------------------------------------------------------------------


def vacancy_data(vacancy: Vacancy) -> dict:
    return {
        "id": vacancy.pk,
        "external_id": vacancy.external_id,
        "title": vacancy.title,
        "isco_code": vacancy.isco_code,
        "cp2011_code": vacancy.cp2011_code,
        "ateco_code": vacancy.ateco_code,
        "contract_type": vacancy.contract_type,
        "working_time": vacancy.working_time,
        "positions": vacancy.positions,
        "municipality": vacancy.municipality.istat_code,
        "education_level": vacancy.education_level,
        "languages": vacancy.languages,
        "driving_licence": vacancy.driving_licence,
        "experience_years": vacancy.experience_years,
        "description": vacancy.description,
        "how_to_apply": vacancy.how_to_apply,
        "employer_name": vacancy.employer_name,
        "employer_visible": vacancy.employer_visible,
        "visibility": vacancy.visibility,
        "deadline": vacancy.deadline.isoformat(),
        "status": vacancy.status,
        "close_reason": vacancy.close_reason,
        "published_at": _iso(vacancy.published_at),
        "closed_at": _iso(vacancy.closed_at),
        "created_at": _iso(vacancy.created_at),
        "updated_at": _iso(vacancy.updated_at),
        "url": absolute_url(vacancy.get_absolute_url()),
        "api_url": (
            api_url("vacancy", vacancy.external_id)
            if vacancy.external_id
            else api_url("vacancy_by_id", vacancy.pk)
        ),
    }


def _desk_vacancies(key: ApiKey):
    return Vacancy.objects.filter(sportello_id=key.sportello_id).select_related(
        "municipality"
    )


@endpoint("GET")
def vacancy_list(request, key: ApiKey):
    """The desk's vacancies, every state (``?status=draft|published|closed``),
    the most recently changed first."""
    queryset = _desk_vacancies(key).order_by("-updated_at", "-pk")
    status = request.GET.get("status", "")
    if status:
        if status not in Vacancy.Status.values:
            raise ApiError(
                400,
                {
                    "status": [
                        gettext("Choose one of: %(values)s.")
                        % {"values": ", ".join(Vacancy.Status.values)}
                    ]
                },
            )
        queryset = queryset.filter(status=status)
    return json_response(
        request, _page(request, queryset, name="vacancies", serialise=vacancy_data)
    )


@endpoint("GET", "PUT")
def vacancy(request, key: ApiKey, external_id: str):
    """GET: the desk's vacancy with this external id. PUT: create or replace
    it (idempotent), and publish or close it through ``status``."""
    if request.method in ("GET", "HEAD"):
        found = _desk_vacancies(key).filter(external_id=external_id).first()
        if found is None:
            raise Http404
        request.api_objects = 1
        return json_response(request, vacancy_data(found))
    data = read_json(request)
    parsed, errors = vacancy_request(
        data, external_id=external_id, municipalities=municipality_codes([data])
    )
    if errors:
        raise ApiError(422, errors)
    item, created = vacancy_upsert(
        sportello=key.sportello,
        by=key,
        details=parsed.details,
        status=parsed.status,
        close_reason=parsed.close_reason,
    )
    request.api_objects = 1
    item = _desk_vacancies(key).get(pk=item.pk)
    response = json_response(
        request, vacancy_data(item), status=201 if created else 200
    )
    if created:
        response["Location"] = api_url("vacancy", item.external_id)
    return response


@endpoint("GET")
def vacancy_by_id(request, key: ApiKey, pk: int):
    """A vacancy by its portal id (also those entered in the portal, which may
    have no external id). Another desk's vacancy: 403."""
    found = Vacancy.objects.select_related("municipality").filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.sportello_id != key.sportello_id:
        raise Forbidden(gettext("This vacancy belongs to another job desk."))
    request.api_objects = 1
    return json_response(request, vacancy_data(found))


def _bulk_items(request) -> list:
    data = read_json(request)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ApiError(
            400,
            {"items": [gettext('Send {"items": [...]} with at least one item.')]},
        )
    if len(items) > MAX_BULK_ITEMS:
        raise ApiError(
            422,
            {
                "items": [
                    gettext("Send at most %(max)s items in one call.")
                    % {"max": MAX_BULK_ITEMS}
                ]
            },
        )
    return items


def batch_error_response(errors: dict[int, dict], total: int) -> ApiError:
    """422 listing the items that failed: nothing of the batch was saved."""
    rows = [
        {"index": index, "errors": {k: [str(m) for m in v] for k, v in fields.items()}}
        for index, fields in sorted(errors.items())
    ]
    return ApiError(
        422,
        {
            "__all__": [
                gettext("Nothing was saved: %(failed)s of %(total)s items have errors.")
                % {"failed": len(rows), "total": total}
            ]
        },
        extra={"items": rows},
    )


@endpoint("POST")
def vacancy_bulk(request, key: ApiKey):
    """Create or update up to ``MAX_BULK_ITEMS`` vacancies by external id, all
    or nothing: one error anywhere and nothing is saved; the answer lists the
    errors by item index and field."""
    items = _bulk_items(request)
    municipalities = municipality_codes(items)
    parsed = []
    errors: dict[int, dict] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        request_item, item_errors = vacancy_request(
            item, external_id=None, municipalities=municipalities
        )
        if item_errors:
            errors[index] = item_errors
            continue
        if request_item.external_id in seen:
            errors[index] = _twice(seen[request_item.external_id])
            continue
        seen[request_item.external_id] = index
        parsed.append(request_item)
    if errors:
        raise batch_error_response(errors, len(items))
    try:
        results = vacancy_upsert_many(
            sportello=key.sportello,
            by=key,
            items=[(p.details, p.status, p.close_reason) for p in parsed],
        )
    except BatchErrors as error:
        raise batch_error_response(error.items, len(items)) from None
    request.api_objects = len(results)
    return json_response(request, _bulk_answer(results, "vacancy"))


def _twice(first: int) -> dict:
    return {
        "external_id": [
            gettext("The same external id is at item %(index)s too.") % {"index": first}
        ]
    }


def _bulk_answer(results, name: str) -> dict:
    return {
        "created": sum(1 for _item, created in results if created),
        "updated": sum(1 for _item, created in results if not created),
        "items": [
            {
                "index": index,
                "id": item.pk,
                "external_id": item.external_id,
                "status": item.status,
                "created": created,
                "api_url": api_url(name, item.external_id),
            }
            for index, (item, created) in enumerate(results)
        ],
    }


# --- Candidatures ----------------------------------------------------------------


def candidature_data(candidature: Candidature) -> dict:
    consent = next(
        (c for c in candidature.consents.all() if c.is_active),
        None,
    )
    return {
        "id": candidature.pk,
        "external_id": candidature.external_id,
        "reference_code": candidature.reference_code,
        "occupations": [o.isco_code for o in candidature.occupations.all()],
        "municipality": candidature.municipality.istat_code,
        "mobility": candidature.mobility,
        "mobility_km": candidature.mobility_km,
        "availability": candidature.availability,
        "working_time": candidature.working_time,
        "education_level": candidature.education_level,
        "languages": candidature.languages,
        "driving_licence": candidature.driving_licence,
        "experience_years": candidature.experience_years,
        "skills": candidature.skills,
        "summary": candidature.summary,
        "status": candidature.status,
        "expires_on": candidature.expires_on.isoformat(),
        "consent": (
            {"scope": consent.scope, "given_on": consent.given_on.isoformat()}
            if consent
            else None
        ),
        "created_at": _iso(candidature.created_at),
        "updated_at": _iso(candidature.updated_at),
        "api_url": (
            api_url("candidature", candidature.external_id)
            if candidature.external_id
            else None
        ),
    }


def _desk_candidatures(key: ApiKey):
    return (
        Candidature.objects.filter(sportello_id=key.sportello_id)
        .select_related("municipality")
        .prefetch_related("occupations", "consents")
    )


@endpoint("GET")
def candidature_list(request, key: ApiKey):
    """The desk's own candidatures (shared or not), most recently changed
    first."""
    queryset = _desk_candidatures(key).order_by("-updated_at", "-pk")
    status = request.GET.get("status", "")
    if status:
        if status not in Candidature.Status.values:
            raise ApiError(
                400,
                {
                    "status": [
                        gettext("Choose one of: %(values)s.")
                        % {"values": ", ".join(Candidature.Status.values)}
                    ]
                },
            )
        queryset = queryset.filter(status=status)
    return json_response(
        request,
        _page(request, queryset, name="candidatures", serialise=candidature_data),
    )


@endpoint("GET", "PUT", "DELETE")
def candidature(request, key: ApiKey, external_id: str):
    """GET: the desk's candidature with this external id. PUT: create it
    (consent_scope and consent_given_on required) or replace it. DELETE: the
    person withdrew consent: the profile is deleted (the consent record
    stays)."""
    if request.method in ("GET", "HEAD", "DELETE"):
        found = _desk_candidatures(key).filter(external_id=external_id).first()
        if found is None:
            raise Http404
        request.api_objects = 1
        if request.method == "DELETE":
            consent_withdraw(candidature=found, by=key)
            return HttpResponse(status=204)
        return json_response(request, candidature_data(found))
    data = read_json(request)
    parsed, errors = candidature_request(
        data, external_id=external_id, municipalities=municipality_codes([data])
    )
    if errors:
        raise ApiError(422, errors)
    item, created = writes.candidature_upsert(key=key, request=parsed)
    request.api_objects = 1
    item = _desk_candidatures(key).get(pk=item.pk)
    response = json_response(
        request, candidature_data(item), status=201 if created else 200
    )
    if created:
        response["Location"] = api_url("candidature", item.external_id)
    return response


@endpoint("POST")
def candidature_bulk(request, key: ApiKey):
    """Create or update up to ``MAX_BULK_ITEMS`` candidatures by external id,
    all or nothing, errors by item index and field."""
    items = _bulk_items(request)
    municipalities = municipality_codes(items)
    parsed = []
    errors: dict[int, dict] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        request_item, item_errors = candidature_request(
            item, external_id=None, municipalities=municipalities
        )
        if not item_errors and request_item.external_id in seen:
            item_errors = _twice(seen[request_item.external_id])
        if item_errors:
            errors[index] = item_errors
            continue
        seen[request_item.external_id] = index
        parsed.append(request_item)
    if errors:
        raise batch_error_response(errors, len(items))
    try:
        results = writes.candidature_upsert_many(key=key, requests=parsed)
    except BatchErrors as error:
        raise batch_error_response(error.items, len(items)) from None
    request.api_objects = len(results)
    return json_response(request, _bulk_answer(results, "candidature"))


# --- Proposals -------------------------------------------------------------------


def _proposal_data(proposal: Proposal, *, sportello_id: int, history: bool) -> dict:
    received = proposal.vacancy_sportello_id == sportello_id
    vacancy = proposal.vacancy
    data = {
        "id": proposal.pk,
        "direction": "received" if received else "sent",
        "status": proposal.status,
        "vacancy": {
            "id": vacancy.pk,
            "external_id": vacancy.external_id if received else None,
            "title": vacancy.title,
            "desk": proposal.vacancy_sportello.name,
            "url": absolute_url(vacancy.get_absolute_url()),
        },
        "candidature": {
            "reference_code": proposal.reference_code,
            "external_id": (
                proposal.candidature.external_id
                if not received and proposal.candidature
                else None
            ),
            "desk": proposal.candidature_sportello.name,
            "deleted": proposal.candidature_id is None,
        },
        "note": proposal.note,
        "created_at": _iso(proposal.created_at),
        "updated_at": _iso(proposal.updated_at),
        "api_url": api_url("proposal", proposal.pk),
    }
    if history:
        data["history"] = [
            {
                "from_status": event.from_status or None,
                "to_status": event.to_status,
                "desk": event.by_sportello.name if event.by_sportello else None,
                "via_api": event.via_api,
                "note": event.note,
                "at": _iso(event.at),
            }
            for event in proposal.events.all()
        ]
        data["messages"] = [
            {
                "desk": message.author_sportello.name
                if message.author_sportello
                else None,
                "body": message.body,
                "at": _iso(message.created_at),
            }
            for message in proposal.messages.all()
        ]
    return data


def _proposals():
    return Proposal.objects.select_related(
        "vacancy",
        "vacancy_sportello",
        "candidature",
        "candidature_sportello",
    )


@endpoint("GET")
def proposal_list(request, key: ApiKey):
    """Proposals the desk received (for its vacancies) and sent (of its
    candidatures): ``?direction=received|sent``, ``?status=``."""
    sportello_id = key.sportello_id
    direction = request.GET.get("direction", "")
    if direction == "received":
        queryset = _proposals().filter(vacancy_sportello_id=sportello_id)
    elif direction == "sent":
        queryset = _proposals().filter(candidature_sportello_id=sportello_id)
    elif direction == "":
        queryset = _proposals().filter(
            Q(vacancy_sportello_id=sportello_id)
            | Q(candidature_sportello_id=sportello_id)
        )
    else:
        raise ApiError(
            400,
            {
                "direction": [
                    gettext("Choose one of: %(values)s.") % {"values": "received, sent"}
                ]
            },
        )
    status = request.GET.get("status", "")
    if status:
        queryset = queryset.filter(status=status)
    queryset = queryset.order_by("-updated_at", "-pk")
    return json_response(
        request,
        _page(
            request,
            queryset,
            name="proposals",
            serialise=lambda p: _proposal_data(
                p, sportello_id=sportello_id, history=False
            ),
        ),
    )


@endpoint("GET")
def proposal(request, key: ApiKey, pk: int):
    """One proposal with its history and messages; 403 when the desk is
    neither side of it."""
    found = (
        _proposals()
        .prefetch_related("events__by_sportello", "messages__author_sportello")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    if key.sportello_id not in (
        found.vacancy_sportello_id,
        found.candidature_sportello_id,
    ):
        raise Forbidden(gettext("This proposal concerns other job desks."))
    request.api_objects = 1
    return json_response(
        request, _proposal_data(found, sportello_id=key.sportello_id, history=True)
    )


# --- The description ---------------------------------------------------------------


@endpoint("GET", public=True)
def openapi_document(request, key=None):
    response = json_response(request, openapi.document())
    response["Access-Control-Allow-Origin"] = "*"
    return response


def docs(request):
    """A human page over the OpenAPI document (no JavaScript needed)."""
    return render(
        request,
        "sportelli/api_keys_docs.html",
        {
            "spec": openapi.document(),
            "operations": openapi.operations(),
            "openapi_url": api_url("openapi"),
        },
    )
