"""What the job desks contribute to the portal's search: every public desk
(``selectors.PUBLIC``), once in each language, found by its name, place,
address, presentation and services. A desk that stops being public (suspended,
or its administration no longer approved) leaves the index on its next change
or its administration's.

And every live public vacancy (``selectors.vacancy_public_q``), once in each
language, found by its title, occupation, sector, place and description. A
vacancy leaves the index when it is closed (filled, withdrawn, or expired by
``vacancy_expire_due``, which saves each one), made network-only, or when its
desk or administration stops being public; its ``expires_at`` is the end of its
closing date, so it drops out of results even before the daily expiry runs.
"""

import datetime
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from search.documents import DocumentData
from search.registry import Kind, Source, Update, register

from . import classifications
from .models import Sportello, Vacancy
from .selectors import PUBLIC, vacancy_public_q

DESK = Kind("sportelli.sportello", _("Job desk"))
VACANCY = Kind("sportelli.vacancy", _("Job vacancy"))


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def desk_keys(pk: int) -> list[str]:
    return [f"sportello:{pk}:{language}" for language in _languages()]


def _desks(pks: Sequence[int] | None = None):
    desks = Sportello.objects.filter(PUBLIC)
    if pks is not None:
        desks = desks.filter(pk__in=pks)
    return (
        desks.select_related("municipality", "organisation")
        .prefetch_related("services")
        .order_by("pk")
    )


def desk_documents_for(desk: Sportello) -> list[DocumentData]:
    """The desk's document in each language (labels and address translated)."""
    documents = []
    municipality = desk.municipality
    for language in _languages():
        with translation.override(language):
            services = [str(row.get_service_display()) for row in desk.services.all()]
            keywords = " ".join(
                [
                    str(DESK.label),
                    "Sportello Lavoro",
                    municipality.province_name,
                    municipality.get_region_display(),
                    desk.organisation.name,
                ]
            )
            documents.append(
                DocumentData(
                    key=f"sportello:{desk.pk}:{language}",
                    kind=DESK.value,
                    language=language,
                    title=f"{desk.name} – {municipality.name}",
                    text=" ".join(
                        part
                        for part in (
                            desk.description,
                            f"{desk.address}, {desk.postcode} {municipality.name}",
                            ", ".join(services),
                        )
                        if part
                    ),
                    url=desk.get_absolute_url(),
                    regions=[municipality.region],
                    keywords=keywords,
                )
            )
    return documents


def desks_update(pks: Sequence[int]) -> Update:
    """Desks changed: the desks again, and their vacancies (a suspended desk's
    vacancies leave the index with it)."""
    update = Update(keys=[key for pk in pks for key in desk_keys(pk)])
    for desk in _desks(pks):
        update.documents.extend(desk_documents_for(desk))
    vacancy_pks = list(
        Vacancy.objects.filter(sportello_id__in=pks).values_list("pk", flat=True)
    )
    vacancies = vacancies_update(vacancy_pks)
    update.keys.extend(vacancies.keys)
    update.documents.extend(vacancies.documents)
    return update


# --- Vacancies ------------------------------------------------------------------


def vacancy_keys(pk: int) -> list[str]:
    return [f"vacancy:{pk}:{language}" for language in _languages()]


def _vacancies(pks: Sequence[int] | None = None):
    vacancies = Vacancy.objects.filter(vacancy_public_q())
    if pks is not None:
        vacancies = vacancies.filter(pk__in=pks)
    return vacancies.select_related("municipality", "sportello__organisation").order_by(
        "pk"
    )


def vacancy_documents_for(vacancy: Vacancy) -> list[DocumentData]:
    municipality = vacancy.municipality
    end = timezone.make_aware(
        datetime.datetime.combine(
            vacancy.deadline + datetime.timedelta(days=1), datetime.time()
        )
    )
    documents = []
    for language in _languages():
        with translation.override(language):
            occupation = classifications.isco_unit(vacancy.isco_code)
            activity = classifications.ateco_activity(vacancy.ateco_code)
            employer = (
                vacancy.employer_name
                if vacancy.employer_visible and vacancy.employer_name
                else ""
            )
            keywords = " ".join(
                part
                for part in (
                    str(VACANCY.label),
                    occupation.title if occupation else "",
                    occupation.title_en if occupation else "",
                    activity.title if activity else "",
                    classifications.ateco_section_label(vacancy.ateco_section),
                    str(vacancy.get_contract_type_display()),
                    str(vacancy.get_working_time_display()),
                    municipality.province_name,
                    municipality.get_region_display(),
                    employer,
                )
                if part
            )
            documents.append(
                DocumentData(
                    key=f"vacancy:{vacancy.pk}:{language}",
                    kind=VACANCY.value,
                    language=language,
                    title=f"{vacancy.title} – {municipality.name}",
                    text=vacancy.description,
                    url=vacancy.get_absolute_url(),
                    date=vacancy.published_at.date() if vacancy.published_at else None,
                    expires_at=end,
                    regions=[municipality.region],
                    keywords=keywords,
                )
            )
    return documents


def vacancies_update(pks: Sequence[int]) -> Update:
    update = Update(keys=[key for pk in pks for key in vacancy_keys(pk)])
    for vacancy in _vacancies(pks):
        update.documents.extend(vacancy_documents_for(vacancy))
    return update


def vacancy_documents(batch_size: int) -> Iterator[list[DocumentData]]:
    batch: list[DocumentData] = []
    for vacancy in _vacancies().iterator(chunk_size=batch_size):
        batch.extend(vacancy_documents_for(vacancy))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def organisations_update(pks: Sequence[int]) -> Update:
    """An administration approved, suspended or renamed: its desks again."""
    desk_pks = list(
        Sportello.objects.filter(organisation_id__in=pks).values_list("pk", flat=True)
    )
    return desks_update(desk_pks)


def desk_documents(batch_size: int) -> Iterator[list[DocumentData]]:
    batch: list[DocumentData] = []
    for desk in _desks().iterator(chunk_size=batch_size):
        batch.extend(desk_documents_for(desk))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


register(
    Source(
        model=Sportello,
        kinds=(DESK,),
        update=desks_update,
        documents=desk_documents,
        deleted_keys=desk_keys,
    )
)
register(
    Source(
        model=Vacancy,
        kinds=(VACANCY,),
        update=vacancies_update,
        documents=vacancy_documents,
        deleted_keys=vacancy_keys,
    )
)
register(
    Source(
        model=Organisation,
        kinds=(),
        update=organisations_update,
        documents=lambda batch_size: iter(()),
        deleted_keys=lambda pk: [],
    )
)
