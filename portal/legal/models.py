"""The AgID pages: accessibility statement, contacts and legal notes.

Each is built from structured fields rather than free text, so that what the
law asks for is always there, in the order the AgID model gives it, and the
English translation (wagtail-localize) has the same structure. There is one of
each per language (``OnePerLocale``); the footer finds them by type
(``footer_order``, read by ``portal.navigation``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from portal.models import BasePage

from .blocks import NonAccessibleContentBlock, OfficeBlock

TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
AGID_ENFORCEMENT_URL = "https://form.agid.gov.it"


class OnePerLocale:
    """A page type with at most one page per language, under the home page."""

    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    search_type_facet = False  # an obligation of the site, not a type of content

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return super().can_create_at(parent) and not (
            cls.objects.filter(locale_id=parent.locale_id).exists()
        )


class AccessibilityStatementPage(OnePerLocale, BasePage):
    """The accessibility statement ("Dichiarazione di accessibilità").

    Fields follow the sections of the AgID model: who and which site, the
    conformance status, the content that is not accessible and why, how and
    when the statement was prepared, how to report a problem, and where to turn
    when the answer is unsatisfactory (AgID's enforcement procedure).
    """

    class Conformance(models.TextChoices):
        COMPLIANT = "compliant", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NON_COMPLIANT = "non_compliant", _("not compliant")

    class Method(models.TextChoices):
        SELF = "self_assessment", _("self-assessment by the administration")
        THIRD_PARTY = "third_party", _("assessment by a third party")

    footer_order = 10
    template = "portal/legal/accessibility_statement_page.html"
    search_date_field = "reviewed_on"

    administration_name = models.CharField(
        _("administration"),
        max_length=255,
        help_text=_("The administration responsible for the site."),
    )
    site_url = models.URLField(_("site address"))
    conformance_status = models.CharField(
        _("conformance status"),
        max_length=20,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
    )
    conformance_notes = RichTextField(
        _("notes on conformance"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("Optional: what the status means for this site in practice."),
    )
    non_accessible_content = StreamField(
        [("item", NonAccessibleContentBlock())],
        blank=True,
        verbose_name=_("content that is not accessible"),
        help_text=_(
            "Required unless the site is fully compliant: each content that is "
            "not accessible, why, and the accessible alternative."
        ),
    )
    prepared_on = models.DateField(_("statement prepared on"))
    reviewed_on = models.DateField(
        _("statement last reviewed on"), null=True, blank=True
    )
    evaluation_method = models.CharField(
        _("evaluation method"),
        max_length=20,
        choices=Method.choices,
        default=Method.SELF,
    )
    evaluation_notes = models.TextField(
        _("notes on the evaluation"),
        blank=True,
        help_text=_("Optional: tools used, who carried out the evaluation."),
    )
    feedback_url = models.URLField(
        _("feedback form address"),
        blank=True,
        help_text=_("A page or form where visitors report accessibility problems."),
    )
    feedback_email = models.EmailField(
        _("feedback email"),
        help_text=_("The address that receives reports of accessibility problems."),
    )
    feedback_response_days = models.PositiveSmallIntegerField(
        _("days to reply"),
        default=30,
        help_text=_("The administration replies within this many days."),
    )
    enforcement_url = models.URLField(
        _("enforcement procedure address"),
        default=AGID_ENFORCEMENT_URL,
        help_text=_("AgID's enforcement procedure (procedura di attuazione)."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("administration_name"), FieldPanel("site_url")],
            heading=_("Administration and site"),
        ),
        MultiFieldPanel(
            [FieldPanel("conformance_status"), FieldPanel("conformance_notes")],
            heading=_("Conformance status"),
        ),
        FieldPanel("non_accessible_content"),
        MultiFieldPanel(
            [
                FieldPanel("prepared_on"),
                FieldPanel("reviewed_on"),
                FieldPanel("evaluation_method"),
                FieldPanel("evaluation_notes"),
            ],
            heading=_("Preparation of the statement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_email"),
                FieldPanel("feedback_url"),
                FieldPanel("feedback_response_days"),
                FieldPanel("enforcement_url"),
            ],
            heading=_("Feedback and enforcement"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("administration_name"),
        index.SearchField("non_accessible_content"),
    ]

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = self.non_accessible_groups()
        contact = ContactPage.objects.live().public().filter(locale_id=self.locale_id)
        context["contact_page"] = contact.first()
        return context

    def non_accessible_groups(self) -> list[dict]:
        """The items grouped by reason, in the order of the AgID model."""
        groups = []
        for value, label in NonAccessibleContentBlock.REASONS:
            items = [
                block.value
                for block in self.non_accessible_content
                if block.value["reason"] == value
            ]
            if items:
                groups.append({"reason": value, "label": label, "items": items})
        return groups

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.conformance_status != self.Conformance.COMPLIANT
            and not self.non_accessible_content
        ):
            errors["non_accessible_content"] = _(
                "List the content that is not accessible: the site is not fully "
                "compliant."
            )
        if (
            self.reviewed_on
            and self.prepared_on
            and self.reviewed_on < self.prepared_on
        ):
            errors["reviewed_on"] = _(
                "The review cannot come before the statement was prepared."
            )
        if errors:
            raise ValidationError(errors)


class ContactPage(OnePerLocale, BasePage):
    """How to reach the administration: its offices, each with address, email,
    certified email (PEC), phone and opening hours."""

    footer_order = 40
    template = "portal/legal/contact_page.html"

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    offices = StreamField(
        [("office", OfficeBlock())], verbose_name=_("offices"), blank=True
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("offices"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("offices"),
    ]

    class Meta:
        verbose_name = _("contacts page")
        verbose_name_plural = _("contacts pages")


class LegalNotesPage(OnePerLocale, BasePage):
    """The legal notes ("Note legali"): the licence of the content, the terms of
    use of the site, the privacy notice and the cookies the site sets."""

    class Licence(models.TextChoices):
        CC_BY_4 = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
        CC_BY_SA_4 = (
            "CC-BY-SA-4.0",
            _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"),
        )
        CC0 = "CC0-1.0", _("Creative Commons Zero 1.0 (CC0 1.0)")

    LICENCE_URLS = {
        "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    }

    footer_order = 30
    template = "portal/legal/legal_notes_page.html"

    copyright_holder = models.CharField(_("copyright holder"), max_length=255)
    licence = models.CharField(
        _("licence of the content"),
        max_length=20,
        choices=Licence.choices,
        default=Licence.CC_BY_4,
        help_text=_("Applies to all content unless a page states otherwise."),
    )
    licence_notes = RichTextField(
        _("licence: exceptions and attribution"), blank=True, features=TEXT_FEATURES
    )
    terms_of_use = RichTextField(
        _("use of the site"), blank=True, features=TEXT_FEATURES
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice"),
    )
    cookies = RichTextField(
        _("cookies"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("Which cookies the site sets and why."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("copyright_holder"),
                FieldPanel("licence"),
                FieldPanel("licence_notes"),
            ],
            heading=_("Copyright and licence"),
        ),
        FieldPanel("terms_of_use"),
        PageChooserPanel("privacy_page"),
        FieldPanel("cookies"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("licence_notes"),
        index.SearchField("terms_of_use"),
        index.SearchField("cookies"),
    ]

    class Meta:
        verbose_name = _("legal notes")
        verbose_name_plural = _("legal notes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        privacy = self.privacy_page
        if privacy is not None:
            privacy = privacy.localized
            context["privacy_page"] = privacy if privacy.live else None
        return context

    @property
    def licence_url(self) -> str:
        return self.LICENCE_URLS.get(self.licence, "")
