"""Permission-aware reads of the kit area. Views, feeds, publiccode.yml and emails
all use these, so who may see or download what is decided in one place."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from portal.accounts import selectors as account_selectors
from portal.accounts.models import Organisation, User
from portal.accounts.services import user_has_verified_email
from portal.locales import language_code_of

from .models import (
    DownloadEvent,
    KitProductPage,
    KitReleasePage,
    ReleaseChecksumsSignature,
    ReleaseFile,
    SigningKey,
)
from .permissions import can_manage_kit
from .versions import semver_key


@dataclass(frozen=True)
class KitAccess:
    """Whether a visitor may download kit files and, if not, why and what to do."""

    reason: str
    organisation: Organisation | None = None
    allowed: bool = False
    message: str = ""
    extra: dict = field(default_factory=dict)


_MESSAGES = {
    "anonymous": _("Log in to download the kit's files."),
    "unverified": _(
        "Verify your email address: open the link we sent you, or send it again "
        "from your email settings."
    ),
    "no_organisation": _(
        "Register your administration: the kit's files are for registered public "
        "administrations."
    ),
    "pending": _(
        "The registration of your administration is waiting for approval by the "
        "portal's staff. You will receive an email."
    ),
    "rejected": _(
        "The registration of your administration was not approved. You can correct "
        "it and register again."
    ),
    "suspended": _(
        "Your administration is suspended and cannot download the kit. Contact the "
        "portal's staff."
    ),
    "join_pending": _(
        "Your request to join the administration is waiting for its referente."
    ),
    "approved": "",
    "staff": "",
}


def kit_access_for_user(*, user: User) -> KitAccess:
    """The one rule for downloads: kit managers, or a verified user of an approved
    administration that is not suspended."""
    if not user.is_authenticated:
        return KitAccess(reason="anonymous", message=_MESSAGES["anonymous"])
    membership = account_selectors.organisation_primary_for_user(user=user)
    organisation = membership.organisation if membership else None
    if can_manage_kit(user):
        return KitAccess(reason="staff", organisation=organisation, allowed=True)
    if not user_has_verified_email(user=user):
        return KitAccess(
            reason="unverified",
            organisation=organisation,
            message=_MESSAGES["unverified"],
        )
    if organisation is None:
        reason = (
            "join_pending"
            if account_selectors.join_request_list_pending_for_user(user=user).exists()
            else "no_organisation"
        )
        return KitAccess(reason=reason, message=_MESSAGES[reason])
    status = organisation.status
    if status == Organisation.Status.APPROVED:
        return KitAccess(reason="approved", organisation=organisation, allowed=True)
    return KitAccess(
        reason=status, organisation=organisation, message=_MESSAGES[status]
    )


def product_list_live() -> QuerySet[KitProductPage]:
    return KitProductPage.objects.live().public().order_by("title")


def release_list_for_product(*, product: KitProductPage) -> list[KitReleasePage]:
    """The product's published releases, newest version first."""
    releases = list(
        KitReleasePage.objects.live().public().child_of(product).order_by("-pk")
    )
    return sorted(releases, key=lambda release: release.version_key, reverse=True)


def release_latest_final(
    *, product: KitProductPage, releases: list[KitReleasePage] | None = None
) -> KitReleasePage | None:
    """The newest published final release: what the "latest" link points at
    (among ``releases`` when the caller already has the product's list)."""
    if releases is None:
        releases = release_list_for_product(product=product)
    finals = [
        release
        for release in releases
        if release.maturity == KitReleasePage.Maturity.FINAL
    ]
    return finals[0] if finals else None


