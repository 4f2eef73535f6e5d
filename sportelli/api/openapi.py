"""The OpenAPI 3.1 description of the desks' API, written by hand beside the
views it describes (a test checks it is valid and lists every path of
``sportelli/api/urls.py``). Served at ``/api/sportelli/v1/openapi.json``.

Written in English, for the developers of the desks' software; the messages
the API answers are in the caller's language.
"""

from portal.services import absolute_url

from ..models import (
    Availability,
    CefrLevel,
    ContractType,
    DrivingLicence,
    EducationLevel,
    Language,
    Mobility,
    ProposalStatus,
    SharingConsent,
    Vacancy,
    WorkingTime,
)

BASE_PATH = "/api/sportelli/v1"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(name)}},
    }


def _errors(*codes: int) -> dict:
    texts = {
        400: "Malformed request (not JSON, wrong query parameter).",
        401: "No API key, or an unknown or revoked one.",
        403: "The key's desk is suspended or its administration not approved, "
        "or the object belongs to another desk.",
        404: "No such object at the key's desk.",
        413: "The body is larger than 10 MB.",
        422: "Validation errors, per field.",
        429: "Rate limit reached: see Retry-After.",
    }
    answers = {}
    for code in codes:
        answer = _response("Errors", texts[code])
        if code == 429:
            answer["headers"] = {
                "Retry-After": {
                    "description": "Seconds until the key may call again.",
                    "schema": {"type": "integer"},
                }
            }
        answers[str(code)] = answer
    return answers


_COMMON = (401, 403, 429)

_EXTERNAL_ID = {
    "name": "external_id",
    "in": "path",
    "required": True,
    "description": "The object's id in the desk's own software (1-64 characters, "
    "no «/»; «bulk» and «by-id» are reserved).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 64},
}
_PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "default": 1},
}
_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "it (default) or en: the language of the error messages.",
    "schema": {"type": "string", "example": "it"},
}


def _enum(choices) -> dict:
    return {"type": "string", "enum": list(choices.values)}


