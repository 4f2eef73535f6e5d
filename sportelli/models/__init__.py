"""The job desks (Sportelli Lavoro) that approved administrations activate.

Split by subject: ``desks``, ``vacancies``, ``candidatures``, ``exchange``
(proposals between desks) and ``api`` (keys and audit); what other modules import is
re-exported here.
"""

from .api import ApiCall, ApiKey  # noqa: F401, E402
from .candidatures import (  # noqa: F401
    Availability,
    Candidature,
    CandidatureOccupation,
    Mobility,
    ProfileView,
    SharingConsent,
)
from .desks import (  # noqa: F401
    SCHEMA_DAYS,
    Agreement,
    DeskRole,
    DeskService,
    Municipality,
    OpeningHours,
    Service,
    ServiceCharter,
    Sportello,
    Weekday,
    _document_path,
    validate_istat_code,
    validate_postcode,
)
from .exchange import (  # noqa: F401
    FINAL_STATUSES,
    TRANSITIONS,
    DeskNotification,
    Proposal,
    ProposalEvent,
    ProposalMessage,
    ProposalStatus,
)
from .vacancies import (  # noqa: F401
    CONTRACT_EMPLOYMENT_TYPE,
    EDUCATION_CREDENTIAL,
    CefrLevel,
    ContractType,
    DrivingLicence,
    EducationLevel,
    Language,
    Vacancy,
    WorkingTime,
    languages_errors,
    validate_cp2011,
    validate_isco_format,
)
