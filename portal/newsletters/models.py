"""Newsletters: the archive, the issues, the subscribers and each delivery.

An issue is a page (translatable with wagtail-localize). Sending it creates one
Dispatch for the issue (shared by all its translations) and one Delivery per
subscriber, whose status records what happened to that one email.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.models import BasePage

from .blocks import IssueBodyBlock
from .panels import DeliveryStatsPanel


class NewsletterIndexPage(RoutablePageMixin, BasePage):
    """The archive of sent issues, the subscription form and the RSS feed."""

    search_type_facet = False  # a way in, not a type of content

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    subpage_types = ["newsletters.NewsletterIssuePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("newsletter archive")

    @path("")
    def index_route(self, request):
        from . import views

        return views.archive(request, index_page=self)

    @path("feed/")
    def feed_route(self, request):
        from .feeds import IssueRssFeed

        return IssueRssFeed(self)(request)


class NewsletterIssuePage(BasePage):
    """One issue: an introduction and blocks, on the site and by email."""

    number = models.PositiveIntegerField(
        _("issue number"), null=True, blank=True, help_text=_("For example 3.")
    )
    date = models.DateField(_("issue date"))
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    body = StreamField(IssueBodyBlock(), blank=True, verbose_name=_("content"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        HelpPanel(
            content=_(
                "Preview shows the web page, the HTML email and the text email. "
                "Publish the issue, then use “Send to subscribers” in the page's "
                "menu."
            )
        ),
        DeliveryStatsPanel(heading=_("Sending")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["newsletters.NewsletterIndexPage"]
    subpage_types: list[str] = []
    preview_modes = [
        ("", _("Web page")),
        ("email", _("Email (HTML)")),
        ("text", _("Email (plain text)")),
    ]

    class Meta:
        verbose_name = _("newsletter issue")

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from .rendering import render_issue

        if mode_name in ("email", "text"):
            rendered = render_issue(self, personal=None)
            if mode_name == "email":
                return HttpResponse(rendered.html)
            return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")
        return super().serve_preview(request, mode_name)


class Subscriber(models.Model):
    """Someone who asked for the newsletter (or was imported by staff).

    Only ``active`` subscribers receive issues. ``key`` is the secret in their
    unsubscribe and preference links.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="it"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent source"),
        max_length=255,
        blank=True,
        help_text=_("How and where consent was given (form, import)."),
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="newsletters_subscriber_email_unique"
            )
        ]
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self):
        return self.email


class ConsentEvent(models.Model):
    """The record of consent: each request, confirmation, unsubscription."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Subscription requested")
        CONFIRMED = "confirmed", _("Subscription confirmed")
        IMPORTED = "imported", _("Imported by staff")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        RESUBSCRIBED = "resubscribed", _("Subscribed again")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consent_events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    source = models.CharField(_("how, from where"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.subscriber} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Dispatch(models.Model):
    """Sending one issue (all its translations) to the subscribers, once."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent")

    translation_key = models.UUIDField(unique=True)
    issue = models.ForeignKey(
        NewsletterIssuePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issue"),
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self):
        return str(self.issue)


class Delivery(models.Model):
    """One issue to one subscriber.

    ``sending`` means claimed by a worker and not yet handed to the SMTP server;
    the row becomes ``sent`` in the database *before* the server is told to
    accept the message (see ``smtp.py``), so a worker that dies leaves nothing
    ambiguous: ``sending`` rows were not delivered and are sent again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (unsubscribed)")

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "subscriber"], name="newsletters_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["dispatch", "status"])]

    def __str__(self):
        return f"{self.dispatch_id}:{self.subscriber_id} {self.status}"


class SubscriberImport(models.Model):
    """An uploaded list, checked row by row, waiting for the editor to confirm."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    consent_source = models.CharField(max_length=255)
    ask_confirmation = models.BooleanField(default=True)
    rows = models.JSONField(default=list)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber import")
        verbose_name_plural = _("subscriber imports")

    def __str__(self):
        return self.filename
