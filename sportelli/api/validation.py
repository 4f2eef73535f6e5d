"""From a JSON object to the services' details, with an error per field.

Only the types are checked here (a text, a whole number, a date, a list, a
known municipality); every rule about what a vacancy or a candidature may be
is the services' (``VacancyDetails``/``CandidatureDetails``), so the API and
the desk's forms answer the same messages, in the caller's language. Django's
own messages («Questo campo non può essere vuoto.», «Inserisci una data
valida.») come translated with Django.

A PUT is the whole object: a field left out takes its default, as on a new
vacancy; ``status`` left out keeps the current one.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Municipality, Vacancy
from ..services.candidatures import CandidatureDetails
from ..services.vacancies import VacancyDetails

MAX_EXTERNAL_ID = 64
# What a GET answers that a PUT may send back (and that is ignored).
READ_ONLY = {
    "id",
    "url",
    "api_url",
    "published_at",
    "closed_at",
    "created_at",
    "updated_at",
    "expires_on",
    "consent",
}


class TextField(forms.CharField):
    """A JSON string (or null): a number or a list is not silently turned into
    text."""

    default_error_messages = {"not_text": _("Enter a text.")}

    def to_python(self, value):
        if value is not None and not isinstance(value, str):
            raise ValidationError(self.error_messages["not_text"], code="not_text")
        return super().to_python(value)


class WholeNumberField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, bool):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class JsonBooleanField(forms.Field):
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class TextListField(forms.Field):
    """A JSON list of strings."""

    default_error_messages = {"invalid": _("Enter a list of texts.")}

    def to_python(self, value):
        if value in (None, ""):
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return tuple(value)


class LanguagesField(forms.Field):
    """A JSON list of ``{"language": "en", "level": "B2"}``; the codes are
    checked by the services."""

    default_error_messages = {
        "invalid": _('Enter a list of {"language": code, "level": CEFR level}.')
    }

    def to_python(self, value):
        if value in (None, ""):
            return ()
        if not isinstance(value, list):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        pairs = []
        for row in value:
            if not isinstance(row, dict) or set(row) - {"language", "level"}:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            pairs.append((str(row.get("language", "")), str(row.get("level", ""))))
        return tuple(pairs)


def _date_field(**kwargs) -> forms.DateField:
    return forms.DateField(input_formats=["%Y-%m-%d"], required=False, **kwargs)


class MunicipalityCodes:
    """Municipalities by ISTAT code, read once for a whole call."""

    def __init__(self, codes):
        wanted = {code for code in codes if isinstance(code, str) and code}
        self.found = {
            m.istat_code: m for m in Municipality.objects.filter(istat_code__in=wanted)
        }

    def get(self, code):
        return self.found.get(code)


def municipality_codes(items) -> MunicipalityCodes:
    return MunicipalityCodes(
        item.get("municipality") for item in items if isinstance(item, dict)
    )


class _ApiForm(forms.Form):
    """Checks the keys it knows; an unknown key is an error too, so a typo
    («titel») is not silently dropped."""

    def __init__(self, data: dict, *, municipalities: MunicipalityCodes):
        super().__init__(data)
        self.municipalities = municipalities
        self.present = set(data)

    def clean(self):
        data = super().clean()
        unknown = sorted(self.present - set(self.fields) - READ_ONLY)
        for name in unknown:
            self.add_error(None, _("Unknown field: %(name)s.") % {"name": name})
        return data

    def clean_municipality(self):
        code = self.cleaned_data.get("municipality")
        if not code:
            return None
        found = self.municipalities.get(code)
        if found is None:
            raise ValidationError(
                _("%(code)s is not the ISTAT code of an Italian municipality."),
                code="unknown_municipality",
                params={"code": code},
            )
        return found

    def value(self, name, default):
        """The cleaned value of a key the caller sent, or ``default``."""
        if name in self.present:
            value = self.cleaned_data.get(name)
            return default if value is None else value
        return default


class VacancyInput(_ApiForm):
    external_id = TextField(required=False, max_length=MAX_EXTERNAL_ID)
    title = TextField(required=False)
    isco_code = TextField(required=False)
    cp2011_code = TextField(required=False)
    ateco_code = TextField(required=False)
    contract_type = TextField(required=False)
    working_time = TextField(required=False)
    positions = WholeNumberField(required=False)
    municipality = TextField(required=False)
    education_level = TextField(required=False)
    languages = LanguagesField(required=False)
    driving_licence = TextField(required=False)
    experience_years = WholeNumberField(required=False)
    description = TextField(required=False, strip=False)
    how_to_apply = TextField(required=False, strip=False)
    employer_name = TextField(required=False)
    employer_visible = JsonBooleanField(required=False)
    visibility = TextField(required=False)
    deadline = _date_field()
    status = forms.ChoiceField(
        required=False,
        choices=[("", "")] + list(Vacancy.Status.choices),
    )
    close_reason = TextField(required=False)

    def details(self, *, external_id: str) -> VacancyDetails:
        defaults = VacancyDetails(
            title="",
            isco_code="",
            ateco_code="",
            contract_type="",
            working_time="",
            municipality=None,
            deadline=None,
            description="",
            how_to_apply="",
        )
        values = {
            name: self.value(name, getattr(defaults, name))
            for name in VacancyDetails.__dataclass_fields__
            if name not in ("external_id", "municipality")
        }
        values["municipality"] = self.cleaned_data.get("municipality")
        values["external_id"] = external_id
        return VacancyDetails(**values)


@dataclass(frozen=True)
class VacancyRequest:
    """One vacancy as the caller sent it: details and the state it asks for."""

    external_id: str
    details: VacancyDetails
    status: str  # "" keeps the current one (a draft when new)
    close_reason: str


def _checked_form(form, *, external_id: str | None) -> tuple[object, str, dict]:
    """Validate ``form`` and settle the item's external id: the address's
    (PUT; a different one in the body is an error) or the body's (bulk,
    required). Returns (form, external_id, errors per field)."""
    if not form.is_valid():
        errors = {
            name: [str(m) for m in messages] for name, messages in form.errors.items()
        }
        return form, "", errors
    sent_id = form.cleaned_data.get("external_id") or ""
    if external_id is None:
        external_id = sent_id
        if not external_id:
            required = str(forms.Field.default_error_messages["required"])
            return form, "", {"external_id": [required]}
    elif "external_id" in form.present and sent_id and sent_id != external_id:
        message = _("The external id in the body differs from the one in the address.")
        return form, "", {"external_id": [str(message)]}
    errors = external_id_errors(external_id)
    return form, external_id, {"external_id": errors} if errors else {}


def vacancy_request(
    data, *, external_id: str | None, municipalities: MunicipalityCodes
) -> tuple[VacancyRequest | None, dict]:
    """Parse one vacancy; (request, {}) or (None, errors per field).

    ``external_id`` comes from the address (PUT), or from the item (bulk).
    """
    if not isinstance(data, dict):
        return None, {"__all__": [str(_("Each vacancy is a JSON object."))]}
    form, external_id, errors = _checked_form(
        VacancyInput(data, municipalities=municipalities), external_id=external_id
    )
    if errors:
        return None, errors
    return (
        VacancyRequest(
            external_id=external_id,
            details=form.details(external_id=external_id),
            status=form.cleaned_data.get("status") or "",
            close_reason=form.cleaned_data.get("close_reason") or "",
        ),
        {},
    )


def external_id_errors(value: str) -> list[str]:
    if (
        not value
        or len(value) > MAX_EXTERNAL_ID
        or value != value.strip()
        or "/" in value
    ):
        return [
            str(
                _(
                    "The external id is 1 to %(max)s characters, without spaces at "
                    "either end and without «/»."
                )
                % {"max": MAX_EXTERNAL_ID}
            )
        ]
    return []


class CandidatureInput(_ApiForm):
    external_id = TextField(required=False, max_length=MAX_EXTERNAL_ID)
    reference_code = TextField(required=False)
    municipality = TextField(required=False)
    occupations = TextListField(required=False)
    mobility = TextField(required=False)
    mobility_km = WholeNumberField(required=False)
    availability = TextField(required=False)
    working_time = TextField(required=False)
    education_level = TextField(required=False)
    languages = LanguagesField(required=False)
    driving_licence = TextField(required=False)
    experience_years = WholeNumberField(required=False)
    skills = TextListField(required=False)
    summary = TextField(required=False, strip=False)
    status = TextField(required=False)
    consent_scope = TextField(required=False)
    consent_given_on = _date_field()

    def details(self, *, external_id: str) -> CandidatureDetails:
        defaults = CandidatureDetails(
            reference_code="", municipality=None, occupations=()
        )
        values = {
            name: self.value(name, getattr(defaults, name))
            for name in CandidatureDetails.__dataclass_fields__
            if name not in ("external_id", "municipality")
        }
        values["municipality"] = self.cleaned_data.get("municipality")
        values["external_id"] = external_id
        return CandidatureDetails(**values)


@dataclass(frozen=True)
class CandidatureRequest:
    """One candidature as the caller sent it, with the consent it records
    (required for a new profile) and the sharing status it asks for."""

    external_id: str
    details: CandidatureDetails
    status: str
    consent_scope: str
    consent_given_on: object


def candidature_request(
    data, *, external_id: str | None, municipalities: MunicipalityCodes
) -> tuple[CandidatureRequest | None, dict]:
    """Parse one candidature; (request, {}) or (None, errors per field)."""
    if not isinstance(data, dict):
        return None, {"__all__": [str(_("Each candidature is a JSON object."))]}
    form, external_id, errors = _checked_form(
        CandidatureInput(data, municipalities=municipalities), external_id=external_id
    )
    if errors:
        return None, errors
    return (
        CandidatureRequest(
            external_id=external_id,
            details=form.details(external_id=external_id),
            status=form.cleaned_data.get("status") or "",
            consent_scope=form.cleaned_data.get("consent_scope") or "",
            consent_given_on=form.cleaned_data.get("consent_given_on"),
        ),
        {},
    )
