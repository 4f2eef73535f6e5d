"""Monitoring pages: an objective with its actions and indicators (seed 003) and a
programme report table, one row per area and one column per period (seed 004)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.models import BasePage

from . import rules

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
CELL_FEATURES = ["bold", "italic", "ol", "ul"]


class IndicatorType(models.TextChoices):
    """Kinds of indicator used in the provinces' performance plans."""

    RESULT = "RISULTATO", _("Result")
    EFFECTIVENESS = "EFFICACIA", _("Effectiveness")
    EFFICIENCY = "EFFICIENZA", _("Efficiency")
    IMPACT = "IMPATTO", _("Impact")


def date_order_errors(
    *,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    actual_start: datetime.date | None,
    actual_end: datetime.date | None,
) -> dict[str, str]:
    """Field name -> message for every end that precedes its start.

    Shared by the model's ``clean`` and by the importer, so both refuse the same
    dates with the same words.
    """
    errors = {}
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = str(
            _("The planned end cannot precede the planned start.")
        )
    if actual_end and not actual_start:
        errors["actual_start"] = str(
            _("An action that has ended needs its actual start date.")
        )
    if actual_start and actual_end and actual_end < actual_start:
        errors["actual_end"] = str(_("The actual end cannot precede the actual start."))
    return errors


class ObjectivePage(RoutablePageMixin, BasePage):
    """A yearly objective of a province or programme, with its actions and
    indicators and open-data exports of both."""

    code = models.CharField(
        _("code"), max_length=40, help_text=_("For example 2023_3504.")
    )
    responsible_centre = models.CharField(
        _("responsible centre"),
        max_length=255,
        blank=True,
        help_text=_("The Centro di Responsabilità, e.g. SETTORE LAVORO E FORMAZIONE."),
    )
    responsible_person = models.CharField(
        _("responsible person"), max_length=255, blank=True
    )
    reference_date = models.DateField(
        _("monitoring date"),
        null=True,
        blank=True,
        help_text=_(
            "The date the figures refer to; action timeliness is judged on this "
            "date. Leave empty to judge on today's date."
        ),
    )
    aims = RichTextField(_("aims"), blank=True, features=TEXT_FEATURES)
    reasons = RichTextField(_("reasons"), blank=True, features=TEXT_FEATURES)
    starting_situation = RichTextField(
        _("starting situation and expected target"),
        blank=True,
        features=TEXT_FEATURES,
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldRowPanel(
                    [FieldPanel("responsible_centre"), FieldPanel("responsible_person")]
                ),
                FieldPanel("reference_date"),
            ],
            heading=_("Objective"),
        ),
        FieldPanel("aims"),
        FieldPanel("reasons"),
        FieldPanel("starting_situation"),
        InlinePanel("actions", heading=_("Actions"), label=_("action")),
        InlinePanel("indicators", heading=_("Indicators"), label=_("indicator")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("code"),
        index.FilterField("code"),
        index.SearchField("aims"),
        index.SearchField("reasons"),
        index.SearchField("responsible_centre"),
        index.RelatedFields(
            "indicators",
            [index.SearchField("code"), index.SearchField("description")],
        ),
        index.RelatedFields("actions", [index.SearchField("description")]),
    ]
    override_translatable_fields = [
        SynchronizedField("code"),
        SynchronizedField("reference_date"),
    ]
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return f"{self.code} – {self.title}"

    def clean(self):
        super().clean()
        if not self.code:
            return
        clash = ObjectivePage.objects.filter(code=self.code)
        if self.locale_id:
            clash = clash.filter(locale_id=self.locale_id)
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {"code": _("Another objective already has this code.")}
            )

    @property
    def judged_on(self) -> datetime.date:
        """The date action timeliness is judged on."""
        return self.reference_date or timezone.localdate()

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["detail"] = selectors.objective_detail(page=self, request=request)
        return context

    @path("dati/indicatori/csv/", name="indicators_csv")
    def indicators_csv(self, request):
        from . import exports

        return exports.indicators_response(page=self, fmt="csv")

    @path("dati/indicatori/json/", name="indicators_json")
    def indicators_json(self, request):
        from . import exports

        return exports.indicators_response(page=self, fmt="json")

    @path("dati/azioni/csv/", name="actions_csv")
    def actions_csv(self, request):
        from . import exports

        return exports.actions_response(page=self, fmt="csv")

    @path("dati/azioni/json/", name="actions_json")
    def actions_json(self, request):
        from . import exports

        return exports.actions_response(page=self, fmt="json")


