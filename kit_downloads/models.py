"""The SILLA kit catalogue: product and release pages (editable, translatable,
searchable content) and the files, download events and reminders behind them.

Pages hold presentation; files live in private storage and are only reached
through the checked download view (``kit_downloads.views.download``).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.models import BasePage

from .storage import get_private_storage
from .versions import semver_key, validate_semver

_SPDX_RE = re.compile(r"^[A-Za-z0-9.+-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+-]+)*$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_RICH = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "code"]


def validate_spdx(value: str) -> None:
    if not _SPDX_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter an SPDX licence identifier or expression, such as EUPL-1.2."),
            code="invalid_spdx",
        )


def validate_sha256(value: str) -> None:
    if not _SHA256_RE.fullmatch(value or ""):
        raise ValidationError(
            _("A SHA-256 checksum is 64 hexadecimal characters."),
            code="invalid_sha256",
        )


class ComponentBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"))
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "cog"
        label = _("component")


class KitProductPage(RoutablePageMixin, BasePage):
    """A product of the kit area (the SILLA kit), with its releases as children."""

    class Maintenance(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        CONTRACT = "contract", _("Under contract")
        COMMUNITY = "community", _("Community")
        NONE = "none", _("Not maintained")

    description = RichTextField(_("description"), features=_RICH)
    components = StreamField(
        [("component", ComponentBlock())],
        blank=True,
        verbose_name=_("components"),
    )
    licence = models.CharField(
        _("licence (SPDX)"),
        max_length=64,
        default="EUPL-1.2",
        validators=[validate_spdx],
    )
    requirements = RichTextField(_("requirements"), blank=True, features=_RICH)
    install_guide = RichTextField(_("installation guide"), blank=True, features=_RICH)
    repository_url = models.URLField(
        _("source code repository"),
        help_text=_("The url field of publiccode.yml."),
    )
    platforms = models.CharField(
        _("platforms"),
        max_length=128,
        default="web, linux",
        help_text=_("Comma-separated, e.g. web, linux, windows."),
    )
    categories = models.CharField(
        _("publiccode categories"),
        max_length=255,
        default="employment-management",
        help_text=_("Comma-separated categories of the publiccode.yml vocabulary."),
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner administration"),
        help_text=_("Its IPA code goes into publiccode.yml."),
    )
    maintenance_type = models.CharField(
        _("maintenance"),
        max_length=16,
        choices=Maintenance.choices,
        default=Maintenance.INTERNAL,
    )
    maintenance_contact_name = models.CharField(
        _("maintenance contact"), max_length=128, blank=True
    )
    maintenance_contact_email = models.EmailField(
        _("maintenance contact email"), blank=True
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("description"),
        FieldPanel("components"),
        FieldPanel("requirements"),
        FieldPanel("install_guide"),
        MultiFieldPanel(
            [
                FieldPanel("licence"),
                FieldPanel("repository_url"),
                FieldPanel("platforms"),
                FieldPanel("categories"),
                FieldPanel("owner_organisation"),
                FieldPanel("maintenance_type"),
                FieldPanel("maintenance_contact_name"),
                FieldPanel("maintenance_contact_email"),
            ],
            heading=_("publiccode.yml"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.SearchField("requirements"),
        index.SearchField("install_guide"),
    ]
    override_translatable_fields = [
        SynchronizedField("licence"),
        SynchronizedField("repository_url"),
        SynchronizedField("platforms"),
        SynchronizedField("categories"),
        SynchronizedField("owner_organisation"),
        SynchronizedField("maintenance_type"),
        SynchronizedField("maintenance_contact_name"),
        SynchronizedField("maintenance_contact_email"),
    ]
    parent_page_types = ["portal.SectionPage"]
    subpage_types = ["kit_downloads.KitReleasePage"]

    class Meta:
        verbose_name = _("kit product")
        verbose_name_plural = _("kit products")

    def platform_list(self) -> list[str]:
        return [item.strip() for item in self.platforms.split(",") if item.strip()]

    def category_list(self) -> list[str]:
        return [item.strip() for item in self.categories.split(",") if item.strip()]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["releases"] = selectors.release_list_for_product(product=self)
        context["latest"] = selectors.release_latest_final(product=self)
        context["access"] = selectors.kit_access_for_user(user=request.user)
        return context

    @path("latest/", name="latest")
    def latest(self, request):
        """Always the newest final release: a redirect, like GitHub's /latest."""
        from . import selectors

        release = selectors.release_latest_final(product=self)
        if release is None:
            raise Http404("No final release yet.")
        return redirect(release.url)

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import ReleaseFeed

        return ReleaseFeed()(request, product=self)


