"""Labour-market observatories: one page per province, its network, its Tavolo
meetings and its publications."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.models import AttachedDocument, BasePage

RICH = ["bold", "italic", "link", "ol", "ul"]


class ObservatoryIndexPage(RoutablePageMixin, BasePage):
    """The network of observatories, listed by region, with a publications feed."""

    search_type_facet = False  # a way in, not a type of content

    intro = RichTextField(_("introduction"), blank=True, features=RICH)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    subpage_types = ["observatories.ObservatoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("observatory network")

    @path("")
    def index_route(self, request):
        from django.template.response import TemplateResponse

        from .selectors import observatories_by_region

        return TemplateResponse(
            request,
            "observatories/observatory_index_page.html",
            {
                "page": self,
                "self": self,
                "regions": observatories_by_region(index_page=self),
            },
        )

    @path("pubblicazioni/feed/")
    def publications_feed_route(self, request):
        from .feeds import PublicationRssFeed

        return PublicationRssFeed(self)(request)


class PartnerRole(models.TextChoices):
    INPS = "inps", _("INPS")
    DPL = "dpl", _("Provincial labour directorate")
    CPI = "cpi", _("Job centre")
    AGENCY = "agency", _("Employment agency")
    CHAMBER = "chamber", _("Chamber of commerce")
    UNIVERSITY = "university", _("University or training institute")
    SOCIAL_PARTNER = "social_partner", _("Social partner")
    EMPLOYERS = "employers", _("Employers")
    OTHER = "other", _("Other")


class ObservatoryPage(BasePage):
    """The labour-market observatory of one province."""

    province = models.ForeignKey(
        "taxonomy.Territory",
        on_delete=models.PROTECT,
        related_name="observatories",
        limit_choices_to={"kind": "province"},
        verbose_name=_("province"),
    )
    promoter = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observatories",
        verbose_name=_("promoting body"),
    )
    description = RichTextField(_("description"), blank=True, features=RICH)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("province"),
        FieldPanel("promoter"),
        FieldPanel("description"),
        InlinePanel("partners", heading=_("Network partners"), label=_("partner")),
        InlinePanel(
            "meetings", heading=_("Meetings of the Tavolo"), label=_("meeting")
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("address"),
            ],
            heading=_("Contacts"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.RelatedFields("province", [index.SearchField("name")]),
        index.RelatedFields("partners", [index.SearchField("display_name")]),
        index.RelatedFields(
            "meetings", [index.SearchField("title"), index.SearchField("notes")]
        ),
    ]
    parent_page_types = ["observatories.ObservatoryIndexPage"]
    subpage_types = ["observatories.PublicationPage"]

    class Meta:
        verbose_name = _("observatory")
        verbose_name_plural = _("observatories")

    def get_context(self, request, *args, **kwargs):
        from portal.schema import page_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["partners"] = self.partners.select_related("organisation")
        context["meetings"] = self.meetings.order_by("-date")
        context["publications"] = (
            PublicationPage.objects.child_of(self).live().public().order_by("-date")
        )
        context["schema_org"] = page_json_ld(
            self,
            request,
            type_="GovernmentOrganization",
            areaServed=str(self.province),
            email=self.contact_email,
        )
        return context


class ObservatoryPartner(Orderable):
    observatory = ParentalKey(
        ObservatoryPage, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("When not a registered organisation."),
    )
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)

    panels = [FieldPanel("organisation"), FieldPanel("name"), FieldPanel("role")]

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation else self.name


class TavoloMeeting(Orderable):
    """A meeting of the observatory's Tavolo (its network of partners)."""

    observatory = ParentalKey(
        ObservatoryPage, on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    notes = models.TextField(_("notes"), blank=True)

    panels = [FieldPanel("date"), FieldPanel("title"), FieldPanel("notes")]


class PublicationType(models.TextChoices):
    SURVEY = "survey", _("Survey")
    NOTE = "note", _("Note")
    REPORT = "report", _("Report")
    SKILLS_NEEDS = "skills_needs", _("Skills-needs survey")
    NEWSLETTER = "newsletter", _("Newsletter")


class PublicationPage(BasePage):
    """A survey, note or report published by an observatory."""

    publication_type = models.CharField(
        _("type"), max_length=16, choices=PublicationType.choices
    )
    date = models.DateField(_("publication date"))
    body = RichTextField(_("text"), blank=True, features=RICH)

    content_panels = [
        *Page.content_panels,
        FieldPanel("publication_type"),
        FieldPanel("date"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("publication_type"),
        index.FilterField("date"),
    ]
    parent_page_types = ["observatories.ObservatoryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("publication")

    def get_context(self, request, *args, **kwargs):
        from portal.schema import page_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        context["schema_org"] = page_json_ld(
            self,
            request,
            type_="Report",
            datePublished=self.date.isoformat(),
            publisher={"@type": "Organization", "name": self.get_parent().title},
        )
        return context


class PublicationAttachment(AttachedDocument):
    page = ParentalKey(
        PublicationPage, on_delete=models.CASCADE, related_name="attachments"
    )
