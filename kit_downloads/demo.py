"""Demo content of the kit area: the SILLA kit with three releases and their files,
an approved and a pending administration (idempotent).

No private key is kept in the repository: when GnuPG is installed, a throwaway
demo key is generated while the demo loads, its public half is published as a
signing key, the demo files and each release's SHA256SUMS are signed with it,
and the private half is deleted with its temporary directory. Without GnuPG the
files stay unsigned and the pages say so.
"""

import datetime
import io
import shutil
import subprocess  # noqa: S404 — gpg with fixed arguments, no shell
import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.html import escape
from wagtail.models import Page

from portal.accounts import services as account_services
from portal.accounts.models import Organisation
from portal.models import SectionPage
from portal.services import page_translate

from . import openpgp, selectors, services
from .models import KitProductPage, KitReleasePage, ReleaseFile, SigningKey

DEMO_KEY_UID = "Kit SILLA demo <kit-demo@esploralavoro.example>"

PRODUCT = {
    "title": ("Kit SILLA", "SILLA kit"),
    "summary": (
        "Le applicazioni dello Sportello Lavoro da installare sulla propria "
        "infrastruttura.",
        "The job desk's applications, to install on your own infrastructure.",
    ),
    "description": (
        [
            "Il kit SILLA (Servizi di Intermediazione Locale per il Lavoro) mette a "
            "disposizione di tutte le amministrazioni le applicazioni messe a punto "
            "per gli Sportelli Lavoro e già utilizzate dagli sportelli attivati nella "
            "prima edizione del progetto nelle regioni Sicilia, Calabria, Campania e "
            "Puglia.",
            "I comuni lo installano in piena autonomia per erogare un set minimo di "
            "prestazioni di intermediazione, in raccordo con i Centri per l'Impiego.",
        ],
        [
            "The SILLA kit (local employment intermediation services) makes the "
            "applications developed for the job desks, already used by the desks "
            "opened in the project's first edition in Sicily, Calabria, Campania and "
            "Apulia, available to every administration.",
            "Municipalities install it on their own to offer a minimum set of "
            "intermediation services, together with the job centres.",
        ],
    ),
    "requirements": (
        ["Un server Linux con PostgreSQL 15 o successivo e un server web."],
        ["A Linux server with PostgreSQL 15 or later and a web server."],
    ),
    "install_guide": (
        [
            "Scaricare l'archivio, verificarne il SHA-256 con il file SHA256SUMS e "
            "seguire il manuale operativo incluso."
        ],
        [
            "Download the archive, check its SHA-256 against the SHA256SUMS file and "
            "follow the operating manual included."
        ],
    ),
    "components": [
        (
            "Applicazione web dello sportello",
            "Gestione di candidature e offerte di lavoro.",
            "Desk web application",
            "Management of candidates and vacancies.",
        ),
        (
            "Modello di Carta dei servizi",
            "Base per la Carta dei servizi dello Sportello Lavoro.",
            "Service-charter template",
            "A starting point for the job desk's service charter.",
        ),
        (
            "Manuale operativo",
            "Installazione, configurazione e uso quotidiano.",
            "Operating manual",
            "Installation, configuration and daily use.",
        ),
    ],
}

# version, date, maturity, security, Italian changes, English changes
RELEASES = [
    (
        "1.0.0",
        datetime.date(2012, 11, 5),
        "final",
        False,
        "Prima versione del kit, con le applicazioni degli sportelli pilota.",
        "First version of the kit, with the pilot desks' applications.",
    ),
    (
        "1.1.0",
        datetime.date(2013, 4, 15),
        "final",
        True,
        "Correzione di sicurezza nell'accesso degli operatori; interconnessione "
        "con le banche dati regionali.",
        "Security fix in the operators' login; connection to the regional databases.",
    ),
    (
        "2.0.0-beta.1",
        datetime.date(2013, 10, 1),
        "beta",
        False,
        "Anteprima della nuova versione per la rete degli Sportelli Lavoro.",
        "Preview of the new version for the network of job desks.",
    ),
]


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _archive(version: str, component: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "LEGGIMI.txt",
            f"Kit SILLA {version} – {component}\nLicenza EUPL-1.2\n",
        )
    return buffer.getvalue()


class DemoSigner:
    """A throwaway OpenPGP key in a temporary GnuPG home, for the demo only."""

    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="kit-demo-gpg-"))
        self.home.chmod(0o700)
        self.binary = openpgp.gpg_binary()
        self._gpg(
            "--passphrase",
            "",
            "--quick-gen-key",
            DEMO_KEY_UID,
            "ed25519",
            "sign",
            "never",
        )
        self.public_key = self._gpg("--armor", "--export").decode("ascii")

    def _gpg(self, *args: str, stdin: bytes | None = None) -> bytes:
        result = subprocess.run(  # noqa: S603
            [self.binary, "--homedir", str(self.home), "--batch", *args],
            input=stdin,
            capture_output=True,
            timeout=120,
            check=True,
        )
        return result.stdout

    def sign(self, data: bytes) -> str:
        return self._gpg("--armor", "--detach-sign", stdin=data).decode("ascii")

    def close(self) -> None:
        gpgconf = shutil.which("gpgconf")
        if gpgconf:  # stop the agent that key generation started
            subprocess.run(  # noqa: S603
                [gpgconf, "--homedir", str(self.home), "--kill", "all"],
                capture_output=True,
                check=False,
                timeout=30,
            )
        shutil.rmtree(self.home, ignore_errors=True)