class KitReleasePage(BasePage):
    """One release of a product: notes, maturity and its files."""

    class Maturity(models.TextChoices):
        ALPHA = "alpha", _("Alpha")
        BETA = "beta", _("Beta")
        RC = "rc", _("Release candidate")
        FINAL = "final", _("Final")

    version = models.CharField(
        _("version"), max_length=64, validators=[validate_semver]
    )
    release_date = models.DateField(_("release date"))
    maturity = models.CharField(
        _("maturity"), max_length=8, choices=Maturity.choices, default=Maturity.FINAL
    )
    is_security = models.BooleanField(
        _("security release"),
        default=False,
        help_text=_(
            "Administrations still on an older version are reminded to update."
        ),
    )
    changelog = RichTextField(_("changes"), features=_RICH)
    compatibility = RichTextField(_("compatibility notes"), blank=True, features=_RICH)
    upgrade_guide = RichTextField(_("upgrade guide"), blank=True, features=_RICH)

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("version"),
                FieldPanel("release_date"),
                FieldPanel("maturity"),
                FieldPanel("is_security"),
            ],
            heading=_("Release"),
        ),
        FieldPanel("changelog"),
        FieldPanel("compatibility"),
        FieldPanel("upgrade_guide"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("version"),
        index.SearchField("changelog"),
        index.SearchField("upgrade_guide"),
        index.FilterField("maturity"),
    ]
    override_translatable_fields = [
        SynchronizedField("version"),
        SynchronizedField("release_date"),
        SynchronizedField("maturity"),
        SynchronizedField("is_security"),
    ]
    parent_page_types = ["kit_downloads.KitProductPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("kit release")
        verbose_name_plural = _("kit releases")

    @property
    def version_key(self) -> tuple:
        return semver_key(self.version)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        product = self.get_parent().specific
        context["product"] = product
        context["files"] = selectors.file_list_for_release(release=self)
        context["latest"] = selectors.release_latest_final(product=product)
        context["access"] = selectors.kit_access_for_user(user=request.user)
        return context


def release_file_path(instance: "ReleaseFile", filename: str) -> str:
    # A directory per upload keeps names unguessable and never overwritten.
    import secrets

    return f"releases/{secrets.token_hex(16)}/{filename}"


class ReleaseFile(models.Model):
    """A file of a release, stored privately with its size and SHA-256."""

    release = models.ForeignKey(
        KitReleasePage,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("release"),
    )
    component = models.CharField(
        _("component"),
        max_length=128,
        blank=True,
        help_text=_("E.g. desk web application, service-charter template, manual."),
    )
    platform = models.CharField(
        _("format or platform"),
        max_length=64,
        help_text=_("E.g. ZIP archive, Docker image, Linux x86_64, PDF."),
    )
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=release_file_path,
        max_length=255,
    )
    filename = models.CharField(_("file name"), max_length=128)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64, validators=[validate_sha256])
    signature = models.TextField(
        _("detached signature"),
        blank=True,
        help_text=_("ASCII-armoured OpenPGP signature of the file, if any."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("release file")
        verbose_name_plural = _("release files")
        ordering = ["component", "platform", "filename"]
        permissions = [
            ("manage_kit", _("Can upload release files and see the install base"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "filename"], name="releasefile_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kit_downloads:file", args=[self.pk, self.filename])


def local_today():
    return timezone.localdate()


class DownloadEvent(models.Model):
    """A download of a release file: who, for which administration, when.

    One row per user, file and (local) day: fetching the same file again on the
    same day, or resuming it, is not a new download.
    """

    file = models.ForeignKey(
        ReleaseFile,
        on_delete=models.SET_NULL,
        null=True,
        related_name="downloads",
        verbose_name=_("file"),
    )
    release = models.ForeignKey(
        KitReleasePage,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("release"),
    )
    version = models.CharField(_("version"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kit_downloads",
        verbose_name=_("administration"),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    day = models.DateField(_("day"), default=local_today)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "file", "day"], name="downloadevent_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} – {self.organisation or self.user}"


class SecurityReminder(models.Model):
    """Records that an administration was reminded of a security release (once)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    release = models.ForeignKey(
        KitReleasePage, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "release"], name="securityreminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} – {self.release_id}"


class ReleaseAnnouncement(models.Model):
    """Records that a release was announced to the administrations (once).

    Kept out of the page so that publishing a revision can never reset it.
    """

    release = models.OneToOneField(
        KitReleasePage, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.release_id} – {self.sent_at:%Y-%m-%d}"
