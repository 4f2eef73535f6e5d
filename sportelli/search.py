"""What the job desks contribute to the portal's search: every public desk
(``selectors.PUBLIC``), once in each language, found by its name, place,
address, presentation and services. A desk that stops being public (suspended,
or its administration no longer approved) leaves the index on its next change
or its administration's.
"""

from collections.abc import Iterator, Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from search.documents import DocumentData
from search.registry import Kind, Source, Update, register

from .models import Sportello
from .selectors import PUBLIC

DESK = Kind("sportelli.sportello", _("Job desk"))


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
    update = Update(keys=[key for pk in pks for key in desk_keys(pk)])
    for desk in _desks(pks):
        update.documents.extend(desk_documents_for(desk))
    return update


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
        model=Organisation,
        kinds=(),
        update=organisations_update,
        documents=lambda batch_size: iter(()),
        deleted_keys=lambda pk: [],
    )
)
