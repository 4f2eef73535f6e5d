"""Demo good practices from the programme report (seed 004)."""

from django.utils.html import escape
from wagtail.models import Locale

from portal.accounts.services import organisation_get_or_create
from portal.services import page_translate
from portal.taxonomy.models import ServiceType, TargetGroup, Territory, Topic

from .demo_data import ENGLISH, PRACTICES
from .models import GoodPracticePage, PracticeIndexPage
from .services import editorial_workflow_ensure


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def load(*, home, stdout) -> None:
    index = PracticeIndexPage.objects.child_of(home).first()
    if index is None:
        return
    editorial_workflow_ensure(index_page=index)
    italian = Locale.objects.get(language_code="it")
    promoter, _created = organisation_get_or_create(
        name="Italia Lavoro S.p.A.", kind="ministero", region="12", province="Roma"
    )
    for spec in PRACTICES:
        if GoodPracticePage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        start, end = spec["years"]
        page = GoodPracticePage(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            description=_html(spec["description"]),
            results=_html(spec["results"]),
            evidence_level=spec["evidence_level"],
            year_start=start,
            year_end=end,
            status=spec["status"],
            lessons_learnt=_html([spec["lessons"]]),
            transferability=_html([spec["transferability"]]),
            promoter=promoter,
        )
        page.territories.set(Territory.objects.filter(code__in=spec["territories"]))
        page.topics.set(Topic.objects.filter(locale=italian, slug__in=spec["topics"]))
        page.target_groups.set(
            TargetGroup.objects.filter(locale=italian, slug__in=spec["targets"])
        )
        page.service_types.set(
            ServiceType.objects.filter(locale=italian, slug__in=spec["services"])
        )
        index.add_child(instance=page)
        page.save_revision().publish()

    english = Locale.objects.get(language_code="en")
    for slug, translation in ENGLISH.items():
        page = GoodPracticePage.objects.child_of(index).get(slug=slug)
        if page.get_translations().filter(locale=english).exists():
            continue
        spec = next(item for item in PRACTICES if item["slug"] == slug)
        strings = {
            spec["title"]: translation["title"],
            spec["summary"]: translation["summary"],
            spec["lessons"]: translation["lessons"],
            spec["transferability"]: translation["transferability"],
        }
        for field in ("description", "results"):
            strings.update(zip(spec[field], translation[field], strict=True))
        page_translate(page=page, language_code="en", strings=strings)
    stdout.write(f"Good practices: {GoodPracticePage.objects.child_of(index).count()}")
