"""Seminars for operators: the index, the seminar page and its registrations."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.models import BasePage


class SeminarKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    ROUND_TABLE = "round_table", _("Round table meeting")


class SeminarIndexPage(RoutablePageMixin, BasePage):
    """Upcoming and past seminars, with filters, a month view and feeds."""

    search_type_facet = False  # a way in, not a type of content

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    subpage_types = ["seminars.SeminarPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("seminar index")

    @path("")
    def index_route(self, request):
        from . import views

        return views.seminar_index(request, index_page=self)

    @path("mese/<int:year>/<int:month>/")
    def month_route(self, request, year, month):
        from . import views

        return views.seminar_month(request, index_page=self, year=year, month=month)

    @path("calendario/")
    def calendar_route(self, request):
        from . import views

        return views.seminar_calendar_feed(request, index_page=self)

    @path("feed/")
    def feed_route(self, request):
        from .feeds import SeminarRssFeed

        return SeminarRssFeed(self)(request)


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.TimeBlock(label=_("time"))
    speaker = blocks.CharBlock(label=_("speaker"), required=False, max_length=255)
    topic = blocks.CharBlock(label=_("topic"), max_length=255)

    class Meta:
        icon = "time"
        label = _("programme item")


class MaterialLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=255)
    url = blocks.URLBlock(label=_("address"))

    class Meta:
        icon = "link"
        label = _("link (slides, recording)")


class MaterialDocumentBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=255, required=False)
    document = DocumentChooserBlock(label=_("document"))

    class Meta:
        icon = "doc-full"
        label = _("document")


class SeminarPage(RoutablePageMixin, BasePage):
    """One seminar: when, where, for whom, its programme, places and materials.

    The online link is shown only to confirmed participants; materials only once
    the seminar has ended.
    """

    kind = models.CharField(
        _("type"), max_length=16, choices=SeminarKind.choices, default="seminar"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    search_date_field = "start"
    is_online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to confirmed participants."),
    )
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    programme = StreamField(
        [("item", ProgrammeItemBlock())], blank=True, verbose_name=_("programme")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("Number of places; beyond it, the waiting list.")
    )
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    project = models.ForeignKey(
        "projects.ProjectPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seminars",
        verbose_name=_("related project"),
    )
    observatory = models.ForeignKey(
        "observatories.ObservatoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seminars",
        verbose_name=_("related observatory"),
    )
    territory = models.ForeignKey(
        "taxonomy.Territory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seminars",
        verbose_name=_("territory"),
    )
    topics = ParentalManyToManyField(
        "taxonomy.Topic", blank=True, related_name="seminars", verbose_name=_("topics")
    )
    materials = StreamField(
        [("link", MaterialLinkBlock()), ("document", MaterialDocumentBlock())],
        blank=True,
        verbose_name=_("materials"),
        help_text=_("Published on the page once the seminar has ended."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [
                FieldPanel("is_online"),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("audience"),
        FieldPanel("organiser"),
        FieldPanel("description"),
        FieldPanel("programme"),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [
                        FieldPanel("registration_opens"),
                        FieldPanel("registration_closes"),
                    ]
                ),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("project"),
                FieldPanel("observatory"),
                FieldPanel("territory"),
                FieldPanel("topics"),
            ],
            heading=_("Related"),
        ),
        FieldPanel("materials"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.SearchField("audience"),
        index.SearchField("organiser"),
        index.FilterField("start"),
    ]
    parent_page_types = ["seminars.SeminarIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The seminar must end after it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        if self.is_online and not self.online_url:
            errors["online_url"] = _("An online seminar needs its link.")
        if not self.is_online and not self.venue:
            errors["venue"] = _("Give the venue, or mark the seminar as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_ended(self) -> bool:
        return self.end <= timezone.now()

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens <= now < self.registration_closes

    def get_context(self, request, *args, **kwargs):
        from portal.taxonomy.selectors import linked_names

        from . import selectors
        from .forms import RegistrationForm

        context = super().get_context(request, *args, **kwargs)
        # In the page's language (a translated page links its source's terms).
        context["topic_names"] = linked_names(self, ("topics",))["topics"]
        registration = selectors.registration_for_user(seminar=self, user=request.user)
        context["registration"] = registration
        context["seats"] = selectors.seminar_seats(seminar=self)
        context["show_online_url"] = selectors.seminar_online_url_visible(
            seminar=self, user=request.user
        )
        context["now"] = timezone.now()
        context["can_export"] = selectors.can_export_attendees(user=request.user)
        context["schema_org"] = self.event_json_ld(request)
        context.setdefault(
            "form",
            RegistrationForm(initial=selectors.registration_initial(request.user)),
        )
        return context

    def event_json_ld(self, request):
        """schema.org ``Event``; an online seminar's location is this page, never
        the meeting link (that is for registered people only)."""
        from portal.schema import page_json_ld

        if self.is_online:
            mode = "https://schema.org/OnlineEventAttendanceMode"
            location = {"@type": "VirtualLocation", "url": self.get_full_url(request)}
        else:
            mode = "https://schema.org/OfflineEventAttendanceMode"
            location = {"@type": "Place", "name": self.venue or self.title}
            if self.address:
                location["address"] = self.address
        return page_json_ld(
            self,
            request,
            type_="Event",
            startDate=self.start.isoformat(),
            endDate=self.end.isoformat(),
            eventStatus="https://schema.org/EventScheduled",
            eventAttendanceMode=mode,
            location=location,
            organizer=(
                {"@type": "Organization", "name": self.organiser}
                if self.organiser
                else None
            ),
            maximumAttendeeCapacity=self.capacity or None,
        )

    @path("")
    def detail_route(self, request):
        return self.render(request)

    @path("iscrizione/")
    def register_route(self, request):
        from . import views

        return views.seminar_register(request, seminar=self)

    @path("annulla/<uuid:token>/")
    def cancel_route(self, request, token):
        from . import views

        return views.registration_cancel(request, seminar=self, token=token)

    @path("calendario/ics/")
    def ics_route(self, request):
        from . import views

        return views.seminar_ics(request, seminar=self)

    @path("iscritti/csv/")
    def export_route(self, request):
        from . import views

        return views.attendee_export(request, seminar=self)


class Registration(models.Model):
    """A user's place (or place in the queue) at one seminar."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    seminar = models.ForeignKey(
        SeminarPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("seminar"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seminar_registrations",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=255)
    organisation = models.CharField(_("organisation"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)
    accessibility_needs = models.TextField(
        _("accessibility needs"), blank=True, max_length=2000
    )
    consent = models.BooleanField(_("consent to data processing"))
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, db_index=True
    )
    cancel_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "user"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.seminar_id} ({self.status})"
