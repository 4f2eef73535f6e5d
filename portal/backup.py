"""Backups of the database and of the files the database points at, and restores.

One backup is one file, ``esplora-backup-<UTC time>.tar.gz``, holding:

- ``manifest.json``: the format, the creation time, the database engine, the file
  roots and the SHA-256 of every other member;
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or
  ``database.sqlite3`` (SQLite's online backup API, consistent while the site runs);
- ``files/<root>/...``: the private kit files (``KIT_PRIVATE_ROOT``), the
  community attachments (``COMMUNITY_ATTACHMENT_ROOT``) and ``MEDIA_ROOT``
  (Wagtail images and documents). Static files are not kept: collectstatic makes
  them again.

A restore checks every member against the manifest before touching anything and
refuses an archive that does not match; then it restores the database
(``pg_restore --clean --if-exists --single-transaction``, or SQLite's backup API
into the live file) and replaces each file root with the archive's copy.
"""

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "esplora-backup-"
SUFFIX = ".tar.gz"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class FileRoot:
    label: str
    setting: str
    path: Path


def file_roots() -> list[FileRoot]:
    """The folders a backup keeps, from the current settings."""
    return [
        FileRoot("private", "KIT_PRIVATE_ROOT", Path(settings.KIT_PRIVATE_ROOT)),
        FileRoot(
            "community",
            "COMMUNITY_ATTACHMENT_ROOT",
            Path(settings.COMMUNITY_ATTACHMENT_ROOT),
        ),
        FileRoot("media", "MEDIA_ROOT", Path(settings.MEDIA_ROOT)),
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_command(program: str, alias: str = "default") -> tuple[list[str], dict]:
    """The connection options of the Django database for pg_dump/pg_restore."""
    # The connection's own settings: under tests they name the test database.
    database = connections[alias].settings_dict
    args = [program, "--dbname", database["NAME"], "--no-password"]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not installed: apt-get install postgresql-client"
        )
    return args, env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(  # noqa: S603 - fixed program, options from settings
        args, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}"
        )


def _dump_database(directory: Path) -> tuple[str, str]:
    engine = _engine()
    if engine == "postgresql":
        target = directory / "database.dump"
        args, env = _pg_command("pg_dump")
        _run(
            [*args, "--format=custom", "--no-owner", "--no-acl", "--file", str(target)],
            env,
        )
    else:
        target = directory / "database.sqlite3"
        connection = connections["default"]
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    return engine, target.name


def _nested(path: Path, roots: list[FileRoot]) -> list[Path]:
    """The other roots inside ``path``: they are kept under their own label."""
    resolved = path.resolve()
    return [
        root.path.resolve()
        for root in roots
        if root.path.resolve() != resolved and resolved in root.path.resolve().parents
    ]


def _root_files(root: FileRoot, roots: list[FileRoot]) -> list[Path]:
    if not root.path.is_dir():
        return []
    excluded = _nested(root.path, roots)
    files = []
    for path in sorted(root.path.rglob("*")):
        if any(path == other or other in path.parents for other in excluded):
            continue
        if path.is_file() and not path.is_symlink():
            files.append(path)
    return files


def backup_create(*, output_dir: Path) -> Path:
    """Write one backup archive into ``output_dir`` and return its path.

    The archive is written beside its final name and renamed when complete, so
    a file with the final name is always a whole backup. It is readable by its
    owner only: it holds personal data.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    archive = output_dir / f"{PREFIX}{created:%Y%m%dT%H%M%SZ}{SUFFIX}"
    roots = file_roots()
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as staging:
        engine, dump_name = _dump_database(Path(staging))
        members: dict[str, Path] = {dump_name: Path(staging) / dump_name}
        for root in roots:
            for path in _root_files(root, roots):
                relative = path.relative_to(root.path).as_posix()
                members[f"files/{root.label}/{relative}"] = path
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "database": {"engine": engine, "member": dump_name},
            "roots": {
                root.label: {"setting": root.setting, "path": str(root.path)}
                for root in roots
            },
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        manifest_path = Path(staging) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = output_dir / f".{archive.name}.part"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)
        os.replace(partial, archive)
    logger.info(
        "backup %s written: %s database, %d files",
        archive,
        engine,
        len(members) - 1,
    )
    return archive


def backup_prune(*, output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``output_dir``."""
    backups = sorted(output_dir.glob(f"{PREFIX}*{SUFFIX}"))
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
        logger.info("old backup %s deleted", path)
    return removed


