"""The public directory of job desks and the desks' own front office.

Split by subject: ``desks``, ``vacancies``; what other modules import is
re-exported here.
"""

from .desks import (  # noqa: F401
    _DOCUMENT_MODELS,
    PAGE_SIZE,
    _desk_for,
    _desk_form_page,
    agreement_delete,
    desk_create,
    desk_documents,
    desk_edit,
    desk_role_remove,
    desk_roles,
    detail,
    directory,
    document,
    logger,
    manage_list,
    open_data_csv,
    open_data_geojson,
    open_data_json,
)
from .vacancies import (  # noqa: F401
    VACANCY_FACET_TITLES,
    _board,
    _desk_vacancy,
    _vacancy_desk,
    _vacancy_form_page,
    _vacancy_initial,
    desk_vacancies,
    vacancies_csv,
    vacancies_json,
    vacancy_board,
    vacancy_board_network,
    vacancy_close,
    vacancy_create,
    vacancy_detail,
    vacancy_edit,
    vacancy_feed,
    vacancy_publish,
)