def _schemas() -> dict:
    languages = {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["language", "level"],
            "properties": {
                "language": _enum(Language),
                "level": _enum(CefrLevel),
            },
        },
    }
    vacancy_input = {
        "type": "object",
        "description": "A whole vacancy: a field left out takes its default. "
        "Read-only fields of a GET (id, url, api_url, dates) may be sent back and "
        "are ignored; any other unknown field is an error.",
        "required": [
            "title",
            "isco_code",
            "ateco_code",
            "contract_type",
            "working_time",
            "municipality",
            "deadline",
            "description",
            "how_to_apply",
        ],
        "properties": {
            "external_id": {
                "type": "string",
                "maxLength": 64,
                "description": "Required in a bulk item; in a PUT, the address's.",
            },
            "title": {"type": "string", "maxLength": 200},
            "isco_code": {"type": "string", "pattern": "^[0-9]{4}$"},
            "cp2011_code": {"type": "string", "example": "5.2.2.1.0"},
            "ateco_code": {"type": "string", "example": "56.11"},
            "contract_type": _enum(ContractType),
            "working_time": _enum(WorkingTime),
            "positions": {"type": "integer", "minimum": 1, "maximum": 999},
            "municipality": {
                "type": "string",
                "pattern": "^[0-9]{6}$",
                "description": "ISTAT code of the workplace's municipality.",
            },
            "education_level": _enum(EducationLevel),
            "languages": languages,
            "driving_licence": _enum(DrivingLicence),
            "experience_years": {"type": "integer", "minimum": 0, "maximum": 40},
            "description": {"type": "string"},
            "how_to_apply": {"type": "string"},
            "employer_name": {"type": "string", "maxLength": 200},
            "employer_visible": {"type": "boolean", "default": True},
            "visibility": _enum(Vacancy.Visibility),
            "deadline": {"type": "string", "format": "date"},
            "status": {
                **_enum(Vacancy.Status),
                "description": "Left out: the current state (draft when new). "
                "published publishes a draft (desk active, deadline in the future, "
                "at most 365 days ahead); closed closes it with close_reason; a "
                "published vacancy never goes back to draft; a closed one is final.",
            },
            "close_reason": {"type": "string", "enum": ["filled", "withdrawn"]},
        },
    }
    vacancy = {
        "type": "object",
        "properties": {
            **vacancy_input["properties"],
            "id": {"type": "integer"},
            "external_id": {"type": ["string", "null"]},
            "close_reason": {"type": "string"},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
            "api_url": {"type": "string", "format": "uri"},
        },
    }
    candidature_input = {
        "type": "object",
        "description": "A pseudonymous profile: never a name, a fiscal code, a "
        "contact or health data (refused when they look like one).",
        "required": ["reference_code", "municipality", "occupations"],
        "properties": {
            "external_id": {"type": "string", "maxLength": 64},
            "reference_code": {"type": "string", "maxLength": 40},
            "occupations": {
                "type": "array",
                "minItems": 1,
                "maxItems": 5,
                "items": {"type": "string", "pattern": "^[0-9]{4}$"},
            },
            "municipality": {"type": "string", "pattern": "^[0-9]{6}$"},
            "mobility": _enum(Mobility),
            "mobility_km": {"type": ["integer", "null"], "maximum": 500},
            "availability": _enum(Availability),
            "working_time": {"type": "string", "enum": ["", *WorkingTime.values]},
            "education_level": _enum(EducationLevel),
            "languages": languages,
            "driving_licence": _enum(DrivingLicence),
            "experience_years": {"type": "integer", "minimum": 0, "maximum": 50},
            "skills": {"type": "array", "maxItems": 20, "items": {"type": "string"}},
            "summary": {"type": "string", "maxLength": 1000},
            "status": {"type": "string", "enum": ["active", "suspended"]},
            "consent_scope": {
                **_enum(SharingConsent.Scope),
                "description": "Required when the profile is created; left out "
                "of an update.",
            },
            "consent_given_on": {"type": "string", "format": "date"},
        },
    }
    candidature = {
        "type": "object",
        "properties": {
            **{
                name: value
                for name, value in candidature_input["properties"].items()
                if not name.startswith("consent_")
            },
            "id": {"type": "integer"},
            "expires_on": {"type": "string", "format": "date"},
            "consent": {
                "type": ["object", "null"],
                "properties": {
                    "scope": _enum(SharingConsent.Scope),
                    "given_on": {"type": "string", "format": "date"},
                },
            },
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "api_url": {"type": ["string", "null"], "format": "uri"},
        },
    }

    def page_of(name: str) -> dict:
        return {
            "type": "object",
            "required": ["count", "page", "pages", "results"],
            "properties": {
                "api_version": {"type": "string"},
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": {"type": "array", "items": _ref(name)},
            },
        }

    proposal = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "direction": {"type": "string", "enum": ["received", "sent"]},
            "status": _enum(ProposalStatus),
            "vacancy": {"type": "object"},
            "candidature": {"type": "object"},
            "note": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "api_url": {"type": "string", "format": "uri"},
            "history": {
                "type": "array",
                "description": "In the detail only: every step, oldest first.",
                "items": {
                    "type": "object",
                    "properties": {
                        "from_status": {"type": ["string", "null"]},
                        "to_status": _enum(ProposalStatus),
                        "desk": {"type": ["string", "null"]},
                        "via_api": {"type": "boolean"},
                        "note": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                    },
                },
            },
            "messages": {"type": "array", "items": {"type": "object"}},
        },
    }
    return {
        "Errors": {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "errors": {
                    "type": "object",
                    "description": "Field name -> messages; __all__ for what "
                    "concerns no single field.",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "string"},
                    },
                },
                "items": {
                    "type": "array",
                    "description": "Bulk calls: the failing items (nothing was saved).",
                    "items": {
                        "type": "object",
                        "properties": {
                            "index": {"type": "integer"},
                            "errors": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
        "Desk": {"type": "object"},
        "VacancyInput": vacancy_input,
        "Vacancy": vacancy,
        "VacancyPage": page_of("Vacancy"),
        "CandidatureInput": candidature_input,
        "Candidature": candidature,
        "CandidaturePage": page_of("Candidature"),
        "Proposal": proposal,
        "ProposalPage": page_of("Proposal"),
        "Bulk": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "minItems": 1, "maxItems": 1000},
            },
        },
        "BulkResult": {
            "type": "object",
            "properties": {
                "created": {"type": "integer"},
                "updated": {"type": "integer"},
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "index": {"type": "integer"},
                            "id": {"type": "integer"},
                            "external_id": {"type": "string"},
                            "status": {"type": "string"},
                            "created": {"type": "boolean"},
                            "api_url": {"type": "string", "format": "uri"},
                        },
                    },
                },
            },
        },
    }