class ObjectiveAction(TranslatableMixin, Orderable):
    """A step towards the objective with its timetable; its on-time status is
    computed by ``rules.action_status``."""

    page = ParentalKey(ObjectivePage, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("For example C1-A.")
    )
    description = models.TextField(_("description"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("From 0 to 100; leave empty when not yet measured."),
    )
    planned_start = models.DateField(_("planned start"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    responsible = models.CharField(_("responsible person"), max_length=255, blank=True)
    responsible_centre = models.CharField(
        _("responsible centre"), max_length=255, blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("progress")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
        FieldRowPanel([FieldPanel("actual_start"), FieldPanel("actual_end")]),
        FieldRowPanel([FieldPanel("responsible"), FieldPanel("responsible_centre")]),
    ]
    translatable_fields = [
        SynchronizedField("code"),
        TranslatableField("description"),
        SynchronizedField("progress"),
        SynchronizedField("planned_start"),
        SynchronizedField("actual_start"),
        SynchronizedField("planned_end"),
        SynchronizedField("actual_end"),
        SynchronizedField("responsible"),
        SynchronizedField("responsible_centre"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.code or self.description[:60]

    def clean(self):
        super().clean()
        errors = date_order_errors(
            planned_start=self.planned_start,
            planned_end=self.planned_end,
            actual_start=self.actual_start,
            actual_end=self.actual_end,
        )
        if errors:
            raise ValidationError(errors)

    def status_on(self, reference_date: datetime.date) -> rules.Status:
        return rules.action_status(
            planned_start=self.planned_start,
            planned_end=self.planned_end,
            actual_start=self.actual_start,
            actual_end=self.actual_end,
            reference_date=reference_date,
        )


class ObjectiveIndicator(TranslatableMixin, Orderable):
    """A measure of the objective: planned and achieved value; its status is
    computed by ``rules.indicator_status``."""

    page = ParentalKey(
        ObjectivePage, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("For example A1."))
    description = models.TextField(_("description"))
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=IndicatorType.choices,
        blank=True,
        help_text=_("Leave empty when the plan does not state it."),
    )
    planned_value = models.DecimalField(
        _("planned value"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    achieved_value = models.DecimalField(
        _("achieved value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty until it is measured."),
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("For example % or n.")
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("unit")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("planned_value"), FieldPanel("achieved_value")]),
    ]
    translatable_fields = [
        SynchronizedField("code"),
        TranslatableField("description"),
        SynchronizedField("kind"),
        SynchronizedField("planned_value"),
        SynchronizedField("achieved_value"),
        SynchronizedField("unit"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.code

    @property
    def status(self) -> rules.Status:
        return rules.indicator_status(
            planned=self.planned_value, achieved=self.achieved_value
        )


class ProgrammeReportPage(BasePage):
    """A programme report table (seed 004): one row per area (AMBITO), one column
    per period, imported from a TSV or HTML table rather than retyped."""

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the table comes from, e.g. the programme's annual plan."),
    )
    area_heading = models.CharField(
        _("heading of the area column"), max_length=120, default="Ambito"
    )
    objectives_heading = models.CharField(
        _("heading of the objectives column"),
        max_length=120,
        default="Obiettivi quali-quantitativi 2009-2011",
    )
    expected_heading = models.CharField(
        _("heading of the expected results column"),
        max_length=120,
        default="Risultati previsti al 2011",
    )
    achieved_heading = models.CharField(
        _("heading of the achieved results column"),
        max_length=120,
        default="Risultati al 2011",
    )
    next_expected_heading = models.CharField(
        _("heading of the next period's expected results column"),
        max_length=120,
        default="Risultati previsti al 2012",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("source"),
        MultiFieldPanel(
            [
                FieldPanel("area_heading"),
                FieldPanel("objectives_heading"),
                FieldPanel("expected_heading"),
                FieldPanel("achieved_heading"),
                FieldPanel("next_expected_heading"),
            ],
            heading=_("Column headings"),
        ),
        InlinePanel("rows", heading=_("Rows"), label=_("row")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.RelatedFields(
            "rows",
            [
                index.SearchField("area"),
                index.SearchField("objectives"),
                index.SearchField("achieved_results"),
            ],
        ),
    ]
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("programme report")
        verbose_name_plural = _("programme reports")

    @property
    def period_headings(self) -> list[str]:
        return [
            self.objectives_heading,
            self.expected_heading,
            self.achieved_heading,
            self.next_expected_heading,
        ]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["rows"] = list(self.rows.all())
        context["json_ld"] = selectors.report_json_ld(
            page=self, request=request, rows=context["rows"]
        )
        return context


class ReportRow(TranslatableMixin, Orderable):
    """One area of a programme report with its four period cells (sanitised HTML
    that keeps the source's bullet lists)."""

    page = ParentalKey(
        ProgrammeReportPage, on_delete=models.CASCADE, related_name="rows"
    )
    area = models.CharField(_("area"), max_length=255)
    objectives = RichTextField(_("objectives"), blank=True, features=CELL_FEATURES)
    expected_results = RichTextField(
        _("expected results"), blank=True, features=CELL_FEATURES
    )
    achieved_results = RichTextField(
        _("achieved results"), blank=True, features=CELL_FEATURES
    )
    next_expected_results = RichTextField(
        _("next period's expected results"), blank=True, features=CELL_FEATURES
    )

    panels = [
        FieldPanel("area"),
        FieldPanel("objectives"),
        FieldPanel("expected_results"),
        FieldPanel("achieved_results"),
        FieldPanel("next_expected_results"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("report row")
        verbose_name_plural = _("report rows")

    def __str__(self):
        return self.area

    @property
    def cells(self) -> list[str]:
        return [
            self.objectives,
            self.expected_results,
            self.achieved_results,
            self.next_expected_results,
        ]
