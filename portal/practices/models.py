"""Good practices of the employment services (Ambito A of the observatories project)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.models import AttachedDocument, BasePage

RICH = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class PracticeStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    CONCLUDED = "concluded", _("Concluded")


class EvidenceLevel(models.TextChoices):
    """How strong the evidence behind a practice's results is, strongest first."""

    CONTROL_GROUP = "control_group", _("Evaluated against a control group")
    MONITORED = "monitored", _("Monitored outcomes")
    DESCRIBED = "described", _("Described only")


class PracticeIndexPage(RoutablePageMixin, BasePage):
    """The list of good practices, with faceted filters, feeds and open data."""

    search_type_facet = False  # a way in, not a type of content

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    subpage_types = ["practices.GoodPracticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("good practices index")

    @path("")
    def index_route(self, request):
        from . import views

        return views.practice_index(request, index_page=self)

    @path("proponi/")
    def propose_route(self, request):
        from . import views

        return views.practice_propose(request, index_page=self)

    @path("feed/")
    def feed_route(self, request):
        from .feeds import PracticeRssFeed

        return PracticeRssFeed(self)(request)

    @path("feed/atom/")
    def atom_route(self, request):
        from .feeds import PracticeAtomFeed

        return PracticeAtomFeed(self)(request)

    @path("open-data/csv/")
    def csv_route(self, request):
        from . import views

        return views.practice_export(request, index_page=self, fmt="csv")

    @path("open-data/json/")
    def json_route(self, request):
        from . import views

        return views.practice_export(request, index_page=self, fmt="json")


class GoodPracticePage(BasePage):
    """A good practice: where, when, for whom, what it achieved, on what evidence."""

    # Dated in search by its publication on the portal.
    search_date_field = "first_published_at"

    territories = ParentalManyToManyField(
        "taxonomy.Territory",
        blank=True,
        related_name="practices",
        verbose_name=_("territories"),
    )
    year_start = models.PositiveSmallIntegerField(_("first year active"))
    year_end = models.PositiveSmallIntegerField(
        _("last year active"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the practice is ongoing."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PracticeStatus.choices,
        default=PracticeStatus.ONGOING,
    )
    target_groups = ParentalManyToManyField(
        "taxonomy.TargetGroup",
        blank=True,
        related_name="practices",
        verbose_name=_("target groups"),
    )
    service_types = ParentalManyToManyField(
        "taxonomy.ServiceType",
        blank=True,
        related_name="practices",
        verbose_name=_("types of service"),
    )
    topics = ParentalManyToManyField(
        "taxonomy.Topic", blank=True, related_name="practices", verbose_name=_("topics")
    )
    promoter = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="promoted_practices",
        verbose_name=_("promoting organisation"),
    )
    partners = ParentalManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="partner_practices",
        verbose_name=_("partners"),
    )
    description = RichTextField(_("description"), features=RICH)
    results = RichTextField(_("results"), blank=True, features=RICH)
    evidence = RichTextField(
        _("evidence behind the results"), blank=True, features=RICH
    )
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=16,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.DESCRIBED,
    )
    transferability = RichTextField(_("transferability"), blank=True, features=RICH)
    lessons_learnt = RichTextField(_("lessons learnt"), blank=True, features=RICH)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_practices",
        verbose_name=_("proposed by"),
        editable=False,
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("territories"),
                FieldPanel("year_start"),
                FieldPanel("year_end"),
                FieldPanel("status"),
            ],
            heading=_("Where and when"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("topics"),
                FieldPanel("target_groups"),
                FieldPanel("service_types"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [FieldPanel("promoter"), FieldPanel("partners")], heading=_("Who")
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("results"),
                FieldPanel("evidence"),
                FieldPanel("evidence_level"),
            ],
            heading=_("Results and evidence"),
        ),
        FieldPanel("transferability"),
        FieldPanel("lessons_learnt"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email")],
            heading=_("Contacts"),
        ),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.SearchField("results"),
        index.SearchField("lessons_learnt"),
        index.FilterField("status"),
        index.FilterField("evidence_level"),
        index.FilterField("year_start"),
        index.FilterField("year_end"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("target_groups", [index.SearchField("name")]),
        index.RelatedFields("territories", [index.SearchField("name")]),
    ]
    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def clean(self):
        super().clean()
        if self.year_end and self.year_start and self.year_end < self.year_start:
            raise ValidationError(
                {"year_end": _("The last year cannot come before the first year.")}
            )
        if self.status == PracticeStatus.CONCLUDED and not self.year_end:
            raise ValidationError(
                {"year_end": _("A concluded practice needs its last year.")}
            )

    def get_context(self, request, *args, **kwargs):
        from portal.schema import page_json_ld
        from portal.taxonomy.selectors import linked_names

        context = super().get_context(request, *args, **kwargs)
        linked = linked_names(
            self, ("territories", "topics", "target_groups", "service_types")
        )
        territories = linked["territories"]
        topics = linked["topics"]
        context.update(
            territories=territories,
            topics=topics,
            target_groups=linked["target_groups"],
            service_types=linked["service_types"],
            partners=[str(o) for o in self.partners.all()],
            attachments=self.attachments.select_related("document"),
            schema_org=page_json_ld(
                self,
                request,
                type_="Article",
                about=topics,
                spatialCoverage=territories or None,
                sourceOrganization=(
                    {"@type": "Organization", "name": self.promoter.name}
                    if self.promoter
                    else None
                ),
            ),
        )
        return context

    @property
    def years_label(self) -> str:
        if self.year_end and self.year_end != self.year_start:
            return f"{self.year_start}–{self.year_end}"
        if self.year_end:
            return str(self.year_start)
        return _("since %(year)s") % {"year": self.year_start}


class PracticeAttachment(AttachedDocument):
    page = ParentalKey(
        GoodPracticePage, on_delete=models.CASCADE, related_name="attachments"
    )