def _body(name: str) -> dict:
    return {
        "required": True,
        "content": {"application/json": {"schema": _ref(name)}},
    }


def _paths() -> dict:
    upsert_answers = {
        "200": _response("Vacancy", "Updated."),
        "201": _response("Vacancy", "Created (Location: its address)."),
        **_errors(400, 413, 422, *_COMMON),
    }
    feed = {
        "get": {
            "operationId": "export_vacancies",
            "tags": ["export"],
            "summary": "Published public vacancies (no key; cacheable).",
            "description": "The portal's own documented feed, not an official "
            "national format: json, xml (see the XSD) or jsonld "
            "(schema.org JobPosting in an ItemList). More formats can be "
            "registered with the SPORTELLI_EXPORT_FORMATS setting.",
            "security": [],
            "parameters": [
                {
                    "name": "fmt",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": ["json", "xml", "jsonld"]},
                }
            ],
            "responses": {
                "200": {
                    "description": "The feed.",
                    "content": {
                        "application/json": {},
                        "application/xml": {},
                        "application/ld+json": {},
                    },
                },
                "304": {"description": "Not modified (ETag, Last-Modified)."},
                "404": {"description": "No such format."},
            },
        }
    }
    return {
        "/": {
            "get": {
                "operationId": "desk",
                "tags": ["desk"],
                "summary": "The desk the key acts for, and the API's addresses.",
                "responses": {
                    "200": _response("Desk", "The desk."),
                    **_errors(*_COMMON),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["description"],
                "summary": "This document.",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1 (JSON)."}},
            }
        },
        "/docs/": {
            "get": {
                "operationId": "docs",
                "tags": ["description"],
                "summary": "This document as a web page.",
                "security": [],
                "responses": {"200": {"description": "HTML."}},
            }
        },
        "/vacancies": {
            "get": {
                "operationId": "vacancy_list",
                "tags": ["vacancies"],
                "summary": "The desk's vacancies, 100 a page, most recently "
                "changed first.",
                "parameters": [
                    _PAGE,
                    {
                        "name": "status",
                        "in": "query",
                        "required": False,
                        "schema": _enum(Vacancy.Status),
                    },
                ],
                "responses": {
                    "200": _response("VacancyPage", "A page."),
                    **_errors(400, 404, *_COMMON),
                },
            }
        },
        "/vacancies/bulk": {
            "post": {
                "operationId": "vacancy_bulk",
                "tags": ["vacancies"],
                "summary": "Create or update up to 1,000 vacancies, all or nothing.",
                "description": "Each item is a VacancyInput with its external_id. "
                "One transaction: if any item has an error, nothing is saved and "
                "the answer (422) lists the errors by item index and field.",
                "parameters": [_LANGUAGE],
                "requestBody": _body("Bulk"),
                "responses": {
                    "200": _response("BulkResult", "All saved."),
                    **_errors(400, 413, 422, *_COMMON),
                },
            }
        },
        "/vacancies/by-id/{id}": {
            "get": {
                "operationId": "vacancy_by_id",
                "tags": ["vacancies"],
                "summary": "A vacancy of the desk by its portal id.",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": _response("Vacancy", "The vacancy."),
                    **_errors(404, *_COMMON),
                },
            }
        },
        "/vacancies/{external_id}": {
            "get": {
                "operationId": "vacancy_get",
                "tags": ["vacancies"],
                "summary": "The desk's vacancy with this external id.",
                "parameters": [_EXTERNAL_ID],
                "responses": {
                    "200": _response("Vacancy", "The vacancy."),
                    **_errors(404, *_COMMON),
                },
            },
            "put": {
                "operationId": "vacancy_put",
                "tags": ["vacancies"],
                "summary": "Create or replace (idempotent); publish or close "
                "through status.",
                "parameters": [_EXTERNAL_ID, _LANGUAGE],
                "requestBody": _body("VacancyInput"),
                "responses": upsert_answers,
            },
        },
        "/candidatures": {
            "get": {
                "operationId": "candidature_list",
                "tags": ["candidatures"],
                "summary": "The desk's own candidatures, 100 a page.",
                "parameters": [
                    _PAGE,
                    {
                        "name": "status",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["active", "suspended"]},
                    },
                ],
                "responses": {
                    "200": _response("CandidaturePage", "A page."),
                    **_errors(400, 404, *_COMMON),
                },
            }
        },
        "/candidatures/bulk": {
            "post": {
                "operationId": "candidature_bulk",
                "tags": ["candidatures"],
                "summary": "Create or update up to 1,000 candidatures, all or nothing.",
                "parameters": [_LANGUAGE],
                "requestBody": _body("Bulk"),
                "responses": {
                    "200": _response("BulkResult", "All saved."),
                    **_errors(400, 413, 422, *_COMMON),
                },
            }
        },
        "/candidatures/{external_id}": {
            "get": {
                "operationId": "candidature_get",
                "tags": ["candidatures"],
                "summary": "The desk's candidature with this external id.",
                "parameters": [_EXTERNAL_ID],
                "responses": {
                    "200": _response("Candidature", "The profile."),
                    **_errors(404, *_COMMON),
                },
            },
            "put": {
                "operationId": "candidature_put",
                "tags": ["candidatures"],
                "summary": "Create (with the consent) or replace (idempotent).",
                "parameters": [_EXTERNAL_ID, _LANGUAGE],
                "requestBody": _body("CandidatureInput"),
                "responses": {
                    "200": _response("Candidature", "Updated."),
                    "201": _response("Candidature", "Created."),
                    **_errors(400, 413, 422, *_COMMON),
                },
            },
            "delete": {
                "operationId": "candidature_delete",
                "tags": ["candidatures"],
                "summary": "The person withdrew consent: the profile is deleted "
                "(the consent record stays, with the reference code).",
                "parameters": [_EXTERNAL_ID],
                "responses": {
                    "204": {"description": "Deleted."},
                    **_errors(404, *_COMMON),
                },
            },
        },
        "/proposals": {
            "get": {
                "operationId": "proposal_list",
                "tags": ["proposals"],
                "summary": "Proposals the desk received and sent.",
                "parameters": [
                    _PAGE,
                    {
                        "name": "direction",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["received", "sent"]},
                    },
                    {
                        "name": "status",
                        "in": "query",
                        "required": False,
                        "schema": _enum(ProposalStatus),
                    },
                ],
                "responses": {
                    "200": _response("ProposalPage", "A page."),
                    **_errors(400, 404, *_COMMON),
                },
            }
        },
        "/proposals/{id}": {
            "get": {
                "operationId": "proposal_get",
                "tags": ["proposals"],
                "summary": "One proposal with its history and messages.",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": _response("Proposal", "The proposal."),
                    **_errors(404, *_COMMON),
                },
            }
        },
        "/export/vacancies.{fmt}": feed,
        "/export/vacancies-export.xsd": {
            "get": {
                "operationId": "export_schema",
                "tags": ["export"],
                "summary": "The XSD of the XML feed.",
                "security": [],
                "responses": {"200": {"description": "XML Schema."}},
            }
        },
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Esplora Lavoro – API of the job desks (Sportelli Lavoro)",
            "version": "1.0.0",
            "description": (
                "For a desk's own software: push and update the desk's vacancies "
                "and candidatures by its own external ids, read the proposals it "
                "received and sent. Each API key acts for one desk; the desk "
                "manager creates and revokes keys in the desk's front office. "
                'JSON in and out; errors as {"errors": {field: [messages]}} in '
                "the language of Accept-Language (Italian by default). Every "
                "call is audited (never its body)."
            ),
        },
        "servers": [{"url": absolute_url(BASE_PATH)}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer <prefix>.<secret>",
                }
            },
            "schemas": _schemas(),
        },
        "paths": _paths(),
    }


def operations() -> list[dict]:
    """(method, path, summary, description) of every operation, for the docs
    page."""
    rows = []
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": BASE_PATH + path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "public": operation.get("security") == [],
                }
            )
    return rows
