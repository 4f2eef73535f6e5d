"""Programmes and projects, with the fields of the FormezPA project sheets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.models import AttachedDocument, BasePage

RICH = ["bold", "italic", "link", "ol", "ul"]


class ProjectStatus(models.TextChoices):
    UNSCHEDULED = "unscheduled", _("Dates not yet published")
    PLANNED = "planned", pgettext_lazy("project status", "Planned")
    ONGOING = "ongoing", pgettext_lazy("project status", "Ongoing")
    CONCLUDED = "concluded", pgettext_lazy("project status", "Concluded")


def project_status(*, start, end, today) -> str:
    """A project is planned before its start date, concluded after its end date,
    and ongoing in between (or from its start when it has no end date yet). Without
    a start date its status is unknown: "dates not yet published"."""
    if start is None:
        return ProjectStatus.UNSCHEDULED
    if today < start:
        return ProjectStatus.PLANNED
    if end and today > end:
        return ProjectStatus.CONCLUDED
    return ProjectStatus.ONGOING


class StrandBlock(blocks.StructBlock):
    """A work strand (ambito) of a project and its activities."""

    code = blocks.CharBlock(label=_("code"), max_length=8, help_text=_("e.g. A, B, C"))
    title = blocks.CharBlock(label=_("title"), max_length=255)
    activities = blocks.ListBlock(
        blocks.TextBlock(label=_("activity")), label=_("activities")
    )

    class Meta:
        icon = "list-ul"
        label = _("Work strand")
        template = "projects/blocks/strand_block.html"


class ProgrammePage(BasePage):
    """A programme that groups projects (e.g. the four FormezPA projects)."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    commissioned_by = models.CharField(_("commissioned by"), max_length=255, blank=True)
    implemented_by = models.CharField(_("implemented by"), max_length=255, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("commissioned_by"),
        FieldPanel("implemented_by"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    subpage_types = ["projects.ProjectPage"]

    class Meta:
        verbose_name = _("programme")

    def get_context(self, request, *args, **kwargs):
        from portal.schema import page_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["projects"] = (
            ProjectPage.objects.child_of(self)
            .live()
            .public()
            .select_related("funding_source")
        )
        context["schema_org"] = page_json_ld(self, request, type_="Project")
        return context


class ProjectPage(BasePage):
    """One project sheet: dates, recipients, scope, funding, strands and results."""

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    recipients = models.TextField(_("recipients (destinatari)"), blank=True)
    recipient_types = models.TextField(_("types of recipients"), blank=True)
    territorial_scope = models.CharField(
        _("territorial scope"), max_length=255, blank=True
    )
    funding_source = models.ForeignKey(
        "taxonomy.FundingSource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("funding source"),
    )
    project_manager = models.CharField(_("project manager"), max_length=255, blank=True)
    organisational_unit = models.CharField(
        _("organisational unit"), max_length=255, blank=True
    )
    description = RichTextField(_("description"), blank=True, features=RICH)
    strands = StreamField(
        [("strand", StrandBlock())], blank=True, verbose_name=_("work strands (ambiti)")
    )
    expected_results = RichTextField(_("expected results"), blank=True, features=RICH)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Dates")
        ),
        MultiFieldPanel(
            [
                FieldPanel("recipients"),
                FieldPanel("recipient_types"),
                FieldPanel("territorial_scope"),
                FieldPanel("funding_source"),
                FieldPanel("project_manager"),
                FieldPanel("organisational_unit"),
            ],
            heading=_("Project sheet"),
        ),
        FieldPanel("description"),
        FieldPanel("strands"),
        FieldPanel("expected_results"),
        InlinePanel(
            "documents", heading=_("Documentation produced"), label=_("document")
        ),
        InlinePanel(
            "related_pages", heading=_("Related content"), label=_("related page")
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.SearchField("recipients"),
        index.SearchField("recipient_types"),
        index.SearchField("territorial_scope"),
        index.SearchField("organisational_unit"),
        index.SearchField("strands"),
        index.SearchField("expected_results"),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
    ]
    parent_page_types = ["projects.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("project")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date cannot come before the start date.")}
            )

    @property
    def status(self) -> str:
        return project_status(
            start=self.start_date, end=self.end_date, today=timezone.localdate()
        )

    def get_status_display(self) -> str:
        return ProjectStatus(self.status).label

    def get_context(self, request, *args, **kwargs):
        from portal.schema import page_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["documents"] = self.documents.select_related("document")
        context["related"] = [
            link.page.specific
            for link in self.related_pages.select_related("page")
            if link.page.live
        ]
        context["schema_org"] = page_json_ld(
            self,
            request,
            type_="Project",
            startDate=self.start_date.isoformat() if self.start_date else None,
            endDate=self.end_date.isoformat() if self.end_date else None,
            funder=str(self.funding_source) if self.funding_source else None,
        )
        return context


class ProjectDocument(AttachedDocument):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="documents")


class ProjectRelatedPage(Orderable):
    """A practice, observatory, seminar or other page related to a project."""

    project = ParentalKey(
        ProjectPage, on_delete=models.CASCADE, related_name="related_pages"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )

    panels = [FieldPanel("page")]
