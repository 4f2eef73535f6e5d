"""Reads on job desks; the one place that says which desk is public.

Split by subject: ``desks``, ``vacancies``; what other modules import is
re-exported here.
"""

from .desks import (  # noqa: F401
    _DAY_CODES,
    OPEN_DATA_FIELDS,
    PUBLIC,
    DeskDetail,
    FilterOptions,
    MyDesk,
    desk_role_list,
    directory_filter_options,
    hours_by_day,
    member_list_for_roles,
    open_data_records,
    opening_hours_text,
    organisation_list_can_create,
    sportello_detail,
    sportello_get_for_user,
    sportello_json_ld,
    sportello_list_for_user,
    sportello_list_public,
    sportello_visible_by_pk,
)
from .vacancies import (  # noqa: F401
    _FACET_FIELDS,
    FACETS,
    VACANCY_OPEN_DATA_FIELDS,
    FacetValue,
    VacancyFound,
    _live,
    board_filters,
    vacancy_employer_label,
    vacancy_facets,
    vacancy_get_for_user,
    vacancy_json_ld,
    vacancy_list_board,
    vacancy_list_for_desk,
    vacancy_open_data_records,
    vacancy_public_q,
    vacancy_status_counts,
)
