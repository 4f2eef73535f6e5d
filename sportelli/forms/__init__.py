"""forms

Split by subject: ``desks``, ``vacancies``; what other modules import is
re-exported here.
"""

from .desks import (  # noqa: F401
    _DATE,
    _TIME,
    AgreementForm,
    BaseHoursFormSet,
    CharterForm,
    DeskRoleForm,
    DirectoryFilterForm,
    HoursForm,
    HoursFormSet,
    SportelloForm,
    add_service_errors,
    hours_rows,
)
from .vacancies import (  # noqa: F401
    BaseLanguageFormSet,
    LanguageForm,
    LanguageFormSet,
    VacancyCloseForm,
    VacancyForm,
    language_rows,
)
