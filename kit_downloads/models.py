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
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.models import BasePage

from .storage import get_private_storage
from .versions import semver_key, validate_semver
from .vocabulary import (
    split_list,
    validate_categories,
    validate_platforms,
    validate_scope,
)

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


class KitProductPageForm(WagtailAdminPageForm):
    """The product's admin form: on top of the fields' own vocabulary checks,
    the maintenance data publiccode.yml requires for the chosen type."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("maintenance_type")
        maintenance = KitProductPage.Maintenance
        if kind == maintenance.CONTRACT:
            if not cleaned.get("maintenance_contractor_name"):
                self.add_error(
                    "maintenance_contractor_name",
                    _(
                        "publiccode.yml requires the contractor when the "
                        "maintenance is under contract."
                    ),
                )
            if not cleaned.get("maintenance_contract_until"):
                self.add_error(
                    "maintenance_contract_until",
                    _(
                        "publiccode.yml requires the date the maintenance contract "
                        "ends."
                    ),
                )
        if kind in {maintenance.INTERNAL, maintenance.COMMUNITY} and not cleaned.get(
            "maintenance_contact_name"
        ):
            self.add_error(
                "maintenance_contact_name",
                _(
                    "publiccode.yml requires a technical contact for internal or "
                    "community maintenance."
                ),
            )
        return cleaned


class KitProductPage(RoutablePageMixin, BasePage):
    """A product of the kit area (the SILLA kit), with its releases as children."""

    class Maintenance(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        CONTRACT = "contract", _("Under contract")
        COMMUNITY = "community", _("Community")
        NONE = "none", _("Not maintained")

    class SoftwareType(models.TextChoices):
        WEB = "standalone/web", _("Web application")
        BACKEND = "standalone/backend", _("Back-end application")
        DESKTOP = "standalone/desktop", _("Desktop application")
        MOBILE = "standalone/mobile", _("Mobile application")
        IOT = "standalone/iot", _("Internet of things")
        OTHER = "standalone/other", _("Other stand-alone software")
        ADDON = "addon", _("Add-on")
        LIBRARY = "library", _("Library")
        CONFIGURATION = "configurationFiles", _("Configuration files")

    class DevelopmentStatus(models.TextChoices):
        AUTOMATIC = "", _("From the releases")
        CONCEPT = "concept", _("Concept")
        DEVELOPMENT = "development", _("Development")
        BETA = "beta", _("Beta")
        STABLE = "stable", _("Stable")
        OBSOLETE = "obsolete", _("Obsolete")

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
        validators=[validate_platforms],
        help_text=_(
            "Comma-separated values of the publiccode.yml vocabulary: web, windows, "
            "mac, linux, ios, android."
        ),
    )
    categories = models.CharField(
        _("publiccode categories"),
        max_length=255,
        default="applicant-tracking",
        validators=[validate_categories],
        help_text=_(
            "Comma-separated categories of the publiccode.yml vocabulary, e.g. "
            "applicant-tracking, appointment-scheduling, document-management."
        ),
    )
    scope = models.CharField(
        _("publiccode scope"),
        max_length=255,
        blank=True,
        default="employment, local-authorities",
        validators=[validate_scope],
        help_text=_(
            "Comma-separated fields of application of the publiccode.yml vocabulary, "
            "e.g. employment, local-authorities, welfare."
        ),
    )
    software_type = models.CharField(
        _("software type"),
        max_length=32,
        choices=SoftwareType.choices,
        default=SoftwareType.WEB,
    )
    development_status = models.CharField(
        _("development status"),
        max_length=16,
        choices=DevelopmentStatus.choices,
        blank=True,
        default="",
        help_text=_(
            "Leave on automatic to derive it from the newest release's maturity; "
            "choose Obsolete when the product is no longer maintained."
        ),
    )
    documentation_url = models.URLField(
        _("documentation"),
        blank=True,
        help_text=_(
            "Address of the hosted documentation; empty means this product page."
        ),
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
    maintenance_contact_affiliation = models.CharField(
        _("maintenance contact affiliation"),
        max_length=255,
        blank=True,
        help_text=_("The office or body the technical contact belongs to."),
    )
    maintenance_contractor_name = models.CharField(
        _("maintenance contractor"),
        max_length=255,
        blank=True,
        help_text=_("Required when the maintenance is under contract."),
    )
    maintenance_contract_until = models.DateField(
        _("maintenance contract until"), null=True, blank=True
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
                FieldPanel("documentation_url"),
                FieldPanel("platforms"),
                FieldPanel("categories"),
                FieldPanel("scope"),
                FieldPanel("software_type"),
                FieldPanel("development_status"),
                FieldPanel("owner_organisation"),
                FieldPanel("maintenance_type"),
                FieldPanel("maintenance_contact_name"),
                FieldPanel("maintenance_contact_email"),
                FieldPanel("maintenance_contact_affiliation"),
                FieldPanel("maintenance_contractor_name"),
                FieldPanel("maintenance_contract_until"),
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
        SynchronizedField("scope"),
        SynchronizedField("software_type"),
        SynchronizedField("development_status"),
        SynchronizedField("documentation_url"),
        SynchronizedField("owner_organisation"),
        SynchronizedField("maintenance_type"),
        SynchronizedField("maintenance_contact_name"),
        SynchronizedField("maintenance_contact_email"),
        SynchronizedField("maintenance_contact_affiliation"),
        SynchronizedField("maintenance_contractor_name"),
        SynchronizedField("maintenance_contract_until"),
    ]
    parent_page_types = ["portal.SectionPage"]
    subpage_types = ["kit_downloads.KitReleasePage"]
    base_form_class = KitProductPageForm

    class Meta:
        verbose_name = _("kit product")
        verbose_name_plural = _("kit products")

    def platform_list(self) -> list[str]:
        return split_list(self.platforms)

    def category_list(self) -> list[str]:
        return split_list(self.categories)

    def scope_list(self) -> list[str]:
        return split_list(self.scope)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["releases"] = releases = selectors.release_list_for_product(
            product=self
        )
        context["latest"] = latest = selectors.release_latest_final(
            product=self, releases=releases
        )
        context["latest_files"] = (
            [
                file
                for file in selectors.file_list_for_release(release=latest)
                if file.kind
            ]
            if latest
            else []
        )
        context["signing_keys"] = list(selectors.signing_key_list_active())
        # The API answers a translation's id with a redirect to the catalogue's.
        context["catalogue_pk"] = self.pk
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

    @path("latest/<slug:kind>/", name="latest_file")
    def latest_file(self, request, kind):
        from .views import latest_file

        return latest_file(request, product=self, kind=kind)

    @path("latest/<slug:kind>/signature/", name="latest_signature")
    def latest_signature(self, request, kind):
        from .views import latest_signature

        return latest_signature(request, product=self, kind=kind)

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
        context["files"] = files = list(selectors.file_list_for_release(release=self))
        context["unsigned"] = any(not file.signature for file in files)
        context["checksums_signature"] = selectors.release_checksums_signature(
            release=self
        )
        context["signing_keys"] = list(selectors.signing_key_list_active())
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
    kind = models.SlugField(
        _("file key"),
        max_length=64,
        blank=True,
        help_text=_(
            "A stable key for this file across releases, such as web-app-zip: "
            "the product's latest/<key>/ address always leads to the file with "
            "this key in the newest final release."
        ),
    )
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64, validators=[validate_sha256])
    signature = models.TextField(
        _("detached signature"),
        blank=True,
        help_text=_("ASCII-armoured OpenPGP signature of the file, if any."),
    )
    signed_by = models.CharField(
        _("signing key fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("The published key that verified the signature on upload."),
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
            ),
            models.UniqueConstraint(
                fields=["release", "kind"],
                condition=~models.Q(kind=""),
                name="releasefile_unique_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kit_downloads:file", args=[self.pk, self.filename])

    def get_signature_url(self) -> str:
        from django.urls import reverse

        if not self.signature:
            return ""
        return reverse(
            "kit_downloads:signature", args=[self.pk, f"{self.filename}.asc"]
        )


class SigningKey(models.Model):
    """An OpenPGP public key that signs the kit's files, published by the portal.

    Only the public key is ever stored: release managers sign offline and upload
    detached signatures, which are verified against the active keys.
    """

    label = models.CharField(
        _("label"),
        max_length=128,
        help_text=_("E.g. SILLA kit release key 2026."),
    )
    armored_key = models.TextField(
        _("public key"),
        help_text=_(
            "The ASCII-armoured OpenPGP public key (gpg --armor --export "
            "FINGERPRINT). Never paste a private key."
        ),
    )
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, unique=True, editable=False
    )
    user_ids = models.TextField(_("user IDs"), blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, editable=False
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Active keys are published and accepted for new signatures; "
            "deactivate a key that is retired or compromised."
        ),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-is_active", "-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.fingerprint_display})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kit_downloads:signing_key", args=[self.fingerprint])

    @property
    def fingerprint_display(self) -> str:
        """The fingerprint in groups of four, as gpg prints it."""
        value = self.fingerprint
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))

    def clean(self):
        from . import openpgp

        super().clean()
        try:
            key = openpgp.key_inspect(self.armored_key)
        except openpgp.OpenPGPError as error:
            messages = {
                "private": _(
                    "This is a private key: paste only the public key (gpg "
                    "--armor --export). Revoke the private key if it was shared."
                ),
                "unusable": _("This key is revoked, expired or cannot sign."),
                "unavailable": _(
                    "The server cannot read OpenPGP keys now (GnuPG is missing): "
                    "contact the technical staff."
                ),
            }
            raise ValidationError(
                {
                    "armored_key": messages.get(
                        error.code,
                        _("Paste exactly one ASCII-armoured OpenPGP public key."),
                    )
                }
            ) from error
        duplicate = SigningKey.objects.filter(fingerprint=key.fingerprint).exclude(
            pk=self.pk
        )
        if duplicate.exists():
            raise ValidationError(
                {"armored_key": _("This key has already been added.")}
            )
        self.fingerprint = key.fingerprint
        self.user_ids = "\n".join(key.user_ids)
        self.expires_at = key.expires
        self.armored_key = self.armored_key.strip() + "\n"


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


class ReleaseChecksumsSignature(models.Model):
    """The release manager's detached signature of a release's SHA256SUMS.

    The portal generates SHA256SUMS deterministically; the release manager
    downloads it, signs it offline and uploads SHA256SUMS.asc. The digest of the
    signed text is kept so a signature is served only while the files it covers
    are unchanged.
    """

    release = models.OneToOneField(
        KitReleasePage,
        on_delete=models.CASCADE,
        related_name="checksums_signature",
        verbose_name=_("release"),
    )
    signature = models.TextField(_("detached signature"))
    sums_sha256 = models.CharField(
        _("SHA-256 of the signed SHA256SUMS"),
        max_length=64,
        validators=[validate_sha256],
    )
    signed_by = models.CharField(_("signing key fingerprint"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("SHA256SUMS signature")
        verbose_name_plural = _("SHA256SUMS signatures")

    def __str__(self) -> str:
        return f"SHA256SUMS.asc – {self.release_id}"