def _demo_signer(stdout):
    """A demo signer with its public key published, or None without GnuPG."""
    if not openpgp.available():
        stdout.write("Kit: GnuPG is not installed, the demo files are left unsigned.")
        return None
    try:
        signer = DemoSigner()
    except (OSError, subprocess.SubprocessError) as error:
        stdout.write(f"Kit: no demo signing key ({error}); files left unsigned.")
        return None
    key = SigningKey(
        label="Chiave dimostrativa del kit SILLA (generata dalla demo)",
        armored_key=signer.public_key,
    )
    key.full_clean()
    key.save()
    return signer


def _organisations():
    owner = Organisation.objects.filter(
        name="Ministero del Lavoro e delle Politiche Sociali"
    ).first()
    if owner is not None and not owner.codice_ipa:
        owner.codice_ipa = "m_lps"
        owner.full_clean()
        owner.save(update_fields=["codice_ipa"])
    bari, _created = account_services.organisation_get_or_create(
        name="Comune di Bari",
        kind="comune",
        codice_ipa="c_a662",
        codice_fiscale="80015010723",
        pec="protocollo@pec.comune.bari.it",
        region="16",
        province="Bari",
        municipality="Bari",
    )
    lecce, created = account_services.organisation_get_or_create(
        name="Comune di Lecce",
        kind="comune",
        codice_ipa="c_e506",
        region="16",
        province="Lecce",
        municipality="Lecce",
    )
    if created:
        Organisation.objects.filter(pk=lecce.pk).update(
            status=Organisation.Status.PENDING,
            intended_use="Apertura di uno Sportello Lavoro comunale.",
        )
    return owner


def load(*, home, stdout) -> None:
    section = (
        SectionPage.objects.child_of(home).filter(slug="kit").first()
        or SectionPage.objects.child_of(home).first()
    )
    if section is None:
        return
    owner = _organisations()
    product = KitProductPage.objects.child_of(section).filter(slug="silla").first()
    if product is None:
        product = KitProductPage(
            title=PRODUCT["title"][0],
            slug="silla",
            summary=PRODUCT["summary"][0],
            description=_html(PRODUCT["description"][0]),
            requirements=_html(PRODUCT["requirements"][0]),
            install_guide=_html(PRODUCT["install_guide"][0]),
            components=[
                ("component", {"name": name, "description": description})
                for name, description, *_english in PRODUCT["components"]
            ],
            repository_url="https://github.com/esplora-lavoro/kit-silla",
            owner_organisation=owner,
            categories="applicant-tracking, appointment-scheduling, document-management",
            scope="employment, local-authorities, welfare",
            platforms="web, linux",
            software_type=KitProductPage.SoftwareType.WEB,
            maintenance_contact_name="Ufficio SILLA – assistenza tecnica",
            maintenance_contact_email="assistenza-silla@esploralavoro.example",
            maintenance_contact_affiliation="Programma SILLA – ufficio di programma",
            show_in_menus=False,
        )
        section.add_child(instance=product)
        product.save_revision().publish()
        strings = {}
        for key in ("title", "summary"):
            strings[PRODUCT[key][0]] = PRODUCT[key][1]
        for key in ("description", "requirements", "install_guide"):
            strings.update(zip(*PRODUCT[key], strict=True))
        for name, description, en_name, en_description in PRODUCT["components"]:
            strings[name] = en_name
            strings[description] = en_description
        if Page.objects.filter(locale__language_code="en").exists():
            page_translate(
                page=product, language_code="en", strings=strings, slug="silla"
            )
    missing = [
        row
        for row in RELEASES
        if not KitReleasePage.objects.child_of(product)
        .filter(slug="v" + row[0].replace(".", "-"))
        .exists()
    ]
    signer = _demo_signer(stdout) if missing else None
    try:
        _releases(product, missing, signer)
    finally:
        if signer is not None:
            signer.close()  # the private key goes with its temporary home
    stdout.write(
        f"Kit: {KitReleasePage.objects.count()} release pages, "
        f"{ReleaseFile.objects.count()} files."
    )


def _releases(product, rows, signer) -> None:
    for version, date, maturity, security, changes, en_changes in rows:
        slug = "v" + version.replace(".", "-")
        title = f"Kit SILLA {version}"
        release = KitReleasePage(
            title=title,
            slug=slug,
            version=version,
            release_date=date,
            maturity=maturity,
            is_security=security,
            summary=changes,
            changelog=_html([changes]),
        )
        product.add_child(instance=release)
        for name, *_rest in PRODUCT["components"][:1]:
            data = _archive(version, name)
            services.release_file_add(
                release=release,
                upload=ContentFile(data, name=f"kit-silla-{version}.zip"),
                platform="ZIP",
                component=name,
                kind="web-app-zip",
                signature=signer.sign(data) if signer else "",
            )
        if signer is not None:
            sums = selectors.release_sha256sums(release=release)
            services.release_checksums_sign(
                release=release, signature=signer.sign(sums.encode("utf-8"))
            )
        # Published after its files exist, so the announcement can point at them;
        # no referente exists yet in the demo, so no email is sent.
        release.save_revision().publish()
        if Page.objects.filter(locale__language_code="en").exists():
            page_translate(
                page=release,
                language_code="en",
                strings={title: f"SILLA kit {version}", changes: en_changes},
                slug=slug,
            )
