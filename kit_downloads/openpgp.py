"""OpenPGP through GnuPG: reading a published public key and verifying detached
signatures against the published keys.

Every call runs ``gpg`` in a new temporary home directory that holds only the
keys given to it and is deleted afterwards: the server's own keyrings (if any)
are never read or written, no agent is started and no private key is ever
involved. The web server only verifies; release managers sign offline.
"""

import logging
import shutil
import subprocess  # noqa: S404 — gpg is called with fixed arguments, no shell
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import conf

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60
# Status lines that mean "not a good signature by a currently valid key".
_BAD_STATUS = {"BADSIG", "ERRSIG", "EXPSIG", "EXPKEYSIG", "REVKEYSIG", "NO_PUBKEY"}


class OpenPGPError(Exception):
    """The key or signature cannot be used; ``code`` says why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class PublicKey:
    fingerprint: str
    user_ids: list[str]
    created: datetime | None
    expires: datetime | None


def gpg_binary() -> str | None:
    """The gpg executable (``KIT_GPG_BINARY``, default ``gpg`` on the PATH)."""
    return shutil.which(conf.gpg_binary_name())


def available() -> bool:
    return gpg_binary() is not None


def _run(home: Path, *args: str, stdin: bytes | None = None):
    binary = gpg_binary()
    if binary is None:
        raise OpenPGPError("unavailable", "gpg is not installed")
    command = [
        binary,
        "--homedir",
        str(home),
        "--batch",
        "--no-tty",
        "--no-options",
        "--no-autostart",
        "--no-auto-key-retrieve",
        "--status-fd",
        "1",
        *args,
    ]
    try:
        return subprocess.run(  # noqa: S603
            command,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        logger.error("gpg failed to run: %s", error)
        raise OpenPGPError("unavailable", str(error)) from error


def _timestamp(value: str) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value.isdigit() else None


def key_inspect(armored: str) -> PublicKey:
    """Read one ASCII-armoured OpenPGP public key that can sign.

    Raises ``OpenPGPError`` with code ``private`` for anything holding secret
    key material, ``invalid`` for text that is not exactly one public key,
    ``unusable`` for a revoked, expired or non-signing key.
    """
    text = (armored or "").strip()
    if "PRIVATE KEY BLOCK" in text:
        raise OpenPGPError("private")
    if not text.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----"):
        raise OpenPGPError("invalid", "not an armoured public key block")
    with tempfile.TemporaryDirectory(prefix="kit-gpg-") as home:
        result = _run(
            Path(home),
            "--with-colons",
            "--fixed-list-mode",
            "--import-options",
            "show-only",
            "--import",
            stdin=text.encode("utf-8"),
        )
    records = [
        line.split(":") for line in result.stdout.decode("utf-8", "replace").split("\n")
    ]
    if any(record[0] in {"sec", "ssb"} for record in records):
        raise OpenPGPError("private")
    primaries = [index for index, record in enumerate(records) if record[0] == "pub"]
    if result.returncode != 0 or len(primaries) != 1:
        raise OpenPGPError("invalid", f"{len(primaries)} public keys")
    pub = records[primaries[0]]
    fingerprint = ""
    user_ids = []
    for record in records[primaries[0] + 1 :]:
        if record[0] == "fpr" and not fingerprint:
            fingerprint = record[9]
        elif record[0] == "uid" and len(record) > 9:
            user_ids.append(record[9])
    if pub[1] in {"r", "e"} or "S" not in (pub[11] if len(pub) > 11 else ""):
        raise OpenPGPError("unusable", pub[1])
    return PublicKey(
        fingerprint=fingerprint.upper(),
        user_ids=user_ids,
        created=_timestamp(pub[5]),
        expires=_timestamp(pub[6]),
    )


def signature_verify(*, data_path: Path, signature: str, keys: list[str]) -> str:
    """Verify the detached ``signature`` of the file at ``data_path``.

    Only ``keys`` (armoured public keys) are known to the check. Returns the
    fingerprint of the primary key that made a good signature; raises
    ``OpenPGPError`` (``invalid``, ``bad``, ``unknown_key``, ``unavailable``)
    otherwise.
    """
    text = (signature or "").strip()
    if not text.startswith("-----BEGIN PGP SIGNATURE-----"):
        raise OpenPGPError("invalid", "not an armoured detached signature")
    if not keys:
        raise OpenPGPError("unknown_key", "no published key")
    with tempfile.TemporaryDirectory(prefix="kit-gpg-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        imported = _run(home, "--import", stdin="\n".join(keys).encode("utf-8"))
        if imported.returncode != 0:
            logger.error("gpg could not import the published kit keys")
            raise OpenPGPError("unavailable", "published keys unreadable")
        sig_path = Path(tmp) / "signature.asc"
        sig_path.write_text(text + "\n", encoding="utf-8")
        result = _run(home, "--verify", str(sig_path), str(data_path))
    status = [
        line.split()[1:]
        for line in result.stdout.decode("utf-8", "replace").splitlines()
        if line.startswith("[GNUPG:] ") and len(line.split()) > 1
    ]
    names = {item[0] for item in status}
    if "NODATA" in names or "NEWSIG" not in names:
        raise OpenPGPError("invalid", "no signature found")
    if "NO_PUBKEY" in names:
        raise OpenPGPError("unknown_key")
    if names & _BAD_STATUS or result.returncode != 0:
        raise OpenPGPError("bad", " ".join(sorted(names & _BAD_STATUS)))
    valid = [item for item in status if item[0] == "VALIDSIG" and len(item) > 10]
    if "GOODSIG" not in names or not valid:
        raise OpenPGPError("bad", "no good signature")
    return valid[0][-1].upper()