def catalogue_pk(*, page) -> int:
    """The pk of the page's version in the default language: the catalogue (and
    its API) is keyed by it, whatever the language of the page being read."""
    if language_code_of(page.locale_id) == settings.LANGUAGE_CODE:
        source = page
    else:
        source = (
            type(page)
            .objects.filter(
                translation_key=page.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .only("pk")
            .first()
        )
    return (source or page).pk


def file_list_for_release(*, release: KitReleasePage) -> QuerySet[ReleaseFile]:
    """A release's files, whatever the language of the page (files are attached
    to the release once and shared by its translations)."""
    return ReleaseFile.objects.filter(
        release__translation_key=release.translation_key
    ).order_by("component", "platform", "filename")


def release_sha256sums(*, release: KitReleasePage) -> str:
    """The release's SHA256SUMS, byte-for-byte the same for the same files.

    One ``<sha256>  <filename>`` line per file (the format of ``sha256sum -c``),
    sorted by file name in code-point order, LF line ends, UTF-8: what the
    release manager signs offline is what every visitor downloads.
    """
    files = file_list_for_release(release=release).values_list("sha256", "filename")
    return sha256sums_text(files)


def sha256sums_text(files) -> str:
    """SHA256SUMS for ``(sha256, filename)`` pairs (see ``release_sha256sums``)."""
    return "".join(
        f"{sha256}  {filename}\n"
        for sha256, filename in sorted(files, key=lambda row: row[1])
    )


def sha256sums_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def release_checksums_signature(
    *, release: KitReleasePage
) -> ReleaseChecksumsSignature | None:
    """The signature of the release's current SHA256SUMS, if one was uploaded
    and the files have not changed since (a stale signature is not served)."""
    signature = ReleaseChecksumsSignature.objects.filter(
        release__translation_key=release.translation_key
    ).first()
    if signature is None:
        return None
    if sha256sums_digest(release_sha256sums(release=release)) != (
        signature.sums_sha256
    ):
        return None
    return signature


def signing_key_list_active() -> QuerySet[SigningKey]:
    """The keys the portal publishes and accepts signatures from."""
    return SigningKey.objects.filter(is_active=True).order_by("-created_at")


def file_latest_for_kind(*, product: KitProductPage, kind: str) -> ReleaseFile | None:
    """The file with key ``kind`` in the product's newest final release.

    "Latest" follows the product's latest/ link exactly: the newest published
    final release. When that release has no file with this key the answer is
    None (not an older release's file), so a stable link never silently serves
    a superseded, possibly vulnerable, build.
    """
    release = release_latest_final(product=product)
    if release is None or not kind:
        return None
    return (
        file_list_for_release(release=release)
        .filter(kind=kind)
        .select_related("release")
        .first()
    )


def release_for_file(*, file: ReleaseFile) -> KitReleasePage:
    return file.release


def file_is_downloadable(*, file: ReleaseFile, user: User) -> bool:
    """Files of unpublished releases are reachable by kit managers only."""
    if can_manage_kit(user):
        return True
    return KitReleasePage.objects.live().public().filter(pk=file.release_id).exists()


@dataclass(frozen=True)
class ProductStatus:
    product: KitProductPage
    downloaded: list[DownloadEvent]
    current_version: str | None
    latest: KitReleasePage | None

    @property
    def update_available(self) -> bool:
        if self.latest is None:
            return False
        if self.current_version is None:
            return True
        return semver_key(self.latest.version) > semver_key(self.current_version)


def organisation_kit_status(*, organisation: Organisation) -> list[ProductStatus]:
    """For an administration's page: per product, what it downloaded, the newest
    version it has and whether a newer final release exists."""
    events = list(
        DownloadEvent.objects.filter(organisation=organisation)
        .select_related("release", "file")
        .order_by("-created_at")[:200]
    )
    # One entry per product, in the visitor's language where it is translated:
    # the translations of a product share its releases and downloads.
    active = Locale.get_active()
    products: dict = {}
    for product in product_list_live():
        known = products.get(product.translation_key)
        if known is None or product.locale_id == active.pk:
            products[product.translation_key] = product
    statuses = []
    for translation_key, product in products.items():
        mine = [
            event
            for event in events
            if event.release is not None
            and _product_key(event.release) == translation_key
        ]
        versions = sorted({event.version for event in mine}, key=semver_key)
        statuses.append(
            ProductStatus(
                product=product,
                downloaded=mine,
                current_version=versions[-1] if versions else None,
                latest=release_latest_final(product=product),
            )
        )
    return statuses


def _product_key(release: KitReleasePage):
    parent = release.get_parent()
    return parent.translation_key


def install_base() -> list[dict]:
    """Staff view: per product and version, how many administrations have it as
    their newest download."""
    rows = (
        DownloadEvent.objects.filter(organisation__isnull=False, release__isnull=False)
        .values_list("organisation_id", "release_id", "version")
        .distinct()
    )
    release_product: dict[int, KitProductPage] = {}
    newest: dict[tuple, str] = {}
    for organisation_id, release_id, version in rows:
        if release_id not in release_product:
            release = KitReleasePage.objects.get(pk=release_id)
            release_product[release_id] = release.get_parent().specific
        product = release_product[release_id]
        key = (product.translation_key, organisation_id)
        if key not in newest or semver_key(version) > semver_key(newest[key]):
            newest[key] = version
    products = {p.translation_key: p for p in release_product.values()}
    table: dict = {}
    for (product_key, _organisation_id), version in newest.items():
        table.setdefault(product_key, {}).setdefault(version, 0)
        table[product_key][version] += 1
    return [
        {
            "product": products[product_key],
            "versions": sorted(
                versions.items(), key=lambda item: semver_key(item[0]), reverse=True
            ),
            "total": sum(versions.values()),
        }
        for product_key, versions in table.items()
    ]


def organisation_list_behind(
    *, release: KitReleasePage
) -> list[tuple[Organisation, str]]:
    """Approved administrations whose newest download of the release's product is
    older than ``release`` (for security reminders)."""
    product_key = release.get_parent().translation_key
    release_key = semver_key(release.version)
    newest: dict[int, str] = {}
    events = DownloadEvent.objects.filter(
        organisation__status=Organisation.Status.APPROVED,
        release__isnull=False,
    ).values_list("organisation_id", "release_id", "version")
    product_of: dict[int, object] = {}
    for organisation_id, release_id, version in events.distinct():
        if release_id not in product_of:
            product_of[release_id] = (
                KitReleasePage.objects.get(pk=release_id).get_parent().translation_key
            )
        if product_of[release_id] != product_key:
            continue
        if organisation_id not in newest or semver_key(version) > semver_key(
            newest[organisation_id]
        ):
            newest[organisation_id] = version
    behind_ids = [
        organisation_id
        for organisation_id, version in newest.items()
        if semver_key(version) < release_key
    ]
    organisations = Organisation.objects.in_bulk(behind_ids)
    return [(organisations[pk], newest[pk]) for pk in behind_ids if pk in organisations]


@dataclass(frozen=True)
class OrganisationReleaseRow:
    """For the staff report: where one administration stands on one product."""

    organisation: Organisation
    product: KitProductPage
    last_release: KitReleasePage
    last_downloaded_at: datetime  # the latest download of the product
    newest_version: str
    missing_security: list[KitReleasePage]

    @property
    def behind(self) -> bool:
        return bool(self.missing_security)


def organisation_release_report(*, user: User) -> list[OrganisationReleaseRow]:
    """Per administration and product: the release it downloaded last, the newest
    version it has, and the published security releases newer than that version
    (the same "newer than what it has" rule as the security reminders).

    Kit managers only (``PermissionDenied`` otherwise). A fixed number of
    queries whatever the number of administrations, releases and downloads:
    products, releases, one aggregate over the downloads, administrations.
    Administrations that are behind come first, then by name.
    """
    if not can_manage_kit(user):
        raise PermissionDenied
    default_language = Locale.get_default().language_code
    products = {
        product.path: product
        for product in KitProductPage.objects.filter(
            locale__language_code=default_language
        )
    }
    # Files and downloads belong to the releases in the default language; a
    # release's product is the page whose path prefixes its own.
    releases = {
        release.pk: release
        for release in KitReleasePage.objects.filter(
            locale__language_code=default_language
        )
    }
    product_of = {
        pk: products.get(release.path[: -KitReleasePage.steplen])
        for pk, release in releases.items()
    }
    security: dict[int, list[KitReleasePage]] = {}
    for pk, release in releases.items():
        product = product_of[pk]
        if (
            product is not None
            and release.live
            and release.is_security
            and release.maturity == KitReleasePage.Maturity.FINAL
        ):
            security.setdefault(product.pk, []).append(release)

    last: dict[tuple[int, int], tuple] = {}  # (organisation, product) -> (at, release)
    newest: dict[tuple[int, int], str] = {}
    pairs = (
        DownloadEvent.objects.filter(organisation__isnull=False, release__isnull=False)
        .values("organisation_id", "release_id")
        .annotate(last_at=Max("created_at"))
        .order_by()
    )
    for pair in pairs:
        release = releases.get(pair["release_id"])
        product = product_of.get(pair["release_id"])
        if release is None or product is None:
            continue
        key = (pair["organisation_id"], product.pk)
        if key not in last or pair["last_at"] > last[key][0]:
            last[key] = (pair["last_at"], release)
        if key not in newest or semver_key(release.version) > semver_key(newest[key]):
            newest[key] = release.version
    organisations = Organisation.objects.in_bulk({key[0] for key in last})
    products_by_pk = {product.pk: product for product in products.values()}
    rows = []
    for key, (at, release) in last.items():
        organisation = organisations.get(key[0])
        if organisation is None:
            continue
        held = semver_key(newest[key])
        missing = sorted(
            (
                candidate
                for candidate in security.get(key[1], [])
                if semver_key(candidate.version) > held
            ),
            key=lambda candidate: candidate.version_key,
            reverse=True,
        )
        rows.append(
            OrganisationReleaseRow(
                organisation=organisation,
                product=products_by_pk[key[1]],
                last_release=release,
                last_downloaded_at=at,
                newest_version=newest[key],
                missing_security=missing,
            )
        )
    rows.sort(
        key=lambda row: (
            not row.behind,
            row.organisation.name.lower(),
            row.product.title.lower(),
        )
    )
    return rows


API_PAGE_SIZE = 20
API_RELEASES_MAX = 100


def product_list_catalogue() -> QuerySet[KitProductPage]:
    """Published products in the default language (their ids are the API's)."""
    return (
        product_list_live()
        .filter(locale__language_code=Locale.get_default().language_code)
        .select_related("locale")
        .order_by("title", "pk")
    )


def release_map_for_products(
    *, products: list[KitProductPage]
) -> dict[int, list[KitReleasePage]]:
    """Each product's published releases, newest version first, in one query."""
    if not products:
        return {}
    prefixes = Q()
    for product in products:
        prefixes |= Q(path__startswith=product.path, depth=product.depth + 1)
    releases = (
        KitReleasePage.objects.live()
        .public()
        .filter(prefixes)
        .select_related("locale")
        .order_by("-pk")
    )
    by_path = {product.path: product.pk for product in products}
    result: dict[int, list[KitReleasePage]] = {product.pk: [] for product in products}
    for release in releases:
        result[by_path[release.path[: -KitReleasePage.steplen]]].append(release)
    for items in result.values():
        items.sort(key=lambda release: release.version_key, reverse=True)
    return result


def file_map_for_releases(
    *, releases: list[KitReleasePage]
) -> dict[int, list[ReleaseFile]]:
    """The files of default-language releases, by release id, in one query."""
    result: dict[int, list[ReleaseFile]] = {release.pk: [] for release in releases}
    files = ReleaseFile.objects.filter(release_id__in=result).order_by(
        "component", "platform", "filename"
    )
    for file in files:
        result[file.release_id].append(file)
    return result


def checksums_signature_map(
    *, releases: list[KitReleasePage]
) -> dict[int, ReleaseChecksumsSignature]:
    return {
        signature.release_id: signature
        for signature in ReleaseChecksumsSignature.objects.filter(
            release_id__in=[release.pk for release in releases]
        )
    }
