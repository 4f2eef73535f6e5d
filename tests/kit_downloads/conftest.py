import datetime
import shutil
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.models import Locale, Page, Site

from kit_downloads import services
from kit_downloads.demo import DemoSigner
from kit_downloads.models import (
    KitProductPage,
    KitReleasePage,
    ReleaseFile,
    SigningKey,
)
from portal.accounts.models import Membership, Organisation
from portal.models import HomePage, SectionPage

FILE_BYTES = b"PK\x03\x04 kit SILLA 1.1.0 " + bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.KIT_PRIVATE_ROOT = tmp_path / "private"
    settings.KIT_X_ACCEL_REDIRECT_PREFIX = ""
    return settings.KIT_PRIVATE_ROOT


@dataclass
class Kit:
    section: SectionPage
    product: KitProductPage
    old: KitReleasePage
    final: KitReleasePage
    beta: KitReleasePage
    file: ReleaseFile


def add_release(product, version, maturity="final", security=False, day=1):
    release = KitReleasePage(
        title=f"Kit SILLA {version}",
        slug="v" + version.replace(".", "-"),
        version=version,
        release_date=datetime.date(2013, 1, day),
        maturity=maturity,
        is_security=security,
        changelog=f"<p>Novità della versione {version}.</p>",
        summary=f"Versione {version}",
    )
    product.add_child(instance=release)
    release.save_revision().publish()
    return release


def _home() -> HomePage:
    """A bare Italian home page as the default site's root (no translations: the
    kit tests do not need them and the full ``tree`` fixture is slower)."""
    italian, _created = Locale.objects.get_or_create(language_code="it")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=italian)
    )
    for page in root.get_children():
        page.delete()
    home = HomePage(title="Esplora Lavoro", slug="home", locale=italian)
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def kit(db, owner) -> Kit:
    section = SectionPage(title="Kit SILLA", slug="kit", show_in_menus=True)
    _home().add_child(instance=section)
    section.save_revision().publish()
    product = KitProductPage(
        title="Kit SILLA",
        slug="silla",
        summary="Le applicazioni dello Sportello Lavoro.",
        description=(
            "<p>Il kit SILLA per gli Sportelli Lavoro dei comuni: le applicazioni "
            "per gestire candidature, offerte di lavoro e appuntamenti, in raccordo "
            "con i Centri per l'Impiego.</p>"
        ),
        components=[
            ("component", {"name": "Applicazione web", "description": "Sportello"})
        ],
        repository_url="https://github.com/esplora-lavoro/kit-silla",
        owner_organisation=owner,
    )
    section.add_child(instance=product)
    product.save_revision().publish()
    old = add_release(product, "1.0.0", day=1)
    final = add_release(product, "1.10.0", day=2)
    beta = add_release(product, "2.0.0-beta.1", maturity="beta", day=3)
    file = services.release_file_add(
        release=final,
        upload=ContentFile(FILE_BYTES, name="kit-silla-1.10.0.zip"),
        platform="ZIP",
        component="Applicazione web",
    )
    return Kit(section, product, old, final, beta, file)


@pytest.fixture
def owner(db):
    return Organisation.objects.create(
        name="Ministero del Lavoro", kind="ministero", codice_ipa="m_lps"
    )


def make_organisation(status, codice_ipa):
    return Organisation.objects.create(
        name=f"Comune {codice_ipa}",
        kind="comune",
        codice_ipa=codice_ipa,
        status=status,
    )


VISITORS = [
    "anonymous",
    "no_organisation",
    "unverified",
    "pending",
    "rejected",
    "suspended",
    "approved",
    "staff",
]


@pytest.fixture
def visitor(make_user):
    """Build a logged-in client (and its user) for one kind of visitor."""

    def build(kind: str):
        client = Client()
        if kind == "anonymous":
            return client, None
        if kind == "staff":
            # A kit manager: the admin group "Gestione kit", not is_staff.
            user = make_user(email="redazione@example.org")
            user.groups.add(Group.objects.get(name="Gestione kit"))
        elif kind == "no_organisation":
            user = make_user(email="nessuno@example.org")
        else:
            user = make_user(email=f"{kind}@example.org", verified=kind != "unverified")
            status = "approved" if kind == "unverified" else kind
            organisation = make_organisation(status, f"c_{kind[:6]}")
            Membership.objects.create(
                organisation=organisation, user=user, role="referente"
            )
        client.force_login(user)
        return client, user

    return build


requires_gpg = pytest.mark.skipif(
    shutil.which("gpg") is None, reason="GnuPG (Debian's gpg) is not installed"
)


@pytest.fixture(scope="session")
def signer():
    """A throwaway OpenPGP key generated for the test session (never committed)."""
    if shutil.which("gpg") is None:
        pytest.skip("GnuPG (Debian's gpg) is not installed")
    key = DemoSigner()
    yield key
    key.close()


@pytest.fixture(scope="session")
def stranger():
    """Another throwaway key, which the portal does not publish."""
    if shutil.which("gpg") is None:
        pytest.skip("GnuPG (Debian's gpg) is not installed")
    key = DemoSigner()
    yield key
    key.close()


@pytest.fixture
def signing_key(db, signer) -> SigningKey:
    key = SigningKey(label="Chiave di rilascio", armored_key=signer.public_key)
    key.full_clean()
    key.save()
    return key