# Restore ---------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedBackup:
    directory: Path
    manifest: dict


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def backup_verify(*, archive: Path, into: Path) -> VerifiedBackup:
    """Unpack ``archive`` into ``into`` and check it against its manifest.

    Raises BackupError, naming the first problem, when the archive cannot be
    read, has no manifest, holds anything but regular files, or when a member is
    missing, extra or differs from its SHA-256.
    """
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not _safe_member_name(member.name) or not (
                    member.isfile() or member.isdir()
                ):
                    raise BackupError(
                        f"{archive} holds {member.name!r}, which is not a plain "
                        "file of a backup: refused."
                    )
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} cannot be read as a backup: {error}") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        expected = manifest["files"]
        engine = manifest["database"]["engine"]
        dump = manifest["database"]["member"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            f"{archive} has no valid {MANIFEST}: not a backup of this portal."
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{archive} is a backup of format {manifest.get('format')!r}; "
            f"this version restores format {FORMAT}."
        )
    found = {
        path.relative_to(into).as_posix()
        for path in into.rglob("*")
        if path.is_file() and path != into / MANIFEST
    }
    missing = sorted(set(expected) - found)
    extra = sorted(found - set(expected))
    if missing or extra:
        raise BackupError(
            f"{archive} does not match its manifest: "
            f"missing {missing[:5]}, not listed {extra[:5]}. Refused."
        )
    for name, digest in expected.items():
        if _sha256(into / name) != digest:
            raise BackupError(
                f"{archive}: {name} differs from the SHA-256 in the manifest "
                "(the archive is damaged or was altered). Refused."
            )
    if dump not in expected:
        raise BackupError(f"{archive} has no database dump. Refused.")
    current = _engine()
    if engine != current:
        raise BackupError(
            f"{archive} holds a {engine} database but this site uses {current}."
        )
    return VerifiedBackup(directory=into, manifest=manifest)


def _restore_database(backup: VerifiedBackup) -> None:
    dump = backup.directory / backup.manifest["database"]["member"]
    connection = connections["default"]
    if backup.manifest["database"]["engine"] == "postgresql":
        # pg_restore needs the tables free of this process's locks.
        connections.close_all()
        args, env = _pg_command("pg_restore")
        _run(
            [
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                str(dump),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            # Page by page into the live file, under SQLite's own locking: the
            # WAL and other connections stay consistent.
            source.backup(connection.connection)
        finally:
            source.close()


def _replace_dir(target: Path, source: Path) -> None:
    """Make ``target`` hold exactly what ``source`` holds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    if source.is_dir():
        shutil.copytree(source, staged, dirs_exist_ok=True)
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        try:
            os.replace(target, old)
        except OSError:
            # A mount point cannot be renamed: empty it and copy instead.
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
            shutil.copytree(staged, target, dirs_exist_ok=True)
            shutil.rmtree(staged)
            return
        os.replace(staged, target)
        shutil.rmtree(old)
    else:
        os.replace(staged, target)
    target.chmod(0o750)


def backup_restore(*, archive: Path) -> dict:
    """Restore the database and files of ``archive``; returns its manifest.

    Nothing is changed unless the whole archive matches its manifest. Each file
    root goes to the folder the current settings name (the host may differ from
    the one that made the backup); outer roots are replaced before the roots
    nested inside them.
    """
    # Unpacked beside the live files (same disk), not in a small /tmp.
    work = Path(getattr(settings, "VAR_DIR", archive.resolve().parent))
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix=".restore-") as staging:
        backup = backup_verify(archive=archive, into=Path(staging))
        _restore_database(backup)
        roots = {root.label: root for root in file_roots()}
        ordered = sorted(
            (roots[label] for label in backup.manifest["roots"] if label in roots),
            key=lambda root: len(root.path.resolve().parts),
        )
        for root in ordered:
            _replace_dir(root.path, Path(staging) / "files" / root.label)
    logger.info("backup %s restored (created %s)", archive, backup.manifest["created"])
    return backup.manifest
