"""Validators for the identifiers of Italian public administrations."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_IPA_RE = re.compile(r"^[A-Za-z0-9_]{2,20}$")
_CF_ENTITY_RE = re.compile(r"^\d{11}$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ./-]{5,30}$")


def validate_codice_ipa(value: str) -> None:
    """A codice IPA: 2-20 letters, digits or underscores (``c_h501``, ``p_mi``)."""
    if not _IPA_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a valid IPA code: 2 to 20 letters, digits or underscores."),
            code="invalid_ipa",
        )


def codice_fiscale_check_digit(first_ten: str) -> int:
    """The check digit of an 11-digit codice fiscale of a legal entity.

    Digits in odd positions (1st, 3rd, ...) are summed as they are; digits in even
    positions are doubled and, when the double exceeds 9, reduced by 9. The check
    digit is what brings the total to a multiple of ten.
    """
    total = 0
    for index, char in enumerate(first_ten):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def validate_codice_fiscale_ente(value: str) -> None:
    """Validate the 11-digit codice fiscale of a public body, check digit included."""
    if not _CF_ENTITY_RE.fullmatch(value or ""):
        raise ValidationError(
            _("The codice fiscale of an administration has exactly 11 digits."),
            code="invalid_cf_format",
        )
    if codice_fiscale_check_digit(value[:10]) != int(value[10]):
        raise ValidationError(
            _("This codice fiscale is not valid: its check digit does not match."),
            code="invalid_cf_check_digit",
        )


def validate_phone(value: str) -> None:
    """A telephone number: digits, optionally a leading + and spaces, dots or dashes."""
    if not _PHONE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a valid phone number, such as +39 080 5771111."),
            code="invalid_phone",
        )
