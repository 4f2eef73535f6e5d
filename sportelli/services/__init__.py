"""Writes on job desks. Every change goes through these functions.

Split by subject: ``desks``, ``vacancies``; what other modules import is
re-exported here.
"""

from .desks import (  # noqa: F401
    MAX_DOCUMENT_BYTES,
    RESERVED_SLUGS,
    DeskDetails,
    HoursRow,
    _apply,
    _replace_children,
    _slug_for,
    _weekday_label,
    agreement_add,
    agreement_delete,
    charter_upload,
    desk_role_assign,
    desk_role_remove,
    hours_errors,
    logger,
    pdf_check,
    sportello_create,
    sportello_set_status,
    sportello_update,
)
from .vacancies import (  # noqa: F401
    _VACANCY_FIELDS,
    MAX_VACANCY_DAYS,
    VacancyDetails,
    _publish_errors,
    _vacancy_apply,
    _vacancy_rights,
    vacancy_close,
    vacancy_create,
    vacancy_expire_due,
    vacancy_publish,
    vacancy_update,
)
